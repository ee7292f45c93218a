/**
 * The queue as people see it (shared/api/queue-api.ts): per destination what
 * waits, fails or was given up, per study what became of its sends; retry
 * and purge. `/api/queue`, `viewbox queue` and the reading room's panel use
 * this; delivery is woken by `onChange`.
 */
import type { QueueApi, QueueDestinationSummary, QueueListResponse, QueueSelection, QueueStudyEntry, SendState } from '../../shared/api/queue-api.js';
import type { ArchiveReader } from '../store/archive-reader.js';
import type { DestinationCounts, SendQueueStore, StudyQueueCounts } from '../store/send-queue-store.js';
import type { Destination } from './destination-list.js';
import { priorityOfRank } from './queue-settings.js';

/** Studies listed when the caller sets no limit. */
const DEFAULT_LIMIT = 200;
const DAY_MS = 24 * 3_600_000;

export interface QueueServiceDeps {
  queue: SendQueueStore;
  reader: Pick<ArchiveReader, 'studySummaries'>;
  destinations: () => readonly Destination[];
  /** Rows of these destinations changed (retried or purged). */
  onChange?: (destinations: readonly string[]) => void;
}

export interface QueueService extends QueueApi {
  /** One destination's counts now (the 'queue' server event carries it). */
  summary(destination: string): QueueDestinationSummary;
}

/** A retry or purge of a state it cannot apply to. */
export class QueueSelectionError extends Error {
  override name = 'QueueSelectionError';
}

export function createQueueService(deps: QueueServiceDeps): QueueService {
  const kindOf = (name: string) => deps.destinations().find((d) => d.name === name)?.kind ?? 'dimse';
  const summaries = (only?: string): QueueDestinationSummary[] => {
    const counted = new Map(deps.queue.destinationCounts(new Date(Date.now() - DAY_MS).toISOString()).map((c) => [c.destination, c]));
    const names = new Set([...deps.destinations().map((d) => d.name), ...counted.keys()]);
    return [...names]
      .filter((name) => only === undefined || name === only)
      .sort()
      .map((name) => toSummary(name, kindOf(name), counted.get(name)));
  };
  const changed = (selection: QueueSelection) => {
    const names = selection.destination ? [selection.destination] : deps.destinations().map((d) => d.name);
    deps.onChange?.(names);
  };

  return {
    list(filter = {}): QueueListResponse {
      const counts = deps.queue.studyCounts(filter, filter.limit ?? DEFAULT_LIMIT);
      const studies = new Map(deps.reader.studySummaries([...new Set(counts.map((c) => c.studyUid))]).map((s) => [s.studyUid, s]));
      return {
        destinations: summaries(filter.destination),
        studies: counts.map((c) => toStudyEntry(c, studies.get(c.studyUid))),
      };
    },
    retry(selection) {
      const state = selection.state ?? 'dead';
      if (state !== 'dead' && state !== 'pending') throw new QueueSelectionError(`only dead or pending sends can be retried, not ${state} ones`);
      const changes = deps.queue.retry({ ...selection, state });
      if (changes > 0) changed(selection);
      return changes;
    },
    purge(selection) {
      const state = selection.state ?? 'dead';
      if (state === 'in-flight') throw new QueueSelectionError('sends in flight cannot be purged; purge them once they are done, dead or pending again');
      const changes = deps.queue.purge({ ...selection, state });
      if (changes > 0) changed(selection);
      return changes;
    },
    summary: (destination) => summaries(destination)[0] ?? toSummary(destination, kindOf(destination), undefined),
  };
}

function toSummary(destination: string, kind: 'dimse' | 'dicomweb', c: DestinationCounts | undefined): QueueDestinationSummary {
  return {
    destination,
    kind,
    pending: c?.pending ?? 0,
    inFlight: c?.inFlight ?? 0,
    failing: c?.failing ?? 0,
    dead: c?.dead ?? 0,
    doneRecently: c?.doneRecently ?? 0,
    ...(c?.lastError && c.lastErrorAt ? { lastError: { message: c.lastError, at: c.lastErrorAt } } : {}),
    ...(c?.nextAttemptAt ? { nextAttemptAt: c.nextAttemptAt } : {}),
  };
}

function toStudyEntry(c: StudyQueueCounts, study: { patientName: unknown; patientId: string; description: string | null } | undefined): QueueStudyEntry {
  const counts: Record<SendState, number> & { failing: number } = { pending: c.pending, 'in-flight': c.inFlight, done: c.done, dead: c.dead, failing: c.failing };
  const commitment = { requested: c.requested, committed: c.committed, failed: c.commitFailed };
  const patientName = displayName(study?.patientName);
  return {
    destination: c.destination,
    studyUid: c.studyUid,
    ...(patientName ? { patientName } : {}),
    ...(study?.patientId ? { patientId: study.patientId } : {}),
    ...(study?.description ? { studyDescription: study.description } : {}),
    rule: c.rule,
    priority: priorityOfRank(c.priority),
    counts,
    ...(c.lastError ? { lastError: c.lastError } : {}),
    ...(c.nextAttemptAt ? { nextAttemptAt: c.nextAttemptAt } : {}),
    ...(c.requested + c.committed + c.commitFailed > 0 ? { commitment } : {}),
    queuedAt: c.queuedAt,
    updatedAt: c.updatedAt,
  };
}

/** The alphabetic group of a PN value, as lists show it. */
function displayName(name: unknown): string | undefined {
  const alphabetic = (name as { Alphabetic?: unknown } | null | undefined)?.Alphabetic;
  return typeof alphabetic === 'string' && alphabetic !== '' ? alphabetic : undefined;
}
