/**
 * `viewbox import` as a job of the running node: the node that owns the data
 * folder imports paths of its own machine through its sink, so a command
 * never writes a folder another process owns. Progress counts items
 * (files, and the entries of zips and DICOMDIRs) as the CLI's bar does.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { importPaths } from '../import/import-paths.js';
import type { InstanceSink } from '../store/instance-sink.js';
import type { Job, JobRegistry } from './job-registry.js';

export function startImportJob(jobs: JobRegistry, sink: InstanceSink, paths: string[]): Job {
  const title = paths.length === 1 ? `Import ${paths[0]}` : `Import ${paths.length} paths`;
  return jobs.start({ kind: 'import', node: '', title }, async (job) => {
    let rejected = 0;
    const summary = await importPaths(paths, sink, {
      onProgress: ({ done, total, outcome }) => {
        if (outcome.kind === 'rejected') rejected++;
        job.progress({ completed: done - rejected, failed: rejected, total });
      },
    });
    job.result({ importSummary: summary });
  });
}

/** Why a request's paths cannot be imported (the first bad one), or undefined when each is an absolute path that exists. */
export async function importPathsProblem(paths: unknown): Promise<string | undefined> {
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p.length > 0)) return 'expected {"paths": [ABSOLUTE_PATH, ...]}';
  for (const path of paths as string[]) {
    if (!isAbsolute(path)) return `${path}: not an absolute path`;
    try {
      await stat(path);
    } catch (error) {
      return `${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`;
    }
  }
  return undefined;
}
