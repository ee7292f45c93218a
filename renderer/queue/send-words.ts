/** The Send dialog's words: what a choice is called, and what was queued, as a reader reads it. */
import type { DestinationSummary, RuleSummary } from '../../shared/api/routes-api.js';
import { PRIORITY_LABEL } from './queue-words.js';

const studies = (n: number) => `${n} ${n === 1 ? 'study' : 'studies'}`;

/** "PACS", "LUNG-AI · AI engine", "ARCHIVE · DICOMweb". */
export function destinationLabel(d: DestinationSummary): string {
  return [d.name, d.aiEngine ? 'AI engine' : undefined, d.kind === 'dicomweb' ? 'DICOMweb' : undefined].filter(Boolean).join(' · ');
}

/** "Send to the PACS when asked — to PACS, LUNG-AI · STAT · de-identified (basic)". */
export function ruleLabel(r: RuleSummary): string {
  const form = r.transform.filter((t) => t !== 'as stored');
  return `${r.description ?? r.id} — to ${[r.destinations.join(', '), PRIORITY_LABEL[r.priority], ...form].join(' · ')}`;
}

/** "3 studies queued for PACS — see Send queue"; with failures, which did not go and why. */
export function queuedText(queued: number, where: string, failures: readonly string[]): string {
  const done = queued > 0 ? `${studies(queued)} queued ${where} — see Send queue.` : '';
  const failed = failures.length > 0 ? `${studies(failures.length)} could not be queued: ${failures.join('; ')}` : '';
  return [done, failed].filter(Boolean).join(' ');
}
