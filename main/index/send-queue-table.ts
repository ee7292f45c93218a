/**
 * The durable send queue, the router's cursor and its stable-trigger waits
 * (docs/routing.md, docs/storage.md). Every change that must not be half done
 * (the cursor with the rows it produced, a claim, a settlement) is one
 * transaction.
 */
import type { CommitmentState, SendState } from '../../shared/api/queue-api.js';
import type { IndexDatabase } from './open-database.js';

/** A send to queue: one instance to one destination in one form. */
export interface QueueRowInput {
  destination: string;
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  /** The rule id, or "manual". */
  rule: string;
  /** Canonical JSON of the transform, '' for the stored bytes. */
  transform: string;
  /** 0 stat, 1 high, 2 routine, 3 low. */
  priority: number;
  jobId?: string | undefined;
}

export interface QueueRow extends QueueRowInput {
  id: number;
  state: SendState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  jobId: string | undefined;
  queuedAt: string;
  updatedAt: string;
  doneAt: string | null;
  commitment: CommitmentState | null;
  commitmentUid: string | null;
}

/** How one claimed row ended: delivered, or failed with what the retry policy decided. */
export type RowSettlement = { id: number; state: 'done' } | { id: number; state: 'pending' | 'dead'; error: string; nextAttemptAt: string };

/** An instance as the router evaluates it. */
export interface RoutableInstance {
  /** instances.id: the router's cursor moves over it. */
  id: number;
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  callingAe: string | null;
  /** The instance's DICOM JSON text (no bulk data). */
  json: string;
}

export type WaitScope = 'series' | 'study';

export interface RouteWait {
  rule: string;
  scope: WaitScope;
  uid: string;
  dueAt: string;
}

export interface QueueFilter {
  destination?: string | undefined;
  studyUid?: string | undefined;
  state?: SendState | undefined;
}

export interface DestinationCounts {
  destination: string;
  pending: number;
  inFlight: number;
  failing: number;
  dead: number;
  doneRecently: number;
  lastError: string | null;
  lastErrorAt: string | null;
  nextAttemptAt: string | null;
}

export interface StudyQueueCounts {
  destination: string;
  studyUid: string;
  rule: string;
  priority: number;
  pending: number;
  inFlight: number;
  done: number;
  dead: number;
  failing: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  requested: number;
  committed: number;
  commitFailed: number;
  queuedAt: string;
  updatedAt: string;
}

export interface JobRowCounts {
  open: number;
  done: number;
  dead: Array<{ sopUid: string; error: string | null }>;
  total: number;
}

const ROW_SELECT = `SELECT id, destination, study_uid AS studyUid, series_uid AS seriesUid, sop_uid AS sopUid, rule, transform, priority, state,
  attempts, next_attempt_at AS nextAttemptAt, last_error AS lastError, job_id AS jobId, queued_at AS queuedAt, updated_at AS updatedAt,
  done_at AS doneAt, commitment, commitment_uid AS commitmentUid FROM send_queue`;

const ROUTABLE_SELECT = `SELECT i.id, st.study_uid AS studyUid, se.series_uid AS seriesUid, i.sop_uid AS sopUid, i.source_ae AS callingAe, i.json
  FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref`;

type RawRow = Omit<QueueRow, 'jobId'> & { jobId: string | null };

export class SendQueueTable {
  private readonly s;

