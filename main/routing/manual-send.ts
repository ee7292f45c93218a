/**
 * A manual send (`viewbox send`, the reading room's Send) through the queue:
 * its instances become rows (rule "manual", priority high) marked with the
 * job's id, and the job follows them until each is delivered or dead.
 * Cancelling the job drops its rows not yet on the wire.
 */
import type { Job, JobRegistry } from '../jobs/job-registry.js';
import type { HeldInstance } from '../store/archive-reader.js';
import type { SendQueueStore } from '../store/send-queue-store.js';
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

export function startManualSend(deps: ManualSendDeps, destination: string, instances: readonly HeldInstance[], what: { title: string; studyUid: string }): Job {
  return deps.jobs.start({ kind: 'send', node: destination, title: what.title, studyUid: what.studyUid }, async (job) => {
    deps.queue.enqueue(
      instances.map((i) => ({
        destination,
        studyUid: i.studyUid,
        seriesUid: i.seriesUid,
        sopUid: i.sopInstanceUid,
        rule: 'manual',
        transform: '',
        priority: priorityRank('high'),
        jobId: job.id,
      })),
    );
    job.progress({ total: instances.length });
    deps.changed(destination);
    await new Promise<void>((resolve) => {
      const check = () => {
        const rows = deps.queue.jobRows(job.id);
        job.progress({ completed: rows.done, failed: rows.dead.length });
        if (rows.open > 0 && !job.signal.aborted) return;
        for (const dead of rows.dead) job.fail(dead.sopUid, dead.error ?? undefined);
        unsubscribe();
        clearInterval(timer);
        job.signal.removeEventListener('abort', cancel);
        resolve();
      };
      const cancel = () => {
        deps.queue.cancelJob(job.id);
        deps.changed(destination);
        check();
      };
      const timer = setInterval(check, POLL_MS);
      const unsubscribe = deps.onDestinationChange((changed) => changed === destination && check());
      job.signal.addEventListener('abort', cancel);
      check();
    });
  });
}
