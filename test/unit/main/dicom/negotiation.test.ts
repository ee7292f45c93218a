import { describe, expect, it } from 'vitest';
import type { RemoteNode } from '../../../../shared/config.js';
import { decideAssociation, type AssociationPolicy } from '../../../../main/dicom/ul/negotiation.js';
import type { AssociateRq, ProposedContext } from '../../../../main/dicom/ul/pdu-codec.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const VERIFICATION = '1.2.840.10008.1.1';
const FIND = '1.2.840.10008.5.1.4.1.2.2.1';
const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';
const JPEG_LS = '1.2.840.10008.1.2.4.80';
const HTJ2K = '1.2.840.10008.1.2.4.201';

const nodes: RemoteNode[] = [
  { name: 'CT', aet: 'CT1', host: 'ct', port: 104, allow: ['store'] },
  { name: 'RIS', aet: 'RIS', host: 'ris', port: 104, allow: ['find'] },
  { name: 'Reader', aet: 'READER', host: 'ws', port: 104, allow: ['get'] },
];
const policy = (acceptUnknownCallers = false): AssociationPolicy => ({ aet: 'VBX', acceptUnknownCallers, nodes });
const request = (overrides: Partial<AssociateRq> = {}, contexts: ProposedContext[] = [{ id: 1, abstractSyntax: CT, transferSyntaxes: [EXPLICIT] }]): AssociateRq => ({
  calledAe: 'VBX',
  callingAe: 'CT1',
  applicationContext: '1.2.840.10008.3.1.1.1',
  contexts,
  userInfo: { maxPduLength: 16384, roles: [] },
  ...overrides,
});

describe('association decisions', () => {
  it.each([
    ['wrong application context', request({ applicationContext: '1.2.3' }), policy(), false, { result: 1, source: 1, reason: 2 }, 'application context'],
    ['called AE not ours', request({ calledAe: 'OTHER' }), policy(), false, { result: 1, source: 1, reason: 7 }, '"OTHER"'],
    ['unknown caller, unknown callers refused', request({ callingAe: 'NOBODY' }), policy(false), false, { result: 1, source: 1, reason: 3 }, '"NOBODY"'],
    ['over the association limit', request(), policy(), true, { result: 2, source: 3, reason: 2 }, 'too many'],
  ])('%s → A-ASSOCIATE-RJ', (_name, rq, p, overLimit, rj, why) => {
    const decision = decideAssociation(rq, p, overLimit);
    expect(decision).toMatchObject({ kind: 'reject', rj });
    expect(decision.kind === 'reject' && decision.why).toContain(why);
  });

  it('accepts an unknown caller when unknown callers are allowed, storage included', () => {
    expect(decideAssociation(request({ callingAe: 'NOBODY' }), policy(true), false)).toMatchObject({ kind: 'accept', contexts: [{ id: 1, result: 0 }] });
  });

  const contexts: ProposedContext[] = [
    { id: 1, abstractSyntax: CT, transferSyntaxes: [JPEG_LS, EXPLICIT] },
    { id: 3, abstractSyntax: CT, transferSyntaxes: ['1.2.3.999', HTJ2K, IMPLICIT] },
    { id: 5, abstractSyntax: CT, transferSyntaxes: ['1.2.3.999'] },
    { id: 7, abstractSyntax: FIND, transferSyntaxes: [IMPLICIT] },
    { id: 9, abstractSyntax: '1.2.3.4.5', transferSyntaxes: [IMPLICIT] },
    { id: 11, abstractSyntax: VERIFICATION, transferSyntaxes: [EXPLICIT, IMPLICIT] },
  ];

  it('per context: first standard syntax (no transcoding), 1 for a service not allowed, 3 for unknown classes, 4 for no known syntax', () => {
    const decision = decideAssociation(request({}, contexts), policy(), false);
    expect(decision.kind === 'accept' && decision.contexts.map((c) => [c.id, c.result, c.result === 0 ? c.transferSyntax : ''])).toEqual([
      [1, 0, JPEG_LS],
      [3, 0, HTJ2K],
      [5, 4, ''],
      [7, 1, ''],
      [9, 3, ''],
      [11, 0, EXPLICIT],
    ]);
    expect(decision.kind === 'accept' && decision.notes.join('\n')).toContain('find context 7 (1.2.840.10008.5.1.4.1.2.2.1) refused: node "CT" is not allowed find');
  });

  it('unknown callers may store when allowed, never query', () => {
    const decision = decideAssociation(request({ callingAe: 'NOBODY' }, contexts), policy(true), false);
    expect(decision.kind === 'accept' && decision.contexts.map((c) => c.result)).toEqual([0, 0, 4, 1, 3, 0]);
  });

  it('a known node without "store" gets storage rejected (1) with a note, verification still accepted', () => {
    const decision = decideAssociation(request({ callingAe: 'RIS' }, contexts), policy(), false);
    expect(decision.kind === 'accept' && decision.contexts.map((c) => [c.result, c.transferSyntax])).toEqual([
      [1, JPEG_LS],
      [1, '1.2.3.999'],
      [1, '1.2.3.999'],
      [0, IMPLICIT],
      [3, IMPLICIT],
      [0, EXPLICIT],
    ]);
    expect(decision.kind === 'accept' && decision.notes.join('\n')).toContain('"RIS" is not allowed to store');
  });

  it('a node allowed C-GET has storage accepted, and the SCP role granted, for the classes it proposes as SCP', () => {
    const rq = request({ callingAe: 'READER' }, contexts);
    rq.userInfo = { maxPduLength: 0, roles: [{ sopClassUid: CT, scu: false, scp: true }] };
    const decision = decideAssociation(rq, policy(), false);
    expect(decision.kind === 'accept' && decision.contexts.map((c) => c.result)).toEqual([0, 0, 4, 1, 3, 0]);
    expect(decision).toMatchObject({ kind: 'accept', roles: [{ sopClassUid: CT, scu: false, scp: true }] });
    const withoutRole = decideAssociation(request({ callingAe: 'READER' }, contexts), policy(), false);
    expect(withoutRole.kind === 'accept' && withoutRole.contexts[0]?.result).toBe(1);
  });

  it('answers role selection (no SCP role without C-GET) and async operations (one at a time)', () => {
    const rq = request({}, contexts);
    rq.userInfo = { maxPduLength: 0, roles: [{ sopClassUid: CT, scu: true, scp: true }, { sopClassUid: '1.2.3.4.5', scu: true, scp: false }], asyncOps: { invoked: 5, performed: 5 } };
    const decision = decideAssociation(rq, policy(), false);
    expect(decision).toMatchObject({ kind: 'accept', roles: [{ sopClassUid: CT, scu: true, scp: false }], asyncOps: { invoked: 1, performed: 1 } });
  });
});
