/**
 * DIMSE command sets (PS3.7 E.1): group 0000, always Implicit VR Little
 * Endian, whatever transfer syntax the context carries data in.
 */

export const CommandField = {
  cStoreRq: 0x0001,
  cStoreRsp: 0x8001,
  cGetRq: 0x0010,
  cGetRsp: 0x8010,
  cFindRq: 0x0020,
  cFindRsp: 0x8020,
  cMoveRq: 0x0021,
  cMoveRsp: 0x8021,
  cEchoRq: 0x0030,
  cEchoRsp: 0x8030,
  cCancelRq: 0x0fff,
  nEventReportRq: 0x0100,
  nEventReportRsp: 0x8100,
  nActionRq: 0x0130,
  nActionRsp: 0x8130,
} as const;

/** Command Data Set Type (0000,0800) value meaning "no dataset follows". */
export const NO_DATASET = 0x0101;

export const Tag = {
  affectedSopClassUid: 0x0002,
  requestedSopClassUid: 0x0003,
  commandField: 0x0100,
  messageId: 0x0110,
  messageIdBeingRespondedTo: 0x0120,
  priority: 0x0700,
  moveDestination: 0x0600,
  commandDataSetType: 0x0800,
  status: 0x0900,
  offendingElement: 0x0901,
  errorComment: 0x0902,
  affectedSopInstanceUid: 0x1000,
  requestedSopInstanceUid: 0x1001,
  eventTypeId: 0x1002,
  actionTypeId: 0x1008,
  numberOfRemainingSubOperations: 0x1020,
  numberOfCompletedSubOperations: 0x1021,
  numberOfFailedSubOperations: 0x1022,
  numberOfWarningSubOperations: 0x1023,
  moveOriginatorAeTitle: 0x1030,
  moveOriginatorMessageId: 0x1031,
} as const;

export class CommandSetError extends Error {
  override name = 'CommandSetError';
}

/** A decoded command set: element number (group 0000) → raw value. */
export class CommandSet {
  constructor(readonly elements: Map<number, Uint8Array>) {}

  us(element: number): number | undefined {
    const value = this.elements.get(element);
    if (value === undefined || value.length < 2) return undefined;
    return value[0]! | (value[1]! << 8);
  }

  ui(element: number): string | undefined {
    const value = this.elements.get(element);
    return value === undefined ? undefined : latin1.decode(value).replace(/[\0 ]+$/, '');
  }

  text(element: number): string | undefined {
    const value = this.elements.get(element);
    return value === undefined ? undefined : latin1.decode(value).trim();
  }

  get commandField(): number | undefined {
    return this.us(Tag.commandField);
  }

  get hasDataset(): boolean {
    return this.us(Tag.commandDataSetType) !== NO_DATASET;
  }
}

const latin1 = new TextDecoder('latin1');

