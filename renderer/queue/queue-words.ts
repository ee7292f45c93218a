/** The send queue in the reading room's words: what a destination's state is called, how counts and times read. */
import type { CommitmentState, QueueDestinationSummary, QueueListResponse } from '../../shared/api/queue-api.js';
import type { SendPriority } from '../../shared/routing/rules.js';

export type DestinationHealth = 'failing' | 'given-up' | 'sending' | 'idle';

/** The worst thing about a destination first: failing sends, then given-up ones, then work in progress. */
export function destinationHealth(d: QueueDestinationSummary): DestinationHealth {
  if (d.failing > 0) return 'failing';
  if (d.dead > 0) return 'given-up';
  if (d.pending > 0 || d.inFlight > 0) return 'sending';
  return 'idle';
}

export const HEALTH_LABEL: Record<DestinationHealth, string> = {
  failing: 'Failing',
  'given-up': 'Images not sent',
  sending: 'Sending',
  idle: 'Up to date',
};

export const PRIORITY_LABEL: Record<SendPriority, string> = { stat: 'STAT', high: 'High', routine: 'Routine', low: 'Low' };

/** What the status bar says about the whole queue, and how loudly. */
export function queueHeadline(queue: QueueListResponse | undefined): { text: string; tone: 'warn' | 'danger' | 'quiet' } {
  const sum = (pick: (d: QueueDestinationSummary) => number) => (queue?.destinations ?? []).reduce((n, d) => n + pick(d), 0);
  const failing = sum((d) => d.failing);
  const dead = sum((d) => d.dead);
  const active = sum((d) => d.pending + d.inFlight);
  if (failing > 0) return { text: `${failing} failing`, tone: 'warn' };
  if (dead > 0) return { text: `${dead} not sent`, tone: 'danger' };
  if (active > 0) return { text: `${active} to send`, tone: 'quiet' };
  return { text: '', tone: 'quiet' };
}

/** "Failing" is counted among the pending sends; the panel shows the two apart. */
export function waiting(counts: { pending: number; failing: number }): number {
  return Math.max(0, counts.pending - counts.failing);
}

/** A time of today as 14:05:09; another day's with its date. */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  const sameDay = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  return sameDay ? time : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

/** Storage commitment of a study's delivered images: how many the PACS confirmed it keeps, of those asked about. */
export function commitmentText(commitment: Partial<Record<CommitmentState, number>> | undefined): { text: string; refused: boolean } {
  if (!commitment) return { text: '', refused: false };
  const { requested = 0, committed = 0, failed = 0 } = commitment;
  const asked = requested + committed + failed;
  if (asked === 0) return { text: '', refused: false };
  const parts = [`${committed} of ${asked}`];
  if (failed > 0) parts.push(`${failed} refused`);
  return { text: parts.join(', '), refused: failed > 0 };
}