  constructor(private readonly db: IndexDatabase) {
    this.s = {
      // A copy already waiting keeps its place; a manual send adopts it (its job follows it) and raises its priority.
      enqueue: db.prepare(`INSERT INTO send_queue (destination, study_uid, series_uid, sop_uid, rule, transform, priority, state, attempts,
          next_attempt_at, job_id, queued_at, updated_at)
        VALUES (@destination, @studyUid, @seriesUid, @sopUid, @rule, @transform, @priority, 'pending', 0, @now, @jobId, @now, @now)
        ON CONFLICT (destination, sop_uid, transform) WHERE state IN ('pending', 'in-flight')
        DO UPDATE SET job_id = coalesce(excluded.job_id, job_id), priority = min(priority, excluded.priority)`),
      alreadyDone: db.prepare("SELECT 1 FROM send_queue WHERE destination = ? AND sop_uid = ? AND transform = ? AND rule = ? AND state = 'done' LIMIT 1"),
      cursor: db.prepare("SELECT value FROM routing_state WHERE key = 'cursor'"),
      setCursor: db.prepare("INSERT INTO routing_state (key, value) VALUES ('cursor', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      instancesAfter: db.prepare(`${ROUTABLE_SELECT} WHERE i.id > ? ORDER BY i.id LIMIT ?`),
      instancesOfSeries: db.prepare(`${ROUTABLE_SELECT} WHERE se.series_uid = ? ORDER BY i.id`),
      instancesOfStudy: db.prepare(`${ROUTABLE_SELECT} WHERE st.study_uid = ? ORDER BY i.id`),
      upsertWait: db.prepare(`INSERT INTO route_waits (rule, scope, uid, due_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (rule, scope, uid) DO UPDATE SET due_at = max(due_at, excluded.due_at)`),
      dueWaits: db.prepare('SELECT rule, scope, uid, due_at AS dueAt FROM route_waits WHERE due_at <= ? ORDER BY due_at'),
      nextWait: db.prepare('SELECT min(due_at) AS dueAt FROM route_waits'),
      deleteWait: db.prepare('DELETE FROM route_waits WHERE rule = ? AND scope = ? AND uid = ? AND due_at = ?'),
      nextGroup: db.prepare(`SELECT study_uid AS studyUid, transform FROM send_queue
        WHERE destination = ? AND state = 'pending' AND next_attempt_at <= ? ORDER BY priority, queued_at, id LIMIT 1`),
      claimGroup: db.prepare(`UPDATE send_queue SET state = 'in-flight', updated_at = @now
        WHERE id IN (SELECT id FROM send_queue WHERE destination = @destination AND state = 'pending' AND next_attempt_at <= @now
          AND study_uid = @studyUid AND transform = @transform ORDER BY priority, id LIMIT @limit)
        RETURNING id`),
      rowById: db.prepare(`${ROW_SELECT} WHERE id = ?`),
      done: db.prepare("UPDATE send_queue SET state = 'done', attempts = attempts + 1, last_error = NULL, updated_at = @now, done_at = @now WHERE id = @id"),
      failed: db.prepare('UPDATE send_queue SET state = @state, attempts = attempts + 1, last_error = @error, next_attempt_at = @nextAttemptAt, updated_at = @now WHERE id = @id'),
      releaseInFlight: db.prepare("UPDATE send_queue SET state = 'pending', updated_at = ? WHERE state = 'in-flight'"),
      nextDue: db.prepare("SELECT min(next_attempt_at) AS at FROM send_queue WHERE destination = ? AND state = 'pending'"),
      openDestinations: db.prepare("SELECT DISTINCT destination FROM send_queue WHERE state = 'pending'"),
      setCommitment: db.prepare('UPDATE send_queue SET commitment = ?, commitment_uid = ?, updated_at = ? WHERE id = ?'),
      recordCommitment: db.prepare('UPDATE send_queue SET commitment = ?, updated_at = ? WHERE commitment_uid = ? AND sop_uid = ?'),
      jobRows: db.prepare('SELECT sop_uid AS sopUid, state, last_error AS error FROM send_queue WHERE job_id = ?'),
      cancelJob: db.prepare("DELETE FROM send_queue WHERE job_id = ? AND state = 'pending'"),
    };
  }

  /** Queue sends (a copy already pending or in flight is not queued again); returns how many rows were queued or adopted. */
  enqueue(rows: readonly QueueRowInput[], now = new Date().toISOString()): number {
    return this.db.transaction(() => rows.reduce((added, row) => added + this.insertRow(row, now), 0))();
  }

  routeCursor(): number {
    const row = this.s.cursor.get() as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  }

  /** The next instances the router has not evaluated, in the order they were indexed. */
  instancesAfter(cursor: number, limit: number): RoutableInstance[] {
    return this.s.instancesAfter.all(cursor, limit) as RoutableInstance[];
  }

  instancesIn(scope: WaitScope, uid: string): RoutableInstance[] {
    return (scope === 'series' ? this.s.instancesOfSeries : this.s.instancesOfStudy).all(uid) as RoutableInstance[];
  }

  /** The router's outcome for instances up to `cursor`: the cursor, the sends and the waits, all or nothing. */
  commitRouting(cursor: number, rows: readonly QueueRowInput[], waits: readonly RouteWait[], now = new Date().toISOString()): number {
    return this.db.transaction(() => {
      let added = 0;
      for (const row of rows) added += this.insertRow(row, now);
      for (const wait of waits) this.s.upsertWait.run(wait.rule, wait.scope, wait.uid, wait.dueAt);
      this.s.setCursor.run(String(cursor));
      return added;
    })();
  }

  dueWaits(now: string): RouteWait[] {
    return this.s.dueWaits.all(now) as RouteWait[];
  }

  /** When the earliest wait is due, if any. */
  nextWaitDue(): string | undefined {
    return (this.s.nextWait.get() as { dueAt: string | null }).dueAt ?? undefined;
  }

  /**
   * A due wait's sends, and the wait gone, together (a wait pushed back
   * meanwhile stays). Instances this rule already delivered there are not
   * queued again (a series that grows after it was sent sends only what is new).
   */
  completeWait(wait: RouteWait, rows: readonly QueueRowInput[], now = new Date().toISOString()): number {
    return this.db.transaction(() => {
      let added = 0;
      for (const row of rows) {
        if (!this.s.alreadyDone.get(row.destination, row.sopUid, row.transform, row.rule)) added += this.insertRow(row, now);
      }
      this.s.deleteWait.run(wait.rule, wait.scope, wait.uid, wait.dueAt);
      return added;
    })();
  }

  /**
   * Take the next due study group of a destination: the most urgent study,
   * all its due pending rows in the same form (up to `limit`), now in flight.
   */
  claim(destination: string, now: string, limit: number): QueueRow[] {
    return this.db.transaction(() => {
      const group = this.s.nextGroup.get(destination, now) as { studyUid: string; transform: string } | undefined;
      if (!group) return [];
      const ids = this.s.claimGroup.all({ destination, now, studyUid: group.studyUid, transform: group.transform, limit }) as Array<{ id: number }>;
      return ids.map(({ id }) => toQueueRow(this.s.rowById.get(id) as RawRow)).sort((a, b) => a.id - b.id);
    })();
  }

  settle(settlements: readonly RowSettlement[], now = new Date().toISOString()): void {
    this.db.transaction(() => {
      for (const s of settlements) {
        if (s.state === 'done') this.s.done.run({ id: s.id, now });
        else this.s.failed.run({ id: s.id, state: s.state, error: s.error, nextAttemptAt: s.nextAttemptAt, now });
      }
    })();
  }

  /** At start-up: what was in flight when the node stopped is sent again (at least once). */
  releaseInFlight(now = new Date().toISOString()): number {
    return this.s.releaseInFlight.run(now).changes;
  }

  /** When the earliest pending send of a destination is due, if it has any. */
  nextDueAt(destination: string): string | undefined {
    return (this.s.nextDue.get(destination) as { at: string | null }).at ?? undefined;
  }

  /** Destinations with pending sends. */
  openDestinations(): string[] {
    return (this.s.openDestinations.all() as Array<{ destination: string }>).map((r) => r.destination);
  }

  setCommitment(ids: readonly number[], state: CommitmentState, transactionUid: string | null, now = new Date().toISOString()): void {
    this.db.transaction(() => {
      for (const id of ids) this.s.setCommitment.run(state, transactionUid, now, id);
    })();
  }

  /** A PACS's storage commitment report: the rows of that transaction it names become committed or failed. */
  recordCommitment(transactionUid: string, committedSops: readonly string[], failedSops: readonly string[], now = new Date().toISOString()): number {
    return this.db.transaction(() => {
      let changed = 0;
      for (const [state, sops] of [['committed', committedSops], ['failed', failedSops]] as const) {
        for (const sop of sops) changed += this.s.recordCommitment.run(state, now, transactionUid, sop).changes;
      }
      return changed;
    })();
  }

  /** What became of a manual send's rows. */
  jobRows(jobId: string): JobRowCounts {
    const rows = this.s.jobRows.all(jobId) as Array<{ sopUid: string; state: SendState; error: string | null }>;
    return {
      total: rows.length,
      open: rows.filter((r) => r.state === 'pending' || r.state === 'in-flight').length,
      done: rows.filter((r) => r.state === 'done').length,
      dead: rows.filter((r) => r.state === 'dead').map(({ sopUid, error }) => ({ sopUid, error })),
    };
  }

  /** A cancelled manual send: its rows not yet on the wire are dropped. */
  cancelJob(jobId: string): number {
    return this.s.cancelJob.run(jobId).changes;
  }

  destinationCounts(doneSince: string): DestinationCounts[] {
    return this.db
      .prepare(`SELECT destination,
          sum(state = 'pending') AS pending, sum(state = 'in-flight') AS inFlight, sum(state = 'pending' AND attempts > 0) AS failing,
          sum(state = 'dead') AS dead, sum(state = 'done' AND done_at >= @doneSince) AS doneRecently,
          (SELECT last_error FROM send_queue l WHERE l.destination = q.destination AND l.last_error IS NOT NULL ORDER BY l.updated_at DESC LIMIT 1) AS lastError,
          (SELECT updated_at FROM send_queue l WHERE l.destination = q.destination AND l.last_error IS NOT NULL ORDER BY l.updated_at DESC LIMIT 1) AS lastErrorAt,
          min(CASE WHEN state = 'pending' AND attempts > 0 THEN next_attempt_at END) AS nextAttemptAt
        FROM send_queue q GROUP BY destination ORDER BY destination`)
      .all({ doneSince }) as DestinationCounts[];
  }

  /** Per destination and study, most recently changed first. */
  studyCounts(filter: QueueFilter, limit: number): StudyQueueCounts[] {
    const { where, args } = whereOf(filter);
    return this.db
      .prepare(`SELECT destination, study_uid AS studyUid, min(rule) AS rule, min(priority) AS priority,
          sum(state = 'pending') AS pending, sum(state = 'in-flight') AS inFlight, sum(state = 'done') AS done, sum(state = 'dead') AS dead,
          sum(state = 'pending' AND attempts > 0) AS failing,
          max(CASE WHEN state != 'done' THEN last_error END) AS lastError,
          min(CASE WHEN state = 'pending' AND attempts > 0 THEN next_attempt_at END) AS nextAttemptAt,
          sum(commitment = 'requested') AS requested, sum(commitment = 'committed') AS committed, sum(commitment = 'failed') AS commitFailed,
          min(queued_at) AS queuedAt, max(updated_at) AS updatedAt
        FROM send_queue ${where} GROUP BY destination, study_uid ORDER BY max(updated_at) DESC LIMIT ?`)
      .all(...args, limit) as StudyQueueCounts[];
  }

  /** Dead (or pending) rows become due now, with a fresh count and age; a copy already queued again is left dead. */
  retry(filter: QueueFilter & { state: 'dead' | 'pending' }, now = new Date().toISOString()): number {
    const { where, args } = whereOf(filter);
    const reset = filter.state === 'dead' ? ", attempts = 0, queued_at = ?, last_error = NULL, state = 'pending'" : '';
    const resetArgs = filter.state === 'dead' ? [now] : [];
    return this.db.prepare(`UPDATE OR IGNORE send_queue SET next_attempt_at = ?, updated_at = ?${reset} ${where}`).run(now, now, ...resetArgs, ...args).changes;
  }

  /** Delete dead, done or pending rows (never in-flight ones). */
  purge(filter: QueueFilter & { state: 'dead' | 'done' | 'pending' }): number {
    const { where, args } = whereOf(filter);
    return this.db.prepare(`DELETE FROM send_queue ${where}`).run(...args).changes;
  }

  private insertRow(row: QueueRowInput, now: string): number {
    return this.s.enqueue.run({ ...row, jobId: row.jobId ?? null, now }).changes;
  }
}

function whereOf(filter: QueueFilter): { where: string; args: string[] } {
  const conditions: Array<[string, string | undefined]> = [
    ['destination = ?', filter.destination],
    ['study_uid = ?', filter.studyUid],
    ['state = ?', filter.state],
  ];
  const used = conditions.filter((c): c is [string, string] => c[1] !== undefined);
  return { where: used.length ? `WHERE ${used.map(([sql]) => sql).join(' AND ')}` : '', args: used.map(([, v]) => v) };
}

function toQueueRow(raw: RawRow): QueueRow {
  return { ...raw, jobId: raw.jobId ?? undefined };
}
