/**
 * Association policy as pure decisions (PS3.8 7.1.1): who may associate, and
 * which presentation contexts we accept with which transfer syntax.
 */
import type { DicomService, RemoteNode } from '../../../shared/config.js';
import { EXPLICIT_VR_LE, IMPLICIT_VR_LE, isStorageSopClass, transferSyntax, VERIFICATION_SOP_CLASS } from '../../../shared/dicom/uid-registry.js';
import { QUERY_RETRIEVE_CLASSES } from '../query-retrieve-classes.js';
import { STORAGE_COMMITMENT_PUSH_MODEL } from '../storage-commitment-sop.js';
import { APPLICATION_CONTEXT_NAME, ContextResult, type AssociateRj, type AssociateRq, type RoleSelection } from './pdu-codec.js';

export interface AssociationPolicy {
  aet: string;
  acceptUnknownCallers: boolean;
  nodes: RemoteNode[];
  /** The caller's IP address, canonical (scp/ip-address.ts). Absent: the address is not checked. */
  callerAddress?: string;
  /** Canonical addresses a node's `host` stands for; undefined while a host name has not resolved. */
  addressesOf?: (host: string) => readonly string[] | undefined;
}

export interface ContextDecision {
  id: number;
  abstractSyntax: string;
  result: number;
  transferSyntax: string;
}

export type AssociationDecision =
  | { kind: 'reject'; rj: AssociateRj; why: string }
  | {
      kind: 'accept';
      contexts: ContextDecision[];
      roles: RoleSelection[];
      /** Answered only when proposed: one operation at a time each way. */
      asyncOps?: { invoked: number; performed: number };
      /** Policy refusals worth a log line (e.g. storage refused to a known AE). */
      notes: string[];
    };

/** PS3.8 9.3.4 rejection reasons we use. */
export const Rejection = {
  applicationContextNotSupported: { result: 1, source: 1, reason: 2 },
  callingAeNotRecognized: { result: 1, source: 1, reason: 3 },
  calledAeNotRecognized: { result: 1, source: 1, reason: 7 },
  localLimitExceeded: { result: 2, source: 3, reason: 2 },
} as const satisfies Record<string, AssociateRj>;

