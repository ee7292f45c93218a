/** The send queue for a terminal: one row per destination, then one row per study at a destination. */
import type { QueueDestinationSummary, QueueListResponse, QueueStudyEntry } from '../../shared/api/queue-api.js';
import { personName } from './person-name.js';
import { formatTable } from './table.js';

export function formatQueue(queue: QueueListResponse, now: Date = new Date()): string {
  if (queue.destinations.length === 0 && queue.studies.length === 0) return 'The send queue is empty.\n';
  const destinations = formatTable(
    ['DESTINATION', 'PENDING', 'IN FLIGHT', 'FAILING', 'DEAD', 'DONE 24 H', 'NEXT RETRY', 'LAST ERROR'],
    queue.destinations.map((d) => destinationRow(d, now)),
  );
  if (queue.studies.length === 0) return destinations;
  const studies = formatTable(
    ['DESTINATION', 'PATIENT', 'DESCRIPTION', 'PENDING', 'IN FLIGHT', 'FAILING', 'DEAD', 'DONE', 'RULE', 'PRIORITY', 'STUDY UID', 'LAST ERROR'],
    queue.studies.map(studyRow),
  );
  return `${destinations}\n${studies}`;
}

function destinationRow(d: QueueDestinationSummary, now: Date): string[] {
  const lastError = d.lastError ? `${d.lastError.message} (${d.lastError.at})` : '';
  return [d.destination, String(d.pending), String(d.inFlight), String(d.failing), String(d.dead), String(d.doneRecently), d.nextAttemptAt ? relativeTime(d.nextAttemptAt, now) : '', lastError];
}

function studyRow(s: QueueStudyEntry): string[] {
  const patient = s.patientId ? `${personName(s.patientName)} (${s.patientId})` : personName(s.patientName);
  const { pending, failing, dead, done } = s.counts;
  return [s.destination, patient, s.studyDescription ?? '', String(pending), String(s.counts['in-flight']), String(failing), String(dead), String(done), s.rule, s.priority, s.studyUid, s.lastError ?? ''];
}

/** "in 40 s", "now", or the time itself when it is more than an hour away. */
export function relativeTime(iso: string, now: Date): string {
  const seconds = Math.round((Date.parse(iso) - now.getTime()) / 1000);
  if (Number.isNaN(seconds)) return iso;
  if (seconds <= 0) return 'now';
  if (seconds < 60) return `in ${seconds} s`;
  if (seconds < 3600) return `in ${Math.round(seconds / 60)} min`;
  return iso;
}
