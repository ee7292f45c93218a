/** Who may associate from where: a configured AE title only from its node's host; unknown AEs keep echo and store only. */
import { describe, expect, it } from 'vitest';
import type { RemoteNode } from '../../../../shared/config.js';
import { canonicalAddress } from '../../../../main/dicom/scp/ip-address.js';
import { decideAssociation, type AssociationPolicy } from '../../../../main/dicom/ul/negotiation.js';
import type { AssociateRq, ProposedContext } from '../../../../main/dicom/ul/pdu-codec.js';
import { EXPLICIT_VR_LE as EXPLICIT, VERIFICATION_SOP_CLASS as VERIFICATION } from '../../../../shared/dicom/uid-registry.js';

/** CT Image Storage, then Study Root Q/R find, move and get (PS3.4). */
const [CT, FIND, MOVE, GET] = ['1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.5.1.4.1.2.2.1', '1.2.840.10008.5.1.4.1.2.2.2', '1.2.840.10008.5.1.4.1.2.2.3'] as const;

const nodes: RemoteNode[] = [
  { name: 'PACS', aet: 'PACS', host: '10.0.0.5', port: 104, allow: ['store', 'find', 'move', 'get'] },
  { name: 'PACS v6', aet: 'PACS6', host: '2001:db8::5', port: 104, allow: ['find'] },
  { name: 'CT east', aet: 'CT', host: 'ct-east.example', port: 104, allow: ['store'] },
  { name: 'CT west', aet: 'CT', host: 'ct-west.example', port: 104, allow: ['store', 'find'] },
];
const resolved: Record<string, string[]> = { 'ct-east.example': ['10.0.1.1', '2001:db8::11'], 'ct-west.example': ['10.0.2.1'] };

const policy = (callerAddress: string, acceptUnknownCallers = true): AssociationPolicy => ({
  aet: 'VBX',
  acceptUnknownCallers,
  nodes,
  callerAddress: canonicalAddress(callerAddress)!,
  // As CallerAddresses answers: canonical addresses, or undefined for a name never resolved.
  addressesOf: (host) => (canonicalAddress(host) !== undefined ? [canonicalAddress(host)!] : resolved[host]?.map((a) => canonicalAddress(a)!)),
});

const contexts = (...abstractSyntaxes: string[]): ProposedContext[] => abstractSyntaxes.map((abstractSyntax, i) => ({ id: 2 * i + 1, abstractSyntax, transferSyntaxes: [EXPLICIT] }));
const request = (callingAe: string, proposed = contexts(VERIFICATION, CT)): AssociateRq => ({
  calledAe: 'VBX',
  callingAe,
  applicationContext: '1.2.840.10008.3.1.1.1',
  contexts: proposed,
  userInfo: { maxPduLength: 16384, roles: [] },
});
const results = (decision: ReturnType<typeof decideAssociation>) => (decision.kind === 'accept' ? decision.contexts.map((c) => c.result) : decision.why);

describe('caller addresses', () => {
  it.each([
    ['10.0.0.5', '10.0.0.5'],
    ['::ffff:10.0.0.5', '10.0.0.5'],
    ['::FFFF:0a00:0005', '10.0.0.5'],
    ['2001:DB8:0:0::5', '2001:db8::5'],
    ['2001:0db8::0005', '2001:db8::5'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:1:1:1:1:0:1', '2001:db8:1:1:1:1:0:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1', '::1'],
    ['::', '::'],
  ])('%s is written %s', (text, canonical) => {
    expect(canonicalAddress(text)).toBe(canonical);
  });

  it('a host name is not an address', () => {
    expect(canonicalAddress('pacs.example')).toBeUndefined();
    expect(canonicalAddress('10.0.0')).toBeUndefined();
  });
});

describe('a configured AE title from its host only', () => {
  it('accepts the node from its address, however the listener writes it', () => {
    expect(results(decideAssociation(request('PACS', contexts(FIND, MOVE, GET)), policy('::ffff:10.0.0.5'), false))).toEqual([0, 0, 0]);
    expect(results(decideAssociation(request('PACS6', contexts(FIND)), policy('2001:db8:0::0005'), false))).toEqual([0]);
  });

  it('refuses it from any other address, permanently, as "calling AE not recognized", naming AE, address and the expected one', () => {
    const decision = decideAssociation(request('PACS'), policy('10.0.0.6'), false);
    expect(decision).toMatchObject({ kind: 'reject', rj: { result: 1, source: 1, reason: 3 } });
    expect(decision.kind === 'reject' && decision.why).toBe('calling AE title "PACS" called from 10.0.0.6, but is configured for node "PACS" at 10.0.0.5');
  });

  it('refuses it from elsewhere even when unknown callers are accepted (an AE title is not a password, but it is not free either)', () => {
    expect(decideAssociation(request('PACS'), policy('192.168.1.9', true), false)).toMatchObject({ kind: 'reject' });
  });

  it('a host name stands for all its addresses; two nodes with one AE title are told apart by address', () => {
    expect(results(decideAssociation(request('CT', contexts(FIND)), policy('10.0.1.1'), false))).toEqual([1]); // east: store only
    expect(results(decideAssociation(request('CT', contexts(FIND)), policy('2001:db8::11'), false))).toEqual([1]);
    expect(results(decideAssociation(request('CT', contexts(FIND)), policy('10.0.2.1'), false))).toEqual([0]); // west may find
    const elsewhere = decideAssociation(request('CT'), policy('10.0.3.1'), false);
    expect(elsewhere.kind === 'reject' && elsewhere.why).toContain('node "CT east" at ct-east.example (10.0.1.1, 2001:db8::11); node "CT west" at ct-west.example (10.0.2.1)');
  });

  it('a host name not resolved (yet) matches no caller', () => {
    const unresolved: AssociationPolicy = { ...policy('10.0.1.1'), addressesOf: () => undefined };
    const decision = decideAssociation(request('CT'), unresolved, false);
    expect(decision.kind === 'reject' && decision.why).toContain('ct-east.example (not resolved)');
  });

  it('without a caller address (no socket address known) the AE title alone decides, as before', () => {
    const { callerAddress: _, ...noAddress } = policy('10.0.0.6');
    expect(decideAssociation(request('PACS'), noAddress, false).kind).toBe('accept');
  });
});

describe('unknown AE titles', () => {
  it('may echo and store when unknown callers are accepted, never find, move or get', () => {
    const decision = decideAssociation(request('STRANGER', contexts(VERIFICATION, CT, FIND, MOVE, GET)), policy('10.9.9.9', true), false);
    expect(results(decision)).toEqual([0, 0, 1, 1, 1]);
  });

  it('are refused outright otherwise', () => {
    expect(decideAssociation(request('STRANGER'), policy('10.9.9.9', false), false)).toMatchObject({ kind: 'reject', rj: { reason: 3 } });
  });
});
