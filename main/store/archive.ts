/**
 * The archive: a durable file store plus its index, and the InstanceSink
 * through which every instance enters. Success is reported only after the
 * file is fsync'd, renamed into place (rename fsync'd) and indexed.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuplicatePolicy } from '../../shared/config.js';
import { ArchiveIndex, type InstanceFile } from '../index/archive-index.js';
import { indexAttributes, MissingAttributeError } from '../index/instance-attributes.js';
import type { Logger } from '../log.js';
import type { StorageStatus } from '../../shared/api/app-api.js';
import { DiskSpace, isDiskFullError, storageStatus } from './disk-space.js';
import { PRIVATE_DIR_MODE, tightenDataFolder, tightenIndexFiles } from './owner-only.js';
import { acquireDataFolder, type DataFolderLock } from './data-folder-owner.js';
import { archiveReader, type ArchiveReader } from './archive-reader.js';
import { durableRename, ingestErrorFromFs } from './durable-fs.js';
import { IngestError, type IncomingInstance, type InstanceSink, type InstanceSource, type InstanceWriter, type StoreOutcome } from './instance-sink.js';
import { KeyedLock } from './keyed-lock.js';
import { INDEX_FILE, instancePath, STAGING_DIR } from './layout.js';
import { readingNotes, type ReadingNotes } from './reading-notes.js';
import type { JobLog, SendQueueStore } from './send-queue-store.js';
import { recoverArchive, RunMarker, type RecoveryReport } from './recovery.js';
import { Sha256Worker } from './sha256-worker.js';
import { StagedInstance, type StagedFile } from './staged-instance.js';

export interface ArchiveOptions {
  dataDir: string;
  duplicates: DuplicatePolicy;
  maxObjectBytes: number;
  /** Values of non-binary VRs longer than this are bulk data: in the file, never in the index (limits.bulkDataThresholdBytes). */
  bulkDataThresholdBytes?: number;
  logger: Logger;
}

export interface Archive extends InstanceSink {
  /** The read door: how everything outside main/store/ finds instances and reads their bytes. */
  readonly reader: ArchiveReader;
  /** Reading status and measurements of held studies. */
  readonly notes: ReadingNotes;
  /** The durable send queue and the router's progress. */
  readonly queue: SendQueueStore;
  /** Retrieve and send jobs, kept across restarts. */
  readonly jobLog: JobLog;
  /** For main/store/ and tests only: other modules read through `reader`, never by path or by index. */
  readonly dataDir: string;
  /** For main/store/ and tests only, like `dataDir`. */
  readonly index: ArchiveIndex;
  /** What start-up repaired (staging swept, files re-indexed, rows dropped...). */
  readonly recovery: RecoveryReport;
  /** Whether the archive takes writes now (measures free space; on a full disk it is read-only). */
  storage(): StorageStatus;
  /** Tell local commands of this user how to reach the node that holds this archive (DATA/owner.json). */
  announce(reach: { url: string; token: string }): Promise<void>;
  close(): Promise<void>;
}

/** How often the index WAL is checkpointed, which moves the recovery scan's starting point forward. */
const CHECKPOINT_INTERVAL_MS = 30_000;
/** How often free space is measured (also at each refused write and each /api/status). */
const SPACE_CHECK_INTERVAL_MS = 30_000;
/** The Error Comment of a C-STORE (and the reason of a STOW or import) refused on a full disk. */
export const READ_ONLY_MESSAGE = 'Out of resources: disk full, the node is read-only';

export async function openArchive(options: ArchiveOptions): Promise<Archive> {
  const { dataDir, logger } = options;
  // The lock first: recovery, the staging sweep and the run marker are the owner's alone.
  const owner = await acquireDataFolder(dataDir);
  try {
    await tightenDataFolder(dataDir, logger);
    await mkdir(join(dataDir, STAGING_DIR), { recursive: true, mode: PRIVATE_DIR_MODE });
    const space = new DiskSpace(dataDir);
    const index = openIndexOnDisk(join(dataDir, INDEX_FILE), space, logger);
    try {
      const marker = new RunMarker(dataDir);
      const uncleanSince = await marker.previousUncleanRun();
      let recovery: RecoveryReport | undefined;
      try {
        recovery = await recoverArchive({ dataDir, index, logger, uncleanSince });
        await marker.begin();
      } catch (error) {
        if (!isDiskFullError(error) && space.hasRoom()) throw error;
        // A full disk: serve what is held, refuse what would be written, until statfs shows room (recovery runs then).
        space.noteFull();
        recovery = undefined;
        logger.warn('disk full: the archive is read-only until space is freed', { dataDir, freeBytes: space.freeBytes, error });
      }
      return new FileArchive(options, index, marker, recovery, owner, space, uncleanSince);
    } catch (error) {
      index.close();
      throw error;
    }
  } catch (error) {
    await owner.release();
    throw error;
  }
}

