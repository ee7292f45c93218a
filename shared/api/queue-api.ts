/**
 * The durable send queue as the CLI, the HTTP API (/api/queue) and the
 * reading room's queue panel see it (docs/routing.md, docs/api.md).
 */
import type { SendPriority } from '../routing/rules.js';

/**
 * pending: waiting for its turn or its next attempt (after a failure it carries
 * lastError and nextAttemptAt); in-flight: being sent now; done: acknowledged
 * by the destination; dead: given up (maxAttempts or maxAgeHours), kept until
 * retried or purged.
 */
export type SendState = 'pending' | 'in-flight' | 'done' | 'dead';

/** Storage commitment of a delivered instance at a destination marked `commit`. */
export type CommitmentState = 'requested' | 'committed' | 'failed';

export interface QueueDestinationSummary {
  destination: string;
  kind: 'dimse' | 'dicomweb';
  pending: number;
  inFlight: number;
  /** Pending sends that have failed at least once (retrying). */
  failing: number;
  dead: number;
  /** Delivered in the last 24 hours. */
  doneRecently: number;
  /** The most recent failure at this destination, for "failing since…, last error…". */
  lastError?: { message: string; at: string };
  /** When the earliest retry is due. */
  nextAttemptAt?: string;
}

/** The sends of one study to one destination: what the queue panel lists. */
export interface QueueStudyEntry {
  destination: string;
  studyUid: string;
  patientName?: string;
  patientId?: string;
  studyDescription?: string;
  /** The rule id that queued it, or "manual". */
  rule: string;
  priority: SendPriority;
  counts: Record<SendState, number> & { failing: number };
  lastError?: string;
  nextAttemptAt?: string;
  commitment?: Partial<Record<CommitmentState, number>>;
  queuedAt: string;
  updatedAt: string;
}

export interface QueueSelection {
  destination?: string;
  studyUid?: string;
  /** Which sends: retry takes dead (default) or pending ones (retry now); purge takes dead (default) or done ones, or pending to cancel. */
  state?: SendState;
}

export interface QueueListResponse {
  destinations: QueueDestinationSummary[];
  studies: QueueStudyEntry[];
}

/** Answer of POST /api/queue/retry and /api/queue/purge. */
export interface QueueChangeResponse {
  changed: number;
}

/** What the web routes and the CLI need of the queue; main/routing implements it. */
export interface QueueApi {
  list(filter?: QueueSelection & { limit?: number }): QueueListResponse;
  retry(selection: QueueSelection): number;
  purge(selection: QueueSelection): number;
}
