/**
 * The Storage Commitment Push Model SOP Class (PS3.4 J.3) as data: its UIDs,
 * the N-ACTION's Action Information (what we ask to commit) and the
 * N-EVENT-REPORT's Event Information (what the PACS committed and what it
 * could not, with the reason). Pure; both ends of an association use it.
 */
import { parseDataset } from '../../shared/dicom/dataset-parser.js';
import { encodeDataset } from '../../shared/dicom/dataset-writer.js';
import type { DicomJsonDataset, DicomJsonElement } from '../../shared/dicom/json.js';
import { EXPLICIT_VR_LE } from '../../shared/dicom/uid-registry.js';
import { errorMessage } from '../../shared/error-message.js';
import { CommitmentFailureReason } from './status.js';

export const STORAGE_COMMITMENT_PUSH_MODEL = '1.2.840.10008.1.20.1';
/** The well-known SOP instance every N-ACTION and N-EVENT-REPORT of the class is about. */
export const STORAGE_COMMITMENT_PUSH_MODEL_INSTANCE = '1.2.840.10008.1.20.1.1';
/** Action Type ID (0000,1008) "Request Storage Commitment" (PS3.4 J.3.2.1.1). */
export const REQUEST_COMMITMENT_ACTION = 1;
/** Event Type ID (0000,1002) (PS3.4 J.3.3.1.1): all committed, or some failed. */
export const CommitmentEvent = { allCommitted: 1, someFailed: 2 } as const;

export interface SopReference {
  sopClassUid: string;
  sopInstanceUid: string;
}

export interface FailedSopReference extends SopReference {
  /** Failure Reason (0008,1197), a CommitmentFailureReason of status.ts. */
  reason: number;
}

/** One N-EVENT-REPORT's content. */
export interface CommitmentReport {
  transactionUid: string;
  committed: SopReference[];
  failed: FailedSopReference[];
  /** The AE title that reported (for logs and to tell reports of two PACS apart). */
  reporterAe: string;
}

/** The attributes of PS3.4 J.3.2.1.1.1 and J.3.3.1.1.1, as DICOM JSON keys. */
const Key = {
  transactionUid: '00081195',
  referencedSops: '00081199',
  failedSops: '00081198',
  sopClassUid: '00081150',
  sopInstanceUid: '00081155',
  failureReason: '00081197',
} as const;

export class CommitmentReportError extends Error {
  override name = 'CommitmentReportError';
}

const reference = (sop: SopReference): DicomJsonDataset => ({
  [Key.sopClassUid]: { vr: 'UI', Value: [sop.sopClassUid] },
  [Key.sopInstanceUid]: { vr: 'UI', Value: [sop.sopInstanceUid] },
});

/** The Action Information of an N-ACTION "Request Storage Commitment" (PS3.4 J.3.2.1.1.1), in `transferSyntaxUid`. */
export function encodeCommitmentRequest(transactionUid: string, instances: readonly SopReference[], transferSyntaxUid: string): Uint8Array {
  return encodeDataset(
    {
      [Key.transactionUid]: { vr: 'UI', Value: [transactionUid] },
      [Key.referencedSops]: { vr: 'SQ', Value: instances.map(reference) },
    },
    { explicitVr: transferSyntaxUid === EXPLICIT_VR_LE },
  );
}

/** The Event Information of an N-EVENT-REPORT (PS3.4 J.3.3.1.1.1): what a storage commitment SCP sends. */
export function encodeCommitmentReport(report: Omit<CommitmentReport, 'reporterAe'>, transferSyntaxUid: string): Uint8Array {
  const dataset: DicomJsonDataset = { [Key.transactionUid]: { vr: 'UI', Value: [report.transactionUid] } };
  if (report.committed.length > 0) dataset[Key.referencedSops] = { vr: 'SQ', Value: report.committed.map(reference) };
  if (report.failed.length > 0) {
    dataset[Key.failedSops] = { vr: 'SQ', Value: report.failed.map((f) => ({ ...reference(f), [Key.failureReason]: { vr: 'US', Value: [f.reason] } })) };
  }
  return encodeDataset(dataset, { explicitVr: transferSyntaxUid === EXPLICIT_VR_LE });
}

/**
 * Read an N-EVENT-REPORT's Event Information. Throws CommitmentReportError
 * naming what is missing (a report without its Transaction UID cannot be
 * matched to a request).
 */
export function decodeCommitmentReport(bytes: Uint8Array, transferSyntaxUid: string, reporterAe: string): CommitmentReport {
  let dataset: DicomJsonDataset;
  try {
    dataset = parseDataset(bytes, { transferSyntaxUid });
  } catch (error) {
    throw new CommitmentReportError(`storage commitment report from "${reporterAe}" cannot be read: ${errorMessage(error)}`, { cause: error });
  }
  const transactionUid = stringOf(dataset[Key.transactionUid]);
  if (!transactionUid) throw new CommitmentReportError(`storage commitment report from "${reporterAe}" has no Transaction UID (0008,1195)`);
  const references = (key: string, what: string) =>
    itemsOf(dataset[key]).map((item, i) => {
      const sopClassUid = stringOf(item[Key.sopClassUid]);
      const sopInstanceUid = stringOf(item[Key.sopInstanceUid]);
      if (!sopClassUid || !sopInstanceUid) {
        throw new CommitmentReportError(`storage commitment report ${transactionUid} from "${reporterAe}": item ${i + 1} of the ${what} lacks its SOP class or instance UID`);
      }
      return { item, sop: { sopClassUid, sopInstanceUid } };
    });
  return {
    transactionUid,
    reporterAe,
    committed: references(Key.referencedSops, 'Referenced SOP Sequence').map((r) => r.sop),
    // A failure without its reason is still a failure: "processing failure" says no more than nothing.
    failed: references(Key.failedSops, 'Failed SOP Sequence').map((r) => ({ ...r.sop, reason: numberOf(r.item[Key.failureReason]) ?? CommitmentFailureReason.processingFailure })),
  };
}

const stringOf = (element: DicomJsonElement | undefined): string | undefined => {
  const value = element?.Value?.[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const numberOf = (element: DicomJsonElement | undefined): number | undefined => {
  const value = element?.Value?.[0];
  return typeof value === 'number' ? value : undefined;
};

const itemsOf = (element: DicomJsonElement | undefined): DicomJsonDataset[] => (element?.vr === 'SQ' ? ((element.Value ?? []) as DicomJsonDataset[]) : []);