class FileArchive implements Archive {
  readonly dataDir: string;
  readonly reader: ArchiveReader;
  readonly notes: ReadingNotes;
  readonly queue: SendQueueStore;
  readonly jobLog: JobLog;
  private readonly lock = new KeyedLock();
  private readonly knownDirs = new Set<string>();
  private readonly open = new Set<StagedInstance>();
  private readonly hasher = new Sha256Worker();
  private readonly checkpointTimer: NodeJS.Timeout;
  private readonly spaceTimer: NodeJS.Timeout;
  private dirty = false;
  private closed = false;
  /** False while the node, started on a full disk, has not yet run recovery and begun its run marker. */
  private writable: boolean;
  private reopening: Promise<void> | undefined;
  recovery: RecoveryReport;

  constructor(
    private readonly options: ArchiveOptions,
    readonly index: ArchiveIndex,
    private readonly marker: RunMarker,
    recovery: RecoveryReport | undefined,
    private readonly owner: DataFolderLock,
    private readonly space: DiskSpace,
    private readonly uncleanSince: Date | undefined,
  ) {
    this.dataDir = options.dataDir;
    this.reader = archiveReader(index, options.dataDir);
    this.notes = readingNotes(index);
    this.queue = index.sendQueue;
    this.jobLog = index.jobs;
    this.writable = recovery !== undefined;
    this.recovery = recovery ?? { stagingSwept: 0, reindexed: 0, strayFilesRemoved: 0, quarantined: 0, rowsDropped: 0 };
    this.checkpointTimer = setInterval(() => void this.checkpoint(), CHECKPOINT_INTERVAL_MS);
    this.checkpointTimer.unref();
    this.spaceTimer = setInterval(() => this.storage(), SPACE_CHECK_INTERVAL_MS);
    this.spaceTimer.unref();
  }

  storage(): StorageStatus {
    const full = this.space.refresh();
    if (!this.writable && !full) this.becomeWritable();
    return storageStatus(this.writable && !full, this.space);
  }

  begin(incoming: IncomingInstance): InstanceWriter {
    if (this.closed) throw new IngestError('io', 'archive is closed');
    // Free space is measured only once a write has failed for lack of it (or the node started on a full disk).
    if ((!this.writable || this.space.isFull) && !this.storage().writable) throw new IngestError('disk-full', READ_ONLY_MESSAGE);
    const staged = new StagedInstance(join(this.dataDir, STAGING_DIR, `${randomUUID()}.part`), incoming, this.options.maxObjectBytes, this.hasher, this.options.bulkDataThresholdBytes);
    this.open.add(staged);
    let settled = false;
    const settle = () => {
      settled = true;
      this.open.delete(staged);
    };
    return {
      write: async (chunk) => {
        try {
          await staged.write(chunk);
        } catch (error) {
          if (error instanceof IngestError && error.code === 'disk-full') this.space.noteFull();
          throw error;
        }
      },
      commit: async () => {
        if (settled) throw new IngestError('aborted', `instance ${incoming.sopInstanceUid} was already committed or aborted`);
        try {
          const file = await staged.finish();
          return await this.lock.run(incoming.sopInstanceUid, () => this.place(incoming, file));
        } catch (error) {
          await staged.discard();
          const failure = error instanceof IngestError ? error : ingestErrorFromFs(error, 'storing', staged.path);
          if (failure.code === 'disk-full') this.space.noteFull();
          throw failure;
        } finally {
          settle();
        }
      },
      abort: async (reason) => {
        if (settled) return;
        settle();
        this.options.logger.info('instance aborted', { sopInstanceUid: incoming.sopInstanceUid, reason });
        await staged.discard();
      },
    };
  }

