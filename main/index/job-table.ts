/**
 * Retrieve and send jobs kept in the index, so that after a restart the node
 * still lists what finished and what did not (a job still running when the
 * node stopped is marked interrupted at the next start).
 */
import type { JobInfo, JobKind, JobState } from '../../shared/api/jobs.js';
import type { IndexDatabase } from './open-database.js';

/** Persisted jobs listed at most (newest first). */
const LIST_LIMIT = 200;

interface RawJob {
  id: string;
  kind: JobKind;
  node: string;
  title: string;
  studyUid: string | null;
  state: JobState;
  progress: string;
  failures: string;
  error: string | null;
  startedAt: string;
  endedAt: string | null;
}

export class JobTable {
  private readonly s;

  constructor(db: IndexDatabase) {
    this.s = {
      save: db.prepare(`INSERT INTO jobs (id, kind, node, title, study_uid, state, progress, failures, error, started_at, ended_at)
        VALUES (@id, @kind, @node, @title, @studyUid, @state, @progress, @failures, @error, @startedAt, @endedAt)
        ON CONFLICT (id) DO UPDATE SET state = excluded.state, progress = excluded.progress, failures = excluded.failures,
          error = excluded.error, ended_at = excluded.ended_at`),
      list: db.prepare(`SELECT id, kind, node, title, study_uid AS studyUid, state, progress, failures, error, started_at AS startedAt, ended_at AS endedAt
        FROM jobs ORDER BY started_at DESC LIMIT ?`),
      interrupt: db.prepare("UPDATE jobs SET state = 'interrupted', error = coalesce(error, 'the node stopped while it ran'), ended_at = ? WHERE state = 'running'"),
    };
  }

  save(job: JobInfo): void {
    this.s.save.run({
      id: job.id,
      kind: job.kind,
      node: job.node,
      title: job.title,
      studyUid: job.studyUid ?? null,
      state: job.state,
      progress: JSON.stringify(job.progress),
      failures: JSON.stringify(job.failures),
      error: job.error ?? null,
      startedAt: job.startedAt,
      endedAt: job.endedAt ?? null,
    });
  }

  /** Newest first. */
  list(): JobInfo[] {
    return (this.s.list.all(LIST_LIMIT) as RawJob[]).map((raw) => ({
      id: raw.id,
      kind: raw.kind,
      node: raw.node,
      title: raw.title,
      ...(raw.studyUid !== null ? { studyUid: raw.studyUid } : {}),
      state: raw.state,
      progress: JSON.parse(raw.progress) as JobInfo['progress'],
      failures: JSON.parse(raw.failures) as JobInfo['failures'],
      ...(raw.error !== null ? { error: raw.error } : {}),
      startedAt: raw.startedAt,
      ...(raw.endedAt !== null ? { endedAt: raw.endedAt } : {}),
    }));
  }

  /** At start-up: jobs that were running when the node stopped; returns how many. */
  markInterrupted(now = new Date().toISOString()): number {
    return this.s.interrupt.run(now).changes;
  }
}
