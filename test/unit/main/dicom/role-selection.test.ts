/**
 * SCP/SCU Role Selection sub-items (PS3.7 D.3.3.4) in A-ASSOCIATE-RQ and -AC:
 * the bytes as the standard lays them out, built here by hand, and round trips
 * of every role combination (a storage commitment SCP reporting on its own
 * association proposes SCU 0, SCP 1).
 */
import { describe, expect, it } from 'vitest';
import { decodeAssociateAc, decodeAssociateRq, encodeAssociateAc, encodeAssociateRq, type AssociateRq, type RoleSelection } from '../../../../main/dicom/ul/pdu-codec.js';

const COMMITMENT = '1.2.840.10008.1.20.1';
const CT = '1.2.840.10008.5.1.4.1.1.2';

/** Item 0x54: type, reserved, length, UID length, UID, SCU role, SCP role. */
function roleItem(uid: string, scu: number, scp: number): Buffer {
  const value = Buffer.concat([Buffer.from([uid.length >> 8, uid.length & 0xff]), Buffer.from(uid, 'latin1'), Buffer.from([scu, scp])]);
  return Buffer.concat([Buffer.from([0x54, 0, value.length >> 8, value.length & 0xff]), value]);
}

const rqWith = (roles: RoleSelection[]): AssociateRq => ({
  calledAe: 'VIEWBOX',
  callingAe: 'ORTHANC',
  applicationContext: '1.2.840.10008.3.1.1.1',
  contexts: [{ id: 1, abstractSyntax: COMMITMENT, transferSyntaxes: ['1.2.840.10008.1.2'] }],
  userInfo: { maxPduLength: 16384, roles },
});

describe('SCP/SCU role selection', () => {
  it('encodes the sub-item byte for byte as PS3.7 D.3.3.4 lays it out', () => {
    const encoded = encodeAssociateRq(rqWith([{ sopClassUid: COMMITMENT, scu: false, scp: true }]));
    expect(encoded.includes(roleItem(COMMITMENT, 0, 1))).toBe(true);
  });

  it.each([
    [false, true],
    [true, false],
    [true, true],
    [false, false],
  ])('round-trips SCU %s / SCP %s in a request and an answer', (scu, scp) => {
    const roles = [
      { sopClassUid: COMMITMENT, scu, scp },
      { sopClassUid: CT, scu: !scu, scp: !scp },
    ];
    expect(decodeAssociateRq(encodeAssociateRq(rqWith(roles)).subarray(6)).userInfo.roles).toEqual(roles);
    const ac = { calledAe: 'VIEWBOX', callingAe: 'ORTHANC', contexts: [{ id: 1, result: 0, transferSyntax: '1.2.840.10008.1.2' }], userInfo: { maxPduLength: 16384, roles } };
    expect(decodeAssociateAc(encodeAssociateAc(ac).subarray(6)).userInfo.roles).toEqual(roles);
  });

  it('decodes a sub-item built by hand inside a request', () => {
    const encoded = encodeAssociateRq(rqWith([]));
    // Append a hand-built role item to the user information item (the last item) and fix both lengths.
    const extra = roleItem(COMMITMENT, 0, 1);
    const userInfoAt = encoded.lastIndexOf(Buffer.from([0x50, 0]));
    const patched = Buffer.concat([encoded, extra]);
    patched.writeUInt16BE(patched.readUInt16BE(userInfoAt + 2) + extra.length, userInfoAt + 2);
    patched.writeUInt32BE(patched.length - 6, 2);
    expect(decodeAssociateRq(patched.subarray(6)).userInfo.roles).toEqual([{ sopClassUid: COMMITMENT, scu: false, scp: true }]);
  });
});
