/**
 * Long operations of the node (retrieve from a PACS, send to one, import) as jobs:
 * each has progress, can be cancelled, and ends with a result or an error.
 * The CLI waits on one; the UI lists them and follows their events.
 */
import { randomUUID } from 'node:crypto';
import type { JobInfo, JobKind, JobProgress } from '../../shared/api/jobs.js';
import { errorMessage } from '../../shared/error-message.js';

export interface JobControl {
  /** The job's id (a queued send marks its rows with it). */
  readonly id: string;
  readonly signal: AbortSignal;
  progress(progress: Partial<JobProgress>): void;
  fail(sopInstanceUid: string, reason?: string): void;
  /** What the job produced, shown with its final info (an import's summary). */
  result(fields: Pick<JobInfo, 'importSummary'>): void;
}

export interface Job {
  readonly info: JobInfo;
  /** Resolves with the final info whatever the outcome (never rejects). */
  readonly finished: Promise<JobInfo>;
  cancel(): void;
}

type Listener = (info: JobInfo) => void;

/** Finished jobs kept for the UI's list; older ones are forgotten. */
const KEEP_FINISHED = 200;
/** A persisted job's progress is written at most this often while it runs (and always when it starts and ends). */
const SAVE_INTERVAL_MS = 1000;

/** Where jobs of some kinds are kept across restarts (the index's job table). */
export interface JobPersistence {
  kinds: readonly JobKind[];
  save(info: JobInfo): void;
  /** Jobs kept from earlier runs, newest first. */
  list(): JobInfo[];
}

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly persistence?: JobPersistence) {}

  start(what: Pick<JobInfo, 'kind' | 'node' | 'title' | 'studyUid'>, work: (control: JobControl) => Promise<void>): Job {
    const info: JobInfo = { id: randomUUID(), ...what, state: 'running', progress: { completed: 0, failed: 0 }, failures: [], startedAt: new Date().toISOString() };
    const abort = new AbortController();
    const save = this.saver(info);
    const changed = () => {
      save(info.state !== 'running');
      this.emit(info);
    };
    const control: JobControl = {
      id: info.id,
      signal: abort.signal,
      progress: (p) => {
        info.progress = { ...info.progress, ...p };
        changed();
      },
      fail: (sopInstanceUid, reason) => {
        info.failures.push(reason === undefined ? { sopInstanceUid } : { sopInstanceUid, reason });
      },
      result: (fields) => Object.assign(info, fields),
    };
    const finished = work(control).then(
      () => {
        info.state = abort.signal.aborted ? 'cancelled' : info.progress.failed > 0 ? 'failed' : 'done';
        if (info.state === 'failed') info.error ??= `${info.progress.failed} instance(s) failed`;
      },
      (error: unknown) => {
        info.state = abort.signal.aborted ? 'cancelled' : 'failed';
        info.error = errorMessage(error);
      },
    ).then(() => {
      info.endedAt = new Date().toISOString();
      changed();
      this.prune();
      return info;
    });
    const job: Job = { info, finished, cancel: () => abort.abort(new Error('cancelled by the user')) };
    this.jobs.set(info.id, job);
    changed();
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** This run's jobs, then those kept from earlier runs. */
  list(): JobInfo[] {
    const current = [...this.jobs.values()].map((j) => j.info);
    const known = new Set(current.map((j) => j.id));
    return [...current, ...(this.persistence?.list() ?? []).filter((j) => !known.has(j.id))];
  }

  /** Every change of every job; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes a persisted kind's info: at once when `now`, else at most once per interval. */
  private saver(info: JobInfo): (now: boolean) => void {
    const persistence = this.persistence;
    if (!persistence?.kinds.includes(info.kind)) return () => {};
    let last = 0;
    return (now) => {
      if (!now && last !== 0 && Date.now() - last < SAVE_INTERVAL_MS) return;
      last = Date.now();
      persistence.save(info);
    };
  }

  private emit(info: JobInfo): void {
    for (const listener of this.listeners) listener(info);
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.info.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(job.info.id);
  }
}
