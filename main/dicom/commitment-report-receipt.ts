/**
 * The receipt of a storage commitment N-EVENT-REPORT-RQ (PS3.4 J.3.3), on
 * either end of an association: on the one that carried our N-ACTION, or on
 * one the PACS opened to our listener. The Event Information is collected,
 * read, handed to the waiting request, and answered.
 */
import { errorMessage } from '../../shared/error-message.js';
import type { Logger } from '../log.js';
import type { CommitmentReports } from './commitment-reports.js';
import { Tag, type CommandSet } from './ul/dimse-command.js';
import type { DatasetDestination } from './ul/dimse-message-reader.js';
import { NotificationStatus, type DimseOutcome } from './status.js';
import { CommitmentEvent, decodeCommitmentReport, STORAGE_COMMITMENT_PUSH_MODEL, STORAGE_COMMITMENT_PUSH_MODEL_INSTANCE } from './storage-commitment-sop.js';

/** A report lists each instance in ~150 bytes: this holds some 100 000 of them. */
const MAX_REPORT_BYTES = 16 * 1024 * 1024;

/** Where the Event Information announced by `request` goes: collected, or read and refused. */
export function commitmentReportDestination(request: CommandSet, abstractSyntax: string, reports: CommitmentReports | undefined): DatasetDestination {
  const refused = (status: number, errorComment: string): DatasetDestination => ({ kind: 'discard', outcome: { status, errorComment } });
  const sopClassUid = request.ui(Tag.affectedSopClassUid);
  if (abstractSyntax !== STORAGE_COMMITMENT_PUSH_MODEL || sopClassUid !== STORAGE_COMMITMENT_PUSH_MODEL) {
    return refused(NotificationStatus.noSuchSopClass, `N-EVENT-REPORT for ${sopClassUid ?? 'no SOP class'} on a ${abstractSyntax} context: only Storage Commitment Push Model reports are taken`);
  }
  const sopInstanceUid = request.ui(Tag.affectedSopInstanceUid);
  if (sopInstanceUid !== STORAGE_COMMITMENT_PUSH_MODEL_INSTANCE) {
    return refused(NotificationStatus.noSuchSopInstance, `N-EVENT-REPORT about ${sopInstanceUid ?? 'no SOP instance'}, not ${STORAGE_COMMITMENT_PUSH_MODEL_INSTANCE}`);
  }
  const eventType = request.us(Tag.eventTypeId);
  if (eventType !== CommitmentEvent.allCommitted && eventType !== CommitmentEvent.someFailed) {
    return refused(NotificationStatus.noSuchEventType, `storage commitment event type ${eventType ?? 'missing'} is neither 1 nor 2`);
  }
  if (!reports) return refused(NotificationStatus.processingFailure, 'this listener takes no storage commitment reports');
  return { kind: 'collect', limit: MAX_REPORT_BYTES, what: 'storage commitment report' };
}

/** Read the collected Event Information and deliver it; the outcome is what the N-EVENT-REPORT-RSP says. */
export function receiveCommitmentReport(bytes: Uint8Array, transferSyntaxUid: string, reporterAe: string, reports: CommitmentReports, logger: Logger): DimseOutcome {
  try {
    reports.deliver(decodeCommitmentReport(bytes, transferSyntaxUid, reporterAe));
    return { status: NotificationStatus.success };
  } catch (error) {
    const errorComment = errorMessage(error);
    logger.warn('storage commitment report refused', { reporterAe, reason: errorComment });
    return { status: NotificationStatus.invalidArgumentValue, errorComment };
  }
}
