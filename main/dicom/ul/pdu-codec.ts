/**
 * Encode and decode the PS3.8 upper-layer PDUs (section 9.3). Pure functions;
 * P-DATA-TF bodies are not decoded here: pdu-reader.ts streams them as PDVs so
 * dataset bytes are never copied.
 */

export const PduType = {
  associateRq: 0x01,
  associateAc: 0x02,
  associateRj: 0x03,
  pData: 0x04,
  releaseRq: 0x05,
  releaseRp: 0x06,
  abort: 0x07,
} as const;

export const APPLICATION_CONTEXT_NAME = '1.2.840.10008.3.1.1.1';

/** A-ABORT reasons when the source is the service provider (PS3.8 9.3.8). */
export const AbortReason = {
  notSpecified: 0,
  unrecognizedPdu: 1,
  unexpectedPdu: 2,
  unrecognizedPduParameter: 4,
  unexpectedPduParameter: 5,
  invalidPduParameterValue: 6,
} as const;

/** A PDU or item that breaks PS3.8: the association must be aborted with `reason`. */
export class PduError extends Error {
  constructor(
    readonly reason: number,
    message: string,
  ) {
    super(message);
    this.name = 'PduError';
  }
}

export interface ProposedContext {
  id: number;
  abstractSyntax: string;
  transferSyntaxes: string[];
}

export interface RoleSelection {
  sopClassUid: string;
  scu: boolean;
  scp: boolean;
}

export interface UserInformation {
  /** 0 = no limit. */
  maxPduLength: number;
  implementationClassUid?: string;
  implementationVersionName?: string;
  asyncOps?: { invoked: number; performed: number };
  roles: RoleSelection[];
}

export interface AssociateRq {
  calledAe: string;
  callingAe: string;
  applicationContext: string;
  contexts: ProposedContext[];
  userInfo: UserInformation;
}

/** Presentation-context results of PS3.8 9.3.3.2. */
export const ContextResult = {
  acceptance: 0,
  userRejection: 1,
  noReason: 2,
  abstractSyntaxNotSupported: 3,
  transferSyntaxesNotSupported: 4,
} as const;

export interface ContextAnswer {
  id: number;
  result: number;
  /** The accepted transfer syntax; ignored by the peer unless result is acceptance. */
  transferSyntax: string;
}

export interface AssociateAc {
  calledAe: string;
  callingAe: string;
  contexts: ContextAnswer[];
  userInfo: UserInformation;
}

export interface AssociateRj {
  /** 1 rejected-permanent, 2 rejected-transient. */
  result: number;
  /** 1 service-user, 2 service-provider (ACSE), 3 service-provider (presentation). */
  source: number;
  reason: number;
}

const latin1 = new TextDecoder('latin1');

function text(bytes: Uint8Array): string {
  return latin1.decode(bytes).replace(/[\0 ]+$/, '').replace(/^ +/, '');
}

function ascii(value: string): Buffer {
  return Buffer.from(value, 'latin1');
}

function header(type: number, length: number): Buffer {
  const head = Buffer.alloc(6);
  head[0] = type;
  head.writeUInt32BE(length, 2);
  return head;
}

function pdu(type: number, body: Buffer): Buffer {
  return Buffer.concat([header(type, body.length), body]);
}

function item(type: number, body: Uint8Array): Buffer {
  if (body.length > 0xffff) throw new RangeError(`item 0x${type.toString(16)} longer than 65535 bytes`);
  const head = Buffer.alloc(4);
  head[0] = type;
  head.writeUInt16BE(body.length, 2);
  return Buffer.concat([head, body]);
}

function aeField(ae: string): Buffer {
  return ascii(ae.padEnd(16, ' ').slice(0, 16));
}

interface RawItem {
  type: number;
  value: Buffer;
}

/** Split a run of items (1-byte type, reserved, 2-byte length); `where` names the enclosing structure. */
function items(bytes: Buffer, where: string): RawItem[] {
  const out: RawItem[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (at + 4 > bytes.length) throw new PduError(AbortReason.invalidPduParameterValue, `${where}: truncated item header at byte ${at}`);
    const type = bytes[at]!;
    const length = bytes.readUInt16BE(at + 2);
    if (at + 4 + length > bytes.length) {
      throw new PduError(AbortReason.invalidPduParameterValue, `${where}: item 0x${type.toString(16)} length ${length} runs past its end`);
    }
    out.push({ type, value: bytes.subarray(at + 4, at + 4 + length) });
    at += 4 + length;
  }
  return out;
}