  /**
   * Every step runs whatever the disk does: acknowledged instances are already
   * durable (file fsync'd, index committed), so a checkpoint or marker that a
   * full disk refuses only means the next start reconciles (the marker stays).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.checkpointTimer);
    clearInterval(this.spaceTimer);
    const { logger } = this.options;
    const step = async <T>(what: string, run: () => T | Promise<T>): Promise<T | undefined> => {
      try {
        return await run();
      } catch (error) {
        logger.warn(`closing the archive: ${what} failed`, { dataDir: this.dataDir, error });
        return undefined;
      }
    };
    await this.reopening;
    await Promise.all([...this.open].map((staged) => staged.discard()));
    const clean = this.writable && (await step('WAL checkpoint', () => this.index.checkpoint()));
    await step('closing the index', () => this.index.close());
    if (clean) await step('removing the run marker', () => this.marker.end());
    await step('stopping the hash worker', () => this.hasher.terminate());
    await step('releasing the data folder', () => this.owner.release());
  }

  /** Space came back on a node started read-only: recover and begin the run marker, then accept writes. */
  private becomeWritable(): void {
    const { dataDir, logger } = this.options;
    this.reopening ??= (async () => {
      try {
        this.recovery = await recoverArchive({ dataDir, index: this.index, logger, uncleanSince: this.uncleanSince });
        await this.marker.begin();
        this.writable = !this.closed;
        logger.warn('disk space available again: the archive accepts writes', { dataDir, freeBytes: this.space.freeBytes });
      } catch (error) {
        if (!isDiskFullError(error)) logger.error('cannot leave read-only mode', { dataDir, error });
        this.space.noteFull();
      } finally {
        this.reopening = undefined;
      }
    })();
  }

  announce(reach: { url: string; token: string }): Promise<void> {
    return this.owner.announce(reach);
  }

  /** Decide what the staged file becomes: a new instance, a duplicate, or a replacement. */
  private async place(incoming: IncomingInstance, file: StagedFile): Promise<StoreOutcome> {
    const { logger, duplicates } = this.options;
    const attrs = checkedAttributes(incoming, file);
    const receivedAt = new Date();
    const relative = instancePath(attrs.study.studyUid, incoming.sopInstanceUid, file.sha256, receivedAt);
    const outcome = (status: StoreOutcome['status'], path: string): StoreOutcome => ({
      status,
      sopInstanceUid: incoming.sopInstanceUid,
      studyInstanceUid: attrs.study.studyUid,
      path,
      sha256: file.sha256,
      size: file.size,
    });
    const record: InstanceFile = {
      transferSyntaxUid: incoming.transferSyntaxUid,
      path: relative,
      size: file.size,
      sha256: file.sha256,
      deflated: file.deflated,
      receivedAt: receivedAt.toISOString(),
      sourceAe: incoming.source.kind === 'dimse' ? incoming.source.callingAe : undefined,
      source: describeSource(incoming.source),
    };

    const held = this.index.getInstance(incoming.sopInstanceUid);
    if (held && held.sha256 === file.sha256) {
      await rm(file.path, { force: true });
      return outcome('already-present', held.path);
    }
    if (held) {
      const event = { sopUid: incoming.sopInstanceUid, policy: duplicates, heldSha256: held.sha256, incomingSha256: file.sha256, source: record.source };
      if (duplicates === 'keep-first' || duplicates === 'reject') {
        await rm(file.path, { force: true });
        this.index.recordEvent({ ...event, event: duplicates === 'reject' ? 'rejected' : 'kept-existing' });
        logger.warn('same SOP Instance UID with different bytes', event);
        if (duplicates === 'reject') {
          throw new IngestError('duplicate-rejected', `SOP Instance ${incoming.sopInstanceUid} is held with other content`);
        }
        return outcome('kept-existing', held.path);
      }
      await this.moveIntoPlace(file.path, relative);
      // replaceInstance is durable on return (synchronous=FULL), so the old copy
      // is never deleted while an OS crash could still roll the index back to it.
      await this.indexPlaced(relative, () => this.index.replaceInstance(file.json, record, { ...event, event: 'replaced' }, attrs));
      logger.warn('same SOP Instance UID with different bytes: replaced', event);
      await rm(join(this.dataDir, held.path), { force: true });
      return outcome('replaced', relative);
    }
    await this.moveIntoPlace(file.path, relative);
    await this.indexPlaced(relative, () => this.index.addInstance(file.json, record, attrs));
    return outcome('stored', relative);
  }

