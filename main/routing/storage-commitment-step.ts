/**
 * After a study group reached a DIMSE node marked `commit: true`: ask it to
 * commit those instances (N-ACTION), then record per row what its report
 * says (committed / failed). Rows stay 'requested' when no report came in
 * time; a report that comes later (even after a restart) is recorded by its
 * Transaction UID through `recordReport`.
 */
import type { RemoteNode } from '../../shared/config.js';
import type { CommitmentReports } from '../dicom/commitment-reports.js';
import type { ScuPeer } from '../dicom/scu/client-association.js';
import { newTransactionUid, requestStorageCommitment } from '../dicom/scu/storage-commitment.js';
import type { CommitmentReport } from '../dicom/storage-commitment-sop.js';
import type { Logger } from '../log.js';
import type { HeldInstance } from '../store/archive-reader.js';
import type { QueueRow, SendQueueStore } from '../store/send-queue-store.js';
import type { Destination } from './destination-list.js';

/** How long a report is waited for on the N-ACTION's association or our listener. */
const REPORT_WAIT_SECONDS = 30;

export interface CommitmentStepDeps {
  queue: SendQueueStore;
  peerOf: (node: RemoteNode) => ScuPeer;
  reports: CommitmentReports;
  getInstance: (sopInstanceUid: string) => HeldInstance | undefined;
  logger: Logger;
}

export function storageCommitmentStep(deps: CommitmentStepDeps): (destination: Destination, delivered: readonly QueueRow[]) => Promise<void> {
  return async (destination, delivered) => {
    if (destination.kind !== 'dimse' || !destination.node.commit) return;
    // A transformed copy carries other UIDs and bytes: only copies as stored are ours to have committed.
    const rows = delivered.filter((row) => row.transform === '');
    const instances = rows.flatMap((row) => {
      const held = deps.getInstance(row.sopUid);
      return held ? [{ row, ref: { sopClassUid: held.sopClassUid, sopInstanceUid: held.sopInstanceUid } }] : [];
    });
    if (instances.length === 0) return;
    const transactionUid = newTransactionUid();
    deps.queue.setCommitment(instances.map((i) => i.row.id), 'requested', transactionUid);
    try {
      const result = await requestStorageCommitment(deps.peerOf(destination.node), { transactionUid, instances: instances.map((i) => i.ref) }, { waitSeconds: REPORT_WAIT_SECONDS, reports: deps.reports });
      if (result.timedOut) {
        deps.logger.warn('no storage commitment report yet; the instances stay requested', { destination: destination.name, transactionUid, instances: instances.length });
        return;
      }
      recordReport(deps.queue, { ...result, reporterAe: destination.node.aet });
    } catch (error) {
      deps.queue.setCommitment(instances.map((i) => i.row.id), 'failed', transactionUid);
      deps.logger.warn('storage commitment request failed', { destination: destination.name, transactionUid, error });
    }
  };
}

/** Record a PACS's report against the rows of its transaction. */
export function recordReport(queue: SendQueueStore, report: CommitmentReport): number {
  return queue.recordCommitment(
    report.transactionUid,
    report.committed.map((r) => r.sopInstanceUid),
    report.failed.map((r) => r.sopInstanceUid),
  );
}