export function decodeCommandSet(bytes: Uint8Array): CommandSet {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const elements = new Map<number, Uint8Array>();
  for (let at = 0; at < bytes.length; ) {
    if (at + 8 > bytes.length) throw new CommandSetError(`command set: truncated element header at byte ${at}`);
    const group = view.getUint16(at, true);
    const element = view.getUint16(at + 2, true);
    const length = view.getUint32(at + 4, true);
    const tag = `(${hex(group)},${hex(element)})`;
    if (group !== 0) throw new CommandSetError(`command set: element ${tag} is not in group 0000`);
    if (at + 8 + length > bytes.length) throw new CommandSetError(`command set: ${tag} length ${length} runs past the end`);
    elements.set(element, bytes.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return new CommandSet(elements);
}

const hex = (n: number) => n.toString(16).padStart(4, '0');

export type CommandValue = { vr: 'US'; value: number } | { vr: 'UI' | 'LO' | 'AE'; value: string };

/** Encode elements (group length computed, elements sorted); UI padded with NUL, text with a space. */
export function encodeCommandSet(values: Map<number, CommandValue>): Uint8Array {
  const encoded: Array<[number, Uint8Array]> = [...values.entries()]
    .filter(([element]) => element !== 0)
    .sort(([a], [b]) => a - b)
    .map(([element, v]) => [element, valueBytes(v)]);
  const bodyLength = encoded.reduce((sum, [, data]) => sum + 8 + data.length, 0);
  const out = new Uint8Array(12 + bodyLength);
  const view = new DataView(out.buffer);
  view.setUint32(4, 4, true);
  view.setUint32(8, bodyLength, true);
  let at = 12;
  for (const [element, data] of encoded) {
    view.setUint16(at + 2, element, true);
    view.setUint32(at + 4, data.length, true);
    out.set(data, at + 8);
    at += 8 + data.length;
  }
  return out;
}

function valueBytes(v: CommandValue): Uint8Array {
  if (v.vr === 'US') return Uint8Array.of(v.value & 0xff, (v.value >> 8) & 0xff);
  const bytes = new TextEncoder().encode(v.value);
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  padded[bytes.length] = v.vr === 'UI' ? 0 : 0x20;
  return padded;
}

export interface ResponseExtras {
  errorComment?: string;
  /** A dataset (an identifier) follows the command. */
  hasDataset?: boolean;
  /** Further elements, e.g. sub-operation counts of C-MOVE / C-GET. */
  fields?: ReadonlyArray<[number, CommandValue]>;
}

/**
 * A response to `request` (PS3.7 9.3 / 9.1.5, 10.3): same SOP UIDs (an
 * N-service's Requested UIDs answered as Affected), message id echoed, and the
 * Event or Action Type ID of an N-EVENT-REPORT or N-ACTION echoed.
 */
export function encodeResponse(request: CommandSet, status: number, extras: string | ResponseExtras = {}): Uint8Array {
  const { errorComment, hasDataset, fields = [] } = typeof extras === 'string' ? { errorComment: extras } : extras;
  const values = new Map<number, CommandValue>([
    [Tag.commandField, { vr: 'US', value: ((request.commandField ?? 0) | 0x8000) & 0xffff }],
    [Tag.messageIdBeingRespondedTo, { vr: 'US', value: request.us(Tag.messageId) ?? 0 }],
    [Tag.commandDataSetType, { vr: 'US', value: hasDataset ? 0x0000 : NO_DATASET }],
    [Tag.status, { vr: 'US', value: status }],
    ...fields,
  ]);
  const sopClass = request.ui(Tag.affectedSopClassUid) ?? request.ui(Tag.requestedSopClassUid);
  if (sopClass !== undefined) values.set(Tag.affectedSopClassUid, { vr: 'UI', value: sopClass });
  const sopInstance = request.ui(Tag.affectedSopInstanceUid) ?? request.ui(Tag.requestedSopInstanceUid);
  if (sopInstance !== undefined) values.set(Tag.affectedSopInstanceUid, { vr: 'UI', value: sopInstance });
  for (const typeId of [Tag.eventTypeId, Tag.actionTypeId]) {
    const value = request.us(typeId);
    if (value !== undefined) values.set(typeId, { vr: 'US', value });
  }
  if (errorComment) values.set(Tag.errorComment, { vr: 'LO', value: errorComment.replace(/[\\\r\n]/g, ' ').slice(0, 64) });
  return encodeCommandSet(values);
}

/** A C-STORE-RQ (PS3.7 9.3.1.1); a C-MOVE sub-operation names its originator. */
export function encodeStoreRequest(messageId: number, sopClassUid: string, sopInstanceUid: string, moveOriginator?: { aet: string; messageId: number }): Uint8Array {
  const values = new Map<number, CommandValue>([
    [Tag.commandField, { vr: 'US', value: CommandField.cStoreRq }],
    [Tag.messageId, { vr: 'US', value: messageId }],
    [Tag.priority, { vr: 'US', value: 0 }],
    [Tag.commandDataSetType, { vr: 'US', value: 0x0000 }],
    [Tag.affectedSopClassUid, { vr: 'UI', value: sopClassUid }],
    [Tag.affectedSopInstanceUid, { vr: 'UI', value: sopInstanceUid }],
  ]);
  if (moveOriginator) {
    values.set(Tag.moveOriginatorAeTitle, { vr: 'AE', value: moveOriginator.aet });
    values.set(Tag.moveOriginatorMessageId, { vr: 'US', value: moveOriginator.messageId });
  }
  return encodeCommandSet(values);
}

/**
 * A C-ECHO, C-FIND, C-MOVE or C-GET request (PS3.7 9.3.5, 9.1.2-9.1.4). All
 * but C-ECHO carry an identifier and a priority (medium); C-MOVE names its
 * destination.
 */
export function encodeRequest(commandField: number, messageId: number, sopClassUid: string, options: { moveDestination?: string } = {}): Uint8Array {
  const echo = commandField === CommandField.cEchoRq;
  const values = new Map<number, CommandValue>([
    [Tag.commandField, { vr: 'US', value: commandField }],
    [Tag.messageId, { vr: 'US', value: messageId }],
    [Tag.commandDataSetType, { vr: 'US', value: echo ? NO_DATASET : 0x0000 }],
    [Tag.affectedSopClassUid, { vr: 'UI', value: sopClassUid }],
  ]);
  if (!echo) values.set(Tag.priority, { vr: 'US', value: 0 });
  if (options.moveDestination !== undefined) values.set(Tag.moveDestination, { vr: 'AE', value: options.moveDestination });
  return encodeCommandSet(values);
}

/** A C-CANCEL-RQ for the operation with Message ID `messageId` (PS3.7 9.3.2.3). */
export function encodeCancelRequest(messageId: number): Uint8Array {
  return encodeCommandSet(
    new Map<number, CommandValue>([
      [Tag.commandField, { vr: 'US', value: CommandField.cCancelRq }],
      [Tag.messageIdBeingRespondedTo, { vr: 'US', value: messageId }],
      [Tag.commandDataSetType, { vr: 'US', value: NO_DATASET }],
    ]),
  );
}

/** An N-ACTION-RQ (PS3.7 10.3.4) on the SOP instance `sopInstanceUid`; its Action Information follows. */
export function encodeActionRequest(messageId: number, sopClassUid: string, sopInstanceUid: string, actionTypeId: number): Uint8Array {
  return encodeNotificationRequest(CommandField.nActionRq, messageId, [Tag.requestedSopClassUid, sopClassUid], [Tag.requestedSopInstanceUid, sopInstanceUid], [Tag.actionTypeId, actionTypeId]);
}

/** An N-EVENT-REPORT-RQ (PS3.7 10.3.1) about `sopInstanceUid`; its Event Information follows. */
export function encodeEventReportRequest(messageId: number, sopClassUid: string, sopInstanceUid: string, eventTypeId: number): Uint8Array {
  return encodeNotificationRequest(CommandField.nEventReportRq, messageId, [Tag.affectedSopClassUid, sopClassUid], [Tag.affectedSopInstanceUid, sopInstanceUid], [Tag.eventTypeId, eventTypeId]);
}

/** An N-service request with a dataset: its SOP class and instance, and its action or event type. */
function encodeNotificationRequest(commandField: number, messageId: number, sopClass: [number, string], sopInstance: [number, string], typeId: [number, number]): Uint8Array {
  return encodeCommandSet(
    new Map<number, CommandValue>([
      [Tag.commandField, { vr: 'US', value: commandField }],
      [Tag.messageId, { vr: 'US', value: messageId }],
      [Tag.commandDataSetType, { vr: 'US', value: 0x0000 }],
      [sopClass[0], { vr: 'UI', value: sopClass[1] }],
      [sopInstance[0], { vr: 'UI', value: sopInstance[1] }],
      [typeId[0], { vr: 'US', value: typeId[1] }],
    ]),
  );
}
