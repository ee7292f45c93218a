/**
 * The STOW-RS response (PS3.18 10.5.3, Store Instances Response Module):
 * Referenced SOP Sequence for what was stored, Failed SOP Sequence with a
 * Failure Reason for what was not, and the HTTP status: 200 all stored,
 * 202 some failed, 409 none stored. Each failure's text goes in a Warning
 * header (as PS3.18 does for status text, RFC 7234 warn-code 299) since the module has no
 * place for prose.
 */
import { instanceUrl, studyUrl } from '../../../shared/api/dicomweb-paths.js';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import type { PartResult } from './stow-part.js';

const RETRIEVE_URL = '00081190';
const REFERENCED_SOP_SEQUENCE = '00081199';
const FAILED_SOP_SEQUENCE = '00081198';
const FAILURE_REASON = '00081197';
const REFERENCED_SOP_CLASS_UID = '00081150';
const REFERENCED_SOP_INSTANCE_UID = '00081155';

export interface StoredPart {
  result: PartResult;
  /** For stored instances: where the index put them (their retrieve URL needs the series). */
  seriesUid?: string;
}

export interface StowAnswer {
  status: 200 | 202 | 409;
  body: DicomJsonDataset;
  /** Warning header values, one per failed part. */
  warnings: string[];
}

export function stowAnswer(parts: readonly StoredPart[], root: string, targetStudyUid: string | undefined): StowAnswer {
  const referenced: DicomJsonDataset[] = [];
  const failed: DicomJsonDataset[] = [];
  const warnings: string[] = [];
  const studies = new Set<string>();
  for (const { result, seriesUid } of parts) {
    const item: DicomJsonDataset = {};
    if (result.sopClassUid) item[REFERENCED_SOP_CLASS_UID] = { vr: 'UI', Value: [result.sopClassUid] };
    if (result.sopInstanceUid) item[REFERENCED_SOP_INSTANCE_UID] = { vr: 'UI', Value: [result.sopInstanceUid] };
    if (result.ok) {
      studies.add(result.studyUid);
      if (seriesUid) item[RETRIEVE_URL] = { vr: 'UR', Value: [instanceUrl(root, { studyUid: result.studyUid, seriesUid, sopInstanceUid: result.sopInstanceUid })] };
      referenced.push(item);
    } else {
      item[FAILURE_REASON] = { vr: 'US', Value: [result.failureReason] };
      failed.push(item);
      warnings.push(warning(`part ${result.part}${result.sopInstanceUid ? ` (${result.sopInstanceUid})` : ''}: ${result.message}`));
    }
  }
  const body: DicomJsonDataset = {};
  const study = targetStudyUid ?? (studies.size === 1 ? [...studies][0] : undefined);
  if (study !== undefined && referenced.length > 0) body[RETRIEVE_URL] = { vr: 'UR', Value: [studyUrl(root, study)] };
  if (failed.length > 0) body[FAILED_SOP_SEQUENCE] = { vr: 'SQ', Value: failed };
  if (referenced.length > 0) body[REFERENCED_SOP_SEQUENCE] = { vr: 'SQ', Value: referenced };
  const status = failed.length === 0 ? 200 : referenced.length === 0 ? 409 : 202;
  return { status, body, warnings };
}

/** RFC 7234 warning: 299 (miscellaneous persistent warning), our agent name, the text quoted; header-safe ASCII. */
export function warning(text: string): string {
  const safe = text.replace(/[^\x20-\x7e]/g, '?').replace(/(["\\])/g, '\\$1');
  return `299 viewbox "${safe}"`;
}
