/**
 * Storage Commitment Push Model as SCU (PS3.4 J.3): ask a PACS to take
 * responsibility for instances it received (N-ACTION), then wait for its
 * answer (N-EVENT-REPORT). The report may come on the N-ACTION's association
 * while we hold it open for a moment, or later on an association the PACS
 * opens to our listener (Orthanc does that); both end in `reports`, matched
 * by Transaction UID.
 */
import { randomUUID } from 'node:crypto';
import { EXPLICIT_VR_LE, IMPLICIT_VR_LE } from '../../../shared/dicom/uid-registry.js';
import type { CommitmentReports } from '../commitment-reports.js';
import { describeStatus, statusClass } from '../status.js';
import {
  encodeCommitmentRequest,
  REQUEST_COMMITMENT_ACTION,
  STORAGE_COMMITMENT_PUSH_MODEL,
  STORAGE_COMMITMENT_PUSH_MODEL_INSTANCE,
  type CommitmentReport,
  type FailedSopReference,
  type SopReference,
} from '../storage-commitment-sop.js';
import { encodeActionRequest, Tag } from '../ul/dimse-command.js';
import type { ScuPeer } from './client-association.js';
import { exchange, withAssociation } from './dimse-exchange.js';
import { ContextNotAcceptedError, DimseFailureError, ScuError } from './scu-error.js';

export interface CommitmentRequest {
  /** Default: a new UID (2.25 form). */
  transactionUid?: string;
  instances: SopReference[];
}

export interface CommitmentOptions {
  /** How long to wait for the report after the N-ACTION was answered, on any association. */
  waitSeconds: number;
  reports: CommitmentReports;
  /** How long the N-ACTION's association stays open for a report on it (default 2 s, at most waitSeconds). */
  holdSeconds?: number;
  /** Cancels the request, or the wait for its report (which then rejects; a report that still comes is unclaimed). */
  signal?: AbortSignal;
}

/**
 * What the PACS reported: the instances it committed and those it could not,
 * with its Failure Reason. With `timedOut`, no report came in time and
 * nothing is confirmed; an instance in neither list was not confirmed either.
 */
export interface CommitmentResult {
  transactionUid: string;
  committed: SopReference[];
  failed: FailedSopReference[];
  timedOut?: true;
}

const LABEL = 'N-ACTION (storage commitment request)';
const DEFAULT_HOLD_SECONDS = 2;

/** A Transaction UID no other request shares: a UUID as a 2.25 UID (PS3.5 B.2). */
export function newTransactionUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;
}

/**
 * Ask `peer` to commit `request.instances` and wait for its report. Rejects,
 * naming the node, when the association fails, the peer does not accept the
 * class, or it refuses the N-ACTION; resolves with `timedOut` when no report
 * came within `waitSeconds`.
 */
export async function requestStorageCommitment(peer: ScuPeer, request: CommitmentRequest, options: CommitmentOptions): Promise<CommitmentResult> {
  if (request.instances.length === 0) throw new ScuError(peer.node, 'a storage commitment request needs at least one instance');
  const transactionUid = request.transactionUid ?? newTransactionUid();
  if (options.signal?.aborted) throw new ScuError(peer.node, 'storage commitment request cancelled before it was sent');
  const withdraw = new AbortController();
  const cancel = () => withdraw.abort();
  options.signal?.addEventListener('abort', cancel, { once: true });
  // Waited for before the N-ACTION goes out: a PACS may report before its N-ACTION-RSP is read.
  const report = options.reports.expect(transactionUid, options.waitSeconds * 1000, withdraw.signal);
  const holdMs = Math.min(options.holdSeconds ?? DEFAULT_HOLD_SECONDS, options.waitSeconds) * 1000;
  const started = performance.now();
  const contexts = [{ abstractSyntax: STORAGE_COMMITMENT_PUSH_MODEL, transferSyntaxes: [EXPLICIT_VR_LE, IMPLICIT_VR_LE] }];
  try {
    await withAssociation(peer, { contexts }, options.signal, async (association) => {
      const context = association.contextOf(STORAGE_COMMITMENT_PUSH_MODEL);
      if (!context) throw new ContextNotAcceptedError(peer.node, 'the peer does not accept Storage Commitment Push Model');
      association.receiveCommitmentReports(options.reports);
      const response = await exchange(
        association,
        context.id,
        LABEL,
        (id) => encodeActionRequest(id, STORAGE_COMMITMENT_PUSH_MODEL, STORAGE_COMMITMENT_PUSH_MODEL_INSTANCE, REQUEST_COMMITMENT_ACTION),
        encodeCommitmentRequest(transactionUid, request.instances, context.transferSyntax),
        undefined,
      );
      if (statusClass(response.status) === 'failure') throw new DimseFailureError(peer.node, LABEL, response.status, response.command.text(Tag.errorComment));
      peer.logger.info('storage commitment requested', { node: peer.node.name, transactionUid, instances: request.instances.length, status: describeStatus(response.status) });
      await reportOrTimeout(report, holdMs);
    });
    const answer = await report;
    if (!answer && options.signal?.aborted) throw new ScuError(peer.node, `storage commitment transaction ${transactionUid}: cancelled while waiting for the report`);
    return resultOf(peer, transactionUid, request.instances.length, answer, performance.now() - started);
  } finally {
    withdraw.abort();
    options.signal?.removeEventListener('abort', cancel);
  }
}

/** Resolves when the report arrives or after `ms`, whichever is first. */
async function reportOrTimeout(report: Promise<CommitmentReport | undefined>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([report, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function resultOf(peer: ScuPeer, transactionUid: string, requested: number, report: CommitmentReport | undefined, ms: number): CommitmentResult {
  const elapsed = { node: peer.node.name, transactionUid, ms: Math.round(ms) };
  if (!report) {
    peer.logger.warn('no storage commitment report in time', { ...elapsed, requested });
    return { transactionUid, committed: [], failed: [], timedOut: true };
  }
  const unanswered = requested - report.committed.length - report.failed.length;
  peer.logger.info('storage commitment answered', { ...elapsed, reporterAe: report.reporterAe, committed: report.committed.length, failed: report.failed.length, ...(unanswered > 0 ? { unanswered } : {}) });
  return { transactionUid, committed: report.committed, failed: report.failed };
}
