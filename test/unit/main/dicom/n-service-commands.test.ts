/**
 * N-ACTION and N-EVENT-REPORT command sets (PS3.7 10.3.1, 10.3.4) for
 * storage commitment: the requests carry what the standard requires, and the
 * responses name the same SOP class and instance and echo the type IDs.
 */
import { describe, expect, it } from 'vitest';
import { CommandField, decodeCommandSet, encodeActionRequest, encodeEventReportRequest, encodeResponse, NO_DATASET, Tag, type CommandSet } from '../../../../main/dicom/ul/dimse-command.js';

const COMMITMENT = '1.2.840.10008.1.20.1';
const COMMITMENT_INSTANCE = '1.2.840.10008.1.20.1.1';

/** The (element, value length) pairs of a command set, read by hand after the group length. */
function elementsOf(bytes: Uint8Array): Array<[number, number]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Array<[number, number]> = [];
  for (let at = 12; at < bytes.length; at += 8 + view.getUint32(at + 4, true)) out.push([view.getUint16(at + 2, true), view.getUint32(at + 4, true)]);
  return out;
}

/** Command field, message ID, SOP class, SOP instance, type ID, and whether a dataset follows. */
const summary = (command: CommandSet, sopClass: number, sopInstance: number, typeId: number) => [
  command.commandField,
  command.us(Tag.messageId),
  command.ui(sopClass),
  command.ui(sopInstance),
  command.us(typeId),
  command.hasDataset,
];

describe('N-ACTION', () => {
  it('the request names the Requested SOP class and instance, the action type, and announces its dataset', () => {
    const bytes = encodeActionRequest(42, COMMITMENT, COMMITMENT_INSTANCE, 1);
    expect(summary(decodeCommandSet(bytes), Tag.requestedSopClassUid, Tag.requestedSopInstanceUid, Tag.actionTypeId)).toEqual([0x0130, 42, COMMITMENT, COMMITMENT_INSTANCE, 1, true]);
    // Elements in ascending order, (0000,0003) and (0000,1001) with even, NUL-padded lengths.
    expect(elementsOf(bytes).map(([e]) => e)).toEqual([0x0003, 0x0100, 0x0110, 0x0800, 0x1001, 0x1008]);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true)).toBe(bytes.length - 12);
  });

  it('the response answers with Affected SOP class and instance and the Action Type ID', () => {
    const response = decodeCommandSet(encodeResponse(decodeCommandSet(encodeActionRequest(42, COMMITMENT, COMMITMENT_INSTANCE, 1)), 0));
    expect(response.commandField).toBe(CommandField.nActionRsp);
    expect(response.us(Tag.messageIdBeingRespondedTo)).toBe(42);
    expect(response.ui(Tag.affectedSopClassUid)).toBe(COMMITMENT);
    expect(response.ui(Tag.affectedSopInstanceUid)).toBe(COMMITMENT_INSTANCE);
    expect(response.us(Tag.actionTypeId)).toBe(1);
    expect(response.us(Tag.commandDataSetType)).toBe(NO_DATASET);
    expect(response.us(Tag.status)).toBe(0);
  });
});

describe('N-EVENT-REPORT', () => {
  it('the request names the Affected SOP class and instance and the event type', () => {
    const command = decodeCommandSet(encodeEventReportRequest(7, COMMITMENT, COMMITMENT_INSTANCE, 2));
    expect(summary(command, Tag.affectedSopClassUid, Tag.affectedSopInstanceUid, Tag.eventTypeId)).toEqual([0x0100, 7, COMMITMENT, COMMITMENT_INSTANCE, 2, true]);
  });

  it('the response echoes message, SOP instance and Event Type ID, with the status and a comment', () => {
    const request = decodeCommandSet(encodeEventReportRequest(7, COMMITMENT, COMMITMENT_INSTANCE, 2));
    const response = decodeCommandSet(encodeResponse(request, 0x0115, 'bad report'));
    expect(response.commandField).toBe(CommandField.nEventReportRsp);
    expect(response.us(Tag.messageIdBeingRespondedTo)).toBe(7);
    expect(response.ui(Tag.affectedSopClassUid)).toBe(COMMITMENT);
    expect(response.ui(Tag.affectedSopInstanceUid)).toBe(COMMITMENT_INSTANCE);
    expect(response.us(Tag.eventTypeId)).toBe(2);
    expect(response.us(Tag.status)).toBe(0x0115);
    expect(response.text(Tag.errorComment)).toBe('bad report');
    expect(response.us(Tag.actionTypeId)).toBeUndefined();
  });
});
