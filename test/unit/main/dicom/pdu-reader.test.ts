import { describe, expect, it } from 'vitest';
import { encodeAbort, encodeAssociateRq, encodePData, encodeReleaseRq, PduError, PduType } from '../../../../main/dicom/ul/pdu-codec.js';
import { PduReader, type ReaderEvent } from '../../../../main/dicom/ul/pdu-reader.js';

const rq = encodeAssociateRq({
  calledAe: 'US',
  callingAe: 'THEM',
  applicationContext: '1.2.840.10008.3.1.1.1',
  contexts: [{ id: 1, abstractSyntax: '1.2.840.10008.1.1', transferSyntaxes: ['1.2.840.10008.1.2'] }],
  userInfo: { maxPduLength: 16384, roles: [] },
});
const command = Uint8Array.from({ length: 30 }, (_, i) => i);
const data1 = Uint8Array.from({ length: 100 }, (_, i) => 200 - i);
const data2 = Uint8Array.from({ length: 57 }, (_, i) => i * 3);
const stream = Buffer.concat([
  rq,
  encodePData([{ contextId: 1, command: true, last: true, data: command }]),
  encodePData([
    { contextId: 1, command: false, last: false, data: data1 },
    { contextId: 1, command: false, last: true, data: data2 },
  ]),
  encodePData([{ contextId: 3, command: false, last: true, data: new Uint8Array(0) }]),
  encodeReleaseRq(),
  encodeAbort({ source: 0, reason: 0 }),
]);

/** Collapse events into whole PDUs / PDVs so results are comparable whatever the chunking. */
function summarise(events: ReaderEvent[]): string[] {
  const out: string[] = [];
  let pdv: number[] = [];
  for (const e of events) {
    if (e.kind === 'pdu') out.push(`pdu ${e.type} ${Buffer.from(e.body).toString('hex')}`);
    else {
      pdv.push(...e.data);
      if (e.pdvEnd) {
        out.push(`pdv ctx=${e.contextId} cmd=${e.command} final=${e.final} ${Buffer.from(pdv).toString('hex')}`);
        pdv = [];
      }
    }
  }
  return out;
}

describe('PduReader', () => {
  const whole = summarise(new PduReader({ maxPduLength: 16384 }).feed(stream));

  it('frames every PDU and PDV of a stream', () => {
    expect(whole[0]).toBe(`pdu ${PduType.associateRq} ${rq.subarray(6).toString('hex')}`);
    expect(whole.map((s) => s.slice(0, 20))).toEqual([
      `pdu ${PduType.associateRq} ${rq.subarray(6).toString('hex')}`.slice(0, 20),
      'pdv ctx=1 cmd=true f',
      'pdv ctx=1 cmd=false ',
      'pdv ctx=1 cmd=false ',
      'pdv ctx=3 cmd=false ',
      'pdu 5 00000000',
      'pdu 7 00000000',
    ]);
    expect(whole[2]).toContain('final=false ' + Buffer.from(data1).toString('hex'));
    expect(whole[3]).toContain('final=true ' + Buffer.from(data2).toString('hex'));
    expect(whole[4]).toMatch(/final=true $/);
  });

  it('gives the same result when the stream is split at every possible boundary (two chunks)', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const reader = new PduReader({ maxPduLength: 16384 });
      const events = [...reader.feed(stream.subarray(0, cut)), ...reader.feed(stream.subarray(cut))];
      expect(summarise(events), `cut at ${cut}`).toEqual(whole);
      expect(reader.idle).toBe(true);
    }
  });

  it('gives the same result fed one byte at a time, and data are views, not copies', () => {
    const reader = new PduReader({ maxPduLength: 16384 });
    const events: ReaderEvent[] = [];
    for (let i = 0; i < stream.length; i++) events.push(...reader.feed(stream.subarray(i, i + 1)));
    expect(summarise(events)).toEqual(whole);
    const pdv = new PduReader({ maxPduLength: 16384 }).feed(stream).find((e) => e.kind === 'pdv' && !e.command);
    expect(pdv?.kind === 'pdv' && pdv.data.buffer).toBe(stream.buffer);
  });

  it.each([
    ['an unknown PDU type', Buffer.from([0x09, 0, 0, 0, 0, 0]), /unknown PDU type 0x9/, 1],
    ['a P-DATA-TF beyond the max PDU', encodePData([{ contextId: 1, command: true, last: true, data: new Uint8Array(20000) }]), /exceeds the maximum PDU length 16384/, 6],
    ['an A-ASSOCIATE-RQ over 1 MB', Buffer.from([0x01, 0, 0x00, 0x20, 0x00, 0x00]), /exceeds/, 6],
    ['a PDV longer than its PDU', Buffer.from([0x04, 0, 0, 0, 0, 8, 0, 0, 0, 9, 1, 3, 0, 0]), /PDV length 9 does not fit/, 6],
    ['a PDV length below 2', Buffer.from([0x04, 0, 0, 0, 0, 6, 0, 0, 0, 1, 1, 3]), /PDV length 1/, 6],
    ['a PDV header that does not fit its PDU', Buffer.from([0x04, 0, 0, 0, 0, 4, 0, 0, 0, 2]), /does not fit/, 6],
  ])('%s → PduError with the PS3.8 abort reason', (_name, bytes, message, reason) => {
    let error: unknown;
    try {
      new PduReader({ maxPduLength: 16384 }).feed(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PduError);
    expect((error as PduError).message).toMatch(message);
    expect((error as PduError).reason).toBe(reason);
  });
});
