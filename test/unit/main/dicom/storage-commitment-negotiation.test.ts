/**
 * A PACS that opens an association to bring a storage commitment report
 * proposes the Push Model class and the SCP role for it: a configured node
 * gets both, an unknown AE gets neither, even where unknown AEs may store.
 */
import { describe, expect, it } from 'vitest';
import type { RemoteNode } from '../../../../shared/config.js';
import { decideAssociation } from '../../../../main/dicom/ul/negotiation.js';
import type { AssociateRq } from '../../../../main/dicom/ul/pdu-codec.js';

const COMMITMENT = '1.2.840.10008.1.20.1';
const CT = '1.2.840.10008.5.1.4.1.1.2';
const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';
const BIG_ENDIAN = '1.2.840.10008.1.2.2';

const nodes: RemoteNode[] = [{ name: 'pacs', aet: 'PACS', host: '127.0.0.1', port: 104, allow: [], commit: true }];
const policy = { aet: 'VBX', acceptUnknownCallers: true, nodes };
const request = (callingAe: string, transferSyntaxes = [BIG_ENDIAN, IMPLICIT]): AssociateRq => ({
  calledAe: 'VBX',
  callingAe,
  applicationContext: '1.2.840.10008.3.1.1.1',
  contexts: [
    { id: 1, abstractSyntax: COMMITMENT, transferSyntaxes },
    { id: 3, abstractSyntax: CT, transferSyntaxes: [EXPLICIT] },
  ],
  userInfo: { maxPduLength: 16384, roles: [{ sopClassUid: COMMITMENT, scu: false, scp: true }, { sopClassUid: CT, scu: false, scp: true }] },
});

describe('storage commitment reports on a new association', () => {
  it('a configured node: the context is accepted in a little-endian syntax and its SCP role granted', () => {
    const decision = decideAssociation(request('PACS'), policy, false);
    expect(decision.kind === 'accept' && decision.contexts[0]).toMatchObject({ id: 1, result: 0, transferSyntax: IMPLICIT });
    // The SCP role of storage stays refused: this node may not C-GET.
    expect(decision.kind === 'accept' && decision.roles).toEqual([{ sopClassUid: COMMITMENT, scu: false, scp: true }]);
  });

  it('a configured node proposing only big endian: transfer syntaxes not supported', () => {
    const decision = decideAssociation(request('PACS', [BIG_ENDIAN]), policy, false);
    expect(decision.kind === 'accept' && decision.contexts[0]?.result).toBe(4);
  });

  it('an unknown AE: the context is refused (and logged), storage still accepted, no role granted for it', () => {
    const decision = decideAssociation(request('STRANGER'), policy, false);
    expect(decision.kind === 'accept' && decision.contexts.map((c) => c.result)).toEqual([1, 0]);
    expect(decision.kind === 'accept' && decision.roles.filter((r) => r.sopClassUid === COMMITMENT)).toEqual([]);
    expect(decision.kind === 'accept' && decision.notes).toContainEqual(expect.stringContaining('storage commitment context 1 refused: calling AE "STRANGER"'));
  });
});