function decodeUserInfo(value: Buffer): UserInformation {
  const info: UserInformation = { maxPduLength: 0, roles: [] };
  for (const sub of items(value, 'user information')) {
    switch (sub.type) {
      case 0x51:
        if (sub.value.length !== 4) throw new PduError(AbortReason.invalidPduParameterValue, 'maximum length item is not 4 bytes');
        info.maxPduLength = sub.value.readUInt32BE(0);
        break;
      case 0x52:
        info.implementationClassUid = text(sub.value);
        break;
      case 0x53:
        if (sub.value.length !== 4) throw new PduError(AbortReason.invalidPduParameterValue, 'asynchronous operations item is not 4 bytes');
        info.asyncOps = { invoked: sub.value.readUInt16BE(0), performed: sub.value.readUInt16BE(2) };
        break;
      case 0x54: {
        if (sub.value.length < 2) throw new PduError(AbortReason.invalidPduParameterValue, 'role selection item too short');
        const uidLength = sub.value.readUInt16BE(0);
        if (2 + uidLength + 2 > sub.value.length) throw new PduError(AbortReason.invalidPduParameterValue, 'role selection UID runs past its item');
        info.roles.push({
          sopClassUid: text(sub.value.subarray(2, 2 + uidLength)),
          scu: sub.value[2 + uidLength] === 1,
          scp: sub.value[3 + uidLength] === 1,
        });
        break;
      }
      case 0x55:
        info.implementationVersionName = text(sub.value);
        break;
      default:
        break; // extended negotiation, user identity, ...: not negotiated, so not answered
    }
  }
  return info;
}

/** Decode an A-ASSOCIATE-RQ body (the bytes after the 6-byte PDU header). */
export function decodeAssociateRq(body: Buffer): AssociateRq {
  if (body.length < 68) throw new PduError(AbortReason.invalidPduParameterValue, `A-ASSOCIATE-RQ of ${body.length} bytes is shorter than its fixed fields`);
  const rq: AssociateRq = {
    calledAe: text(body.subarray(4, 20)),
    callingAe: text(body.subarray(20, 36)),
    applicationContext: '',
    contexts: [],
    userInfo: { maxPduLength: 0, roles: [] },
  };
  for (const it of items(body.subarray(68), 'A-ASSOCIATE-RQ')) {
    if (it.type === 0x10) rq.applicationContext = text(it.value);
    else if (it.type === 0x20) {
      if (it.value.length < 4) throw new PduError(AbortReason.invalidPduParameterValue, 'presentation context item too short');
      const context: ProposedContext = { id: it.value[0]!, abstractSyntax: '', transferSyntaxes: [] };
      for (const sub of items(it.value.subarray(4), `presentation context ${context.id}`)) {
        if (sub.type === 0x30) context.abstractSyntax = text(sub.value);
        else if (sub.type === 0x40) context.transferSyntaxes.push(text(sub.value));
      }
      rq.contexts.push(context);
    } else if (it.type === 0x50) rq.userInfo = decodeUserInfo(it.value);
  }
  return rq;
}

function encodeUserInfo(info: UserInformation): Buffer {
  const maxLength = Buffer.alloc(4);
  maxLength.writeUInt32BE(info.maxPduLength, 0);
  const subs = [item(0x51, maxLength)];
  if (info.implementationClassUid) subs.push(item(0x52, ascii(info.implementationClassUid)));
  if (info.asyncOps) {
    const ops = Buffer.alloc(4);
    ops.writeUInt16BE(info.asyncOps.invoked, 0);
    ops.writeUInt16BE(info.asyncOps.performed, 2);
    subs.push(item(0x53, ops));
  }
  for (const role of info.roles) {
    const uid = ascii(role.sopClassUid);
    const value = Buffer.alloc(2 + uid.length + 2);
    value.writeUInt16BE(uid.length, 0);
    uid.copy(value, 2);
    value[2 + uid.length] = role.scu ? 1 : 0;
    value[3 + uid.length] = role.scp ? 1 : 0;
    subs.push(item(0x54, value));
  }
  if (info.implementationVersionName) subs.push(item(0x55, ascii(info.implementationVersionName)));
  return item(0x50, Buffer.concat(subs));
}

function fixedFields(calledAe: string, callingAe: string): Buffer {
  const fixed = Buffer.alloc(68);
  fixed.writeUInt16BE(1, 0); // protocol version
  aeField(calledAe).copy(fixed, 4);
  aeField(callingAe).copy(fixed, 20);
  return fixed;
}

