import { describe, expect, it } from 'vitest';
import {
  decodeAbort,
  decodeAssociateAc,
  decodeAssociateRj,
  decodeAssociateRq,
  encodeAbort,
  encodeAssociateAc,
  encodeAssociateRj,
  encodeAssociateRq,
  fragmentMessage,
  PduError,
  type AssociateAc,
  type AssociateRq,
} from '../../../../main/dicom/ul/pdu-codec.js';
import { associateRq as rawAssociateRq } from '../../../helpers/peers/raw-association.js';

const body = (pdu: Buffer) => pdu.subarray(6);

describe('PDU codec', () => {
  it('round-trips an A-ASSOCIATE-RQ with every user-information item we read', () => {
    const rq: AssociateRq = {
      calledAe: 'VIEWBOX',
      callingAe: 'CT_SCANNER_01',
      applicationContext: '1.2.840.10008.3.1.1.1',
      contexts: [
        { id: 1, abstractSyntax: '1.2.840.10008.5.1.4.1.1.2', transferSyntaxes: ['1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.1'] },
        { id: 3, abstractSyntax: '1.2.840.10008.1.1', transferSyntaxes: ['1.2.840.10008.1.2'] },
      ],
      userInfo: {
        maxPduLength: 32768,
        implementationClassUid: '1.2.3.4',
        implementationVersionName: 'X_1',
        asyncOps: { invoked: 2, performed: 3 },
        roles: [{ sopClassUid: '1.2.840.10008.5.1.4.1.1.2', scu: true, scp: false }],
      },
    };
    const encoded = encodeAssociateRq(rq);
    expect(encoded.readUInt32BE(2)).toBe(encoded.length - 6);
    expect(decodeAssociateRq(body(encoded))).toEqual(rq);
  });

  it('decodes an A-ASSOCIATE-RQ built independently (NUL-padded UIDs, space-padded AEs)', () => {
    const rq = decodeAssociateRq(body(rawAssociateRq({ callingAe: 'RAW', calledAe: 'VBX', contexts: [{ id: 5, abstractSyntax: '1.2.840.10008.1.1', transferSyntaxes: ['1.2.840.10008.1.2'] }], maxPdu: 1234 })));
    expect(rq).toMatchObject({ calledAe: 'VBX', callingAe: 'RAW', applicationContext: '1.2.840.10008.3.1.1.1', userInfo: { maxPduLength: 1234 } });
    expect(rq.contexts).toEqual([{ id: 5, abstractSyntax: '1.2.840.10008.1.1', transferSyntaxes: ['1.2.840.10008.1.2'] }]);
  });

  it('round-trips A-ASSOCIATE-AC, RJ and A-ABORT', () => {
    const ac: AssociateAc = {
      calledAe: 'VIEWBOX',
      callingAe: 'CT',
      contexts: [
        { id: 1, result: 0, transferSyntax: '1.2.840.10008.1.2.1' },
        { id: 3, result: 3, transferSyntax: '1.2.840.10008.1.2' },
      ],
      userInfo: { maxPduLength: 16384, implementationClassUid: '2.25.1', implementationVersionName: 'V', roles: [{ sopClassUid: '1.2', scu: true, scp: false }] },
    };
    expect(decodeAssociateAc(body(encodeAssociateAc(ac)))).toEqual(ac);
    expect(decodeAssociateRj(body(encodeAssociateRj({ result: 2, source: 3, reason: 2 })))).toEqual({ result: 2, source: 3, reason: 2 });
    expect([...encodeAbort({ source: 2, reason: 6 })]).toEqual([7, 0, 0, 0, 0, 4, 0, 0, 2, 6]);
    expect(decodeAbort(body(encodeAbort({ source: 2, reason: 6 })))).toEqual({ source: 2, reason: 6 });
  });

  it('rejects an item whose length runs past its PDU', () => {
    const rq = rawAssociateRq({ callingAe: 'A', calledAe: 'B', contexts: [{ id: 1, abstractSyntax: '1.2', transferSyntaxes: ['1.2.840.10008.1.2'] }] });
    rq.writeUInt16BE(0x7000, 6 + 68 + 2); // application context item length
    expect(() => decodeAssociateRq(body(rq))).toThrow(PduError);
    expect(() => decodeAssociateRq(body(rq))).toThrow(/runs past/);
  });

  it('fragments a message to the peer\'s max PDU, the last bit only on the last PDV', () => {
    const data = new Uint8Array(250).map((_, i) => i);
    const pdus = fragmentMessage(3, false, data, 106);
    // max PDU length bounds the P-DATA-TF body (PDV headers included), PS3.8 D.1
    expect(pdus.map((p) => p.readUInt32BE(2))).toEqual([106, 106, 56]);
    expect(pdus.map((p) => p[11])).toEqual([0, 0, 2]);
    expect(Buffer.concat(pdus.map((p) => p.subarray(12)))).toEqual(Buffer.from(data));
    expect(fragmentMessage(1, true, data, 0)).toHaveLength(1);
  });
});
