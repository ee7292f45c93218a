/**
 * A send someone asked for, through the queue: a manual send (`viewbox send`,
 * the reading room's Send; rule "manual", priority high) or a rule run on
 * demand. Its rows are marked with the job's id, and the job follows them
 * until each is delivered or dead.
 * Cancelling the job drops its rows not yet on the wire.
 */
import type { Job, JobRegistry } from '../jobs/job-registry.js';
import type { HeldInstance } from '../store/archive-reader.js';
import type { QueueRowInput, SendQueueStore } from '../store/send-queue-store.js';
import { priorityRank } from './queue-settings.js';

/** How often a manual send's job looks at its rows (besides each change the queue reports). */
const POLL_MS = 250;

export interface ManualSendDeps {
  queue: SendQueueStore;
  jobs: JobRegistry;
  /** Rows were queued (or dropped) at this destination. */
  changed: (destination: string) => void;
  /** Calls back on every change at a destination; returns the unsubscribe function. */
  onDestinationChange: (listener: (destination: string) => void) => () => void;
}

/** A send of held instances to one destination as the reading room or `viewbox send` asks it (rule "manual", priority high). */
export function startManualSend(deps: ManualSendDeps, destination: string, instances: readonly HeldInstance[], what: { title: string; studyUid: string }): Job {
  const rows = instances.map((i) => ({
    destination,
    studyUid: i.studyUid,
    seriesUid: i.seriesUid,
    sopUid: i.sopInstanceUid,
    rule: 'manual',
    transform: '',
    priority: priorityRank('high'),
  }));
  return startQueuedSend(deps, rows, { ...what, node: destination });
}

/**
 * Queue `rows` marked with a new job's id, and let the job follow them until
 * each is delivered or dead. `node` names the destination(s) in the job list.
 * A copy already pending (same instance, destination and transform) is not
 * queued twice: the job adopts that row, at the higher of the two priorities.
 */
export function startQueuedSend(deps: ManualSendDeps, rows: readonly Omit<QueueRowInput, 'jobId'>[], what: { title: string; studyUid: string; node: string }): Job {
  const destinations = new Set(rows.map((r) => r.destination));
  const changedAll = () => destinations.forEach((d) => deps.changed(d));
  return deps.jobs.start({ kind: 'send', node: what.node, title: what.title, studyUid: what.studyUid }, async (job) => {
    const added = deps.queue.enqueue(rows.map((row) => ({ ...row, jobId: job.id })));
    job.progress({ total: added });
    changedAll();
    await new Promise<void>((resolve) => {
      const check = () => {
        const counts = deps.queue.jobRows(job.id);
        job.progress({ completed: counts.done, failed: counts.dead.length });
        if (counts.open > 0 && !job.signal.aborted) return;
        for (const dead of counts.dead) job.fail(dead.sopUid, dead.error ?? undefined);
        unsubscribe();
        clearInterval(timer);
        job.signal.removeEventListener('abort', cancel);
        resolve();
      };
      const cancel = () => {
        deps.queue.cancelJob(job.id);
        changedAll();
        check();
      };
      const timer = setInterval(check, POLL_MS);
      const unsubscribe = deps.onDestinationChange((changed) => destinations.has(changed) && check());
      job.signal.addEventListener('abort', cancel);
      check();
    });
  });
}