export function encodeAssociateRq(rq: AssociateRq): Buffer {
  const contexts = rq.contexts.map((c) =>
    item(0x20, Buffer.concat([Buffer.from([c.id, 0, 0, 0]), item(0x30, ascii(c.abstractSyntax)), ...c.transferSyntaxes.map((ts) => item(0x40, ascii(ts)))])),
  );
  return pdu(
    PduType.associateRq,
    Buffer.concat([fixedFields(rq.calledAe, rq.callingAe), item(0x10, ascii(rq.applicationContext)), ...contexts, encodeUserInfo(rq.userInfo)]),
  );
}

export function encodeAssociateAc(ac: AssociateAc): Buffer {
  const contexts = ac.contexts.map((c) => item(0x21, Buffer.concat([Buffer.from([c.id, 0, c.result, 0]), item(0x40, ascii(c.transferSyntax))])));
  return pdu(
    PduType.associateAc,
    Buffer.concat([fixedFields(ac.calledAe, ac.callingAe), item(0x10, ascii(APPLICATION_CONTEXT_NAME)), ...contexts, encodeUserInfo(ac.userInfo)]),
  );
}

export function decodeAssociateAc(body: Buffer): AssociateAc {
  if (body.length < 68) throw new PduError(AbortReason.invalidPduParameterValue, 'A-ASSOCIATE-AC shorter than its fixed fields');
  const ac: AssociateAc = { calledAe: text(body.subarray(4, 20)), callingAe: text(body.subarray(20, 36)), contexts: [], userInfo: { maxPduLength: 0, roles: [] } };
  for (const it of items(body.subarray(68), 'A-ASSOCIATE-AC')) {
    if (it.type === 0x21) {
      if (it.value.length < 4) throw new PduError(AbortReason.invalidPduParameterValue, 'presentation context item too short');
      const ts = items(it.value.subarray(4), 'presentation context').find((sub) => sub.type === 0x40);
      ac.contexts.push({ id: it.value[0]!, result: it.value[2]!, transferSyntax: ts ? text(ts.value) : '' });
    } else if (it.type === 0x50) ac.userInfo = decodeUserInfo(it.value);
  }
  return ac;
}

export function encodeAssociateRj(rj: AssociateRj): Buffer {
  return pdu(PduType.associateRj, Buffer.from([0, rj.result, rj.source, rj.reason]));
}

export function decodeAssociateRj(body: Buffer): AssociateRj {
  if (body.length !== 4) throw new PduError(AbortReason.invalidPduParameterValue, 'A-ASSOCIATE-RJ is not 4 bytes');
  return { result: body[1]!, source: body[2]!, reason: body[3]! };
}

export const encodeReleaseRq = (): Buffer => pdu(PduType.releaseRq, Buffer.alloc(4));
export const encodeReleaseRp = (): Buffer => pdu(PduType.releaseRp, Buffer.alloc(4));

export interface Abort {
  /** 0 service-user, 2 service-provider. */
  source: number;
  reason: number;
}

export function encodeAbort(abort: Abort): Buffer {
  return pdu(PduType.abort, Buffer.from([0, 0, abort.source, abort.reason]));
}

export function decodeAbort(body: Buffer): Abort {
  if (body.length !== 4) throw new PduError(AbortReason.invalidPduParameterValue, 'A-ABORT is not 4 bytes');
  return { source: body[2]!, reason: body[3]! };
}

export interface OutgoingPdv {
  contextId: number;
  command: boolean;
  last: boolean;
  data: Uint8Array;
}

/** One P-DATA-TF carrying the given PDVs. */
export function encodePData(pdvs: OutgoingPdv[]): Buffer {
  const parts: Uint8Array[] = [];
  let length = 0;
  for (const pdv of pdvs) {
    const head = Buffer.alloc(6);
    head.writeUInt32BE(pdv.data.length + 2, 0);
    head[4] = pdv.contextId;
    head[5] = (pdv.command ? 1 : 0) | (pdv.last ? 2 : 0);
    parts.push(head, pdv.data);
    length += 6 + pdv.data.length;
  }
  return Buffer.concat([header(PduType.pData, length), ...parts]);
}

/**
 * A message (command or dataset) as P-DATA-TF PDUs no longer than the peer's
 * maximum (`maxPduLength` 0 = unlimited), one PDV per PDU.
 */
export function fragmentMessage(contextId: number, command: boolean, data: Uint8Array, maxPduLength: number): Buffer[] {
  const room = maxPduLength > 0 ? Math.max(maxPduLength - 6, 1) : Math.max(data.length, 1);
  const out: Buffer[] = [];
  for (let at = 0; ; at += room) {
    const last = at + room >= data.length;
    out.push(encodePData([{ contextId, command, last, data: data.subarray(at, Math.min(at + room, data.length)) }]));
    if (last) return out;
  }
}
