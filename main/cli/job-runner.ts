/** Running a node job (retrieve, send, import) from the command line: progress on a terminal, a summary at the end. */
import type { JobInfo } from '../../shared/api/jobs.js';
import { errorMessage } from '../../shared/error-message.js';
import type { Setup } from '../bootstrap/setup.js';
import { JobRegistry, type Job } from '../jobs/job-registry.js';
import { buildRemoteOperations, openConfiguredArchive, startDicomServer, type ListeningDicomServer } from '../node.js';
import type { RemoteOperations } from '../remote/remote-operations.js';
import type { Archive } from '../store/archive.js';
import { DataFolderBusyError } from '../store/data-folder-owner.js';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io.js';
import { progressBar } from './progress.js';

/**
 * Run `work` with the remote operations of this command, which owns the data
 * folder for its run: the archive, and the DICOM listener on the configured
 * port only when `listen` (a C-MOVE to us needs it). No HTTP face, no
 * protocol watcher: nothing else of a node is started.
 */
export async function withRemote<T>(s: Setup, options: { listen: boolean }, work: (remote: RemoteOperations) => Promise<T>): Promise<T> {
  let archive: Archive | undefined;
  let remote: RemoteOperations;
  let listener: ListeningDicomServer | undefined;
  try {
    archive = await openConfiguredArchive(s.config, s.dataDir, s.logger);
    remote = buildRemoteOperations(s.config, archive.reader, archive, new JobRegistry(), s.logger);
    if (options.listen) listener = await startDicomServer(s.config, archive.reader, archive, remote, s.logger);
  } catch (error) {
    await archive?.close();
    if (error instanceof DataFolderBusyError) throw error;
    const message = errorMessage(error);
    throw new Error(options.listen ? `${message} (is \`viewbox serve\` or the app running? A C-MOVE retrieve needs the DICOM port; use --via get or the app)` : message, { cause: error });
  }
  try {
    return await work(remote);
  } finally {
    await listener?.close();
    await archive.close();
  }
}

/** Follow a job to its end; the exit code says whether everything arrived. */
export async function runJob(job: Job, io: CliIo): Promise<number> {
  const info = await followJob(job, io);
  const { completed, failed } = info.progress;
  io.out(`${info.title}: ${info.state}; ${completed} instance(s) done, ${failed} failed\n`);
  for (const failure of info.failures) io.out(`  failed ${failure.sopInstanceUid}${failure.reason ? `: ${failure.reason}` : ''}\n`);
  if (info.error) io.err(`${info.error}\n`);
  return info.state === 'done' ? EXIT_OK : EXIT_FAILED;
}

/** Wait for a job (of this process or of the running node) with a progress bar on a terminal; Ctrl-C cancels it. */
export async function followJob(job: Job, io: CliIo): Promise<JobInfo> {
  const bar = io.stderrIsTty ? progressBar(io) : undefined;
  const interrupt = () => job.cancel();
  process.once('SIGINT', interrupt);
  const timer = bar && setInterval(() => bar.update({ done: job.info.progress.completed + job.info.progress.failed, total: job.info.progress.total, label: job.info.title }), 200);
  try {
    return await job.finished;
  } finally {
    process.off('SIGINT', interrupt);
    if (timer) clearInterval(timer);
    bar?.finish();
  }
}