export function decideAssociation(rq: AssociateRq, policy: AssociationPolicy, overLimit: boolean): AssociationDecision {
  if (rq.applicationContext !== APPLICATION_CONTEXT_NAME) {
    return { kind: 'reject', rj: Rejection.applicationContextNotSupported, why: `application context "${rq.applicationContext}" not supported` };
  }
  if (rq.calledAe !== policy.aet) {
    return { kind: 'reject', rj: Rejection.calledAeNotRecognized, why: `called AE title "${rq.calledAe}" is not ours ("${policy.aet}")` };
  }
  const configured = policy.nodes.filter((n) => n.aet === rq.callingAe);
  const node = configured.find((n) => callsFromItsHost(n, policy));
  if (configured.length > 0 && !node) {
    return { kind: 'reject', rj: Rejection.callingAeNotRecognized, why: wrongAddress(rq.callingAe, configured, policy) };
  }
  if (!node && !policy.acceptUnknownCallers) {
    return { kind: 'reject', rj: Rejection.callingAeNotRecognized, why: `calling AE title "${rq.callingAe}" is not a configured node` };
  }
  if (overLimit) return { kind: 'reject', rj: Rejection.localLimitExceeded, why: 'too many open associations' };

  const allows = (service: DicomService) => (node ? node.allow.includes(service) : service === 'store');
  const who = `node "${node?.name ?? rq.callingAe}"`;
  // C-GET sends its instances back on this association: the caller must take the storage SCP role.
  const getStorage = allows('get') ? new Set(rq.userInfo.roles.filter((r) => r.scp).map((r) => r.sopClassUid)) : new Set<string>();
  const notes: string[] = [];
  const contexts = rq.contexts.map((c): ContextDecision => {
    const decided = (result: number, ts = c.transferSyntaxes[0] ?? ''): ContextDecision => ({ id: c.id, abstractSyntax: c.abstractSyntax, result, transferSyntax: ts });
    // Identifiers and commitment reports are small; we read and write them in the little-endian syntaxes only.
    const littleEndian = () => {
      const ts = c.transferSyntaxes.find((uid) => uid === EXPLICIT_VR_LE || uid === IMPLICIT_VR_LE);
      return ts === undefined ? decided(ContextResult.transferSyntaxesNotSupported) : decided(ContextResult.acceptance, ts);
    };
    const queryRetrieve = QUERY_RETRIEVE_CLASSES.get(c.abstractSyntax);
    if (queryRetrieve) {
      if (!allows(queryRetrieve.service)) {
        notes.push(`${queryRetrieve.service} context ${c.id} (${c.abstractSyntax}) refused: ${who} is not allowed ${queryRetrieve.service}`);
        return decided(ContextResult.userRejection);
      }
      return littleEndian();
    }
    if (c.abstractSyntax === STORAGE_COMMITMENT_PUSH_MODEL) {
      // A PACS reporting the outcome of our storage commitment request: only nodes we could have asked.
      if (!node) {
        notes.push(`storage commitment context ${c.id} refused: calling AE "${rq.callingAe}" is not a configured node`);
        return decided(ContextResult.userRejection);
      }
      return littleEndian();
    }
    const storage = isStorageSopClass(c.abstractSyntax);
    if (!storage && c.abstractSyntax !== VERIFICATION_SOP_CLASS) return decided(ContextResult.abstractSyntaxNotSupported);
    if (storage && !allows('store') && !getStorage.has(c.abstractSyntax)) {
      notes.push(`storage context ${c.id} (${c.abstractSyntax}) refused: ${who} is not allowed to store`);
      return decided(ContextResult.userRejection);
    }
    // No transcoding on ingest: the first standard syntax the proposer lists wins.
    const ts = c.transferSyntaxes.find((uid) => transferSyntax(uid) !== undefined);
    return ts === undefined ? decided(ContextResult.transferSyntaxesNotSupported) : decided(ContextResult.acceptance, ts);
  });

  const accepted = new Set(contexts.filter((c) => c.result === ContextResult.acceptance).map((c) => c.abstractSyntax));
  // The requestor may be SCU of what we accepted, SCP of storage for its C-GETs, and SCP of storage
  // commitment when it brings the report of our request on its own association (PS3.4 J.3.3).
  const roles = rq.userInfo.roles
    .filter((r) => accepted.has(r.sopClassUid))
    .map((r) => ({ sopClassUid: r.sopClassUid, scu: r.scu, scp: r.scp && (getStorage.has(r.sopClassUid) || r.sopClassUid === STORAGE_COMMITMENT_PUSH_MODEL) }));
  return {
    kind: 'accept',
    contexts,
    roles,
    ...(rq.userInfo.asyncOps ? { asyncOps: { invoked: 1, performed: 1 } } : {}),
    notes,
  };
}

/** A configured AE title may associate only from its node's `host` (any of a name's addresses). */
function callsFromItsHost(node: RemoteNode, policy: AssociationPolicy): boolean {
  if (policy.callerAddress === undefined || !policy.addressesOf) return true;
  return policy.addressesOf(node.host)?.includes(policy.callerAddress) ?? false;
}

function wrongAddress(callingAe: string, configured: RemoteNode[], policy: AssociationPolicy): string {
  const expected = configured.map((n) => {
    const addresses = policy.addressesOf?.(n.host);
    const shown = addresses === undefined ? 'not resolved' : addresses.join(', ') || 'no address';
    return addresses?.length === 1 && addresses[0] === n.host ? `node "${n.name}" at ${n.host}` : `node "${n.name}" at ${n.host} (${shown})`;
  });
  return `calling AE title "${callingAe}" called from ${policy.callerAddress}, but is configured for ${expected.join('; ')}`;
}