  /** Run the index transaction for a file just moved into place; if it fails, the file goes too. */
  private async indexPlaced(relative: string, transaction: () => void): Promise<void> {
    try {
      transaction();
    } catch (error) {
      await rm(join(this.dataDir, relative), { force: true });
      const full = (error as { code?: string }).code === 'SQLITE_FULL';
      throw new IngestError(full ? 'disk-full' : 'io', `${full ? 'disk full while indexing' : 'indexing failed for'} ${relative}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.dirty = true;
  }

  private async moveIntoPlace(from: string, relative: string): Promise<void> {
    const to = join(this.dataDir, relative);
    try {
      await durableRename(from, to, this.knownDirs);
    } catch (error) {
      throw ingestErrorFromFs(error, 'moving into place', to);
    }
  }

  /** Best effort: a failure (a full disk) leaves the marker where it was, so recovery looks further back. */
  private async checkpoint(): Promise<void> {
    if (!this.dirty || this.closed) return;
    const before = new Date();
    this.dirty = false;
    try {
      if (this.index.checkpoint()) await this.marker.advance(before);
      else this.dirty = true;
    } catch (error) {
      this.dirty = true;
      if (isDiskFullError(error)) this.space.noteFull();
      this.options.logger.warn('index checkpoint failed; recovery will look further back', { dataDir: this.dataDir, error });
    }
  }
}

/** The dataset must be the instance the sender announced, and placeable in the hierarchy. */
function checkedAttributes(incoming: IncomingInstance, file: StagedFile) {
  let attrs;
  try {
    attrs = indexAttributes(file.json);
  } catch (error) {
    if (error instanceof MissingAttributeError) {
      throw new IngestError('malformed', `dataset of ${incoming.sopInstanceUid} lacks ${error.keyword} (${error.tag.slice(0, 4)},${error.tag.slice(4)})`);
    }
    throw error;
  }
  const { sopInstanceUid, sopClassUid } = attrs.instance;
  if (sopInstanceUid !== incoming.sopInstanceUid || sopClassUid !== incoming.sopClassUid) {
    throw new IngestError(
      'uid-mismatch',
      `dataset says SOP ${sopClassUid} / ${sopInstanceUid}, announced ${incoming.sopClassUid} / ${incoming.sopInstanceUid}`,
    );
  }
  if (incoming.studyInstanceUid !== undefined && attrs.study.studyUid !== incoming.studyInstanceUid) {
    throw new IngestError('uid-mismatch', `instance ${sopInstanceUid} belongs to study ${attrs.study.studyUid}, not to study ${incoming.studyInstanceUid}`);
  }
  return attrs;
}

function describeSource(source: InstanceSource): string {
  switch (source.kind) {
    case 'dimse':
      return `dimse:${source.callingAe}@${source.remoteAddress}`;
    case 'import':
      return `import:${source.path}`;
    case 'web':
      return `web:${source.remoteAddress}`;
  }
}

/**
 * The index as the archive opens it. On a full disk SQLite cannot size the
 * WAL's shared-memory file: then the WAL index lives in this process's memory
 * (EXCLUSIVE locking), which still reads and writes, but no other process can
 * open the index until this node stops.
 */
function openIndexOnDisk(file: string, space: DiskSpace, logger: Logger): ArchiveIndex {
  let index: ArchiveIndex;
  try {
    index = new ArchiveIndex(file);
  } catch (error) {
    if (!isDiskFullError(error) && space.hasRoom()) throw error;
    logger.warn('disk full: the index is opened without its shared-memory file; other commands cannot read it while this node runs', { file, error });
    index = new ArchiveIndex(file, { exclusive: true });
  }
  try {
    tightenIndexFiles(file);
  } catch (error) {
    index.close();
    throw new Error(`${file}: cannot make the index owner-only: ${(error as Error).message}`, { cause: error });
  }
  return index;
}
