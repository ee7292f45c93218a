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
import { durableRename, ingestErrorFromFs } from './durable-fs.js';
import { IngestError, type IncomingInstance, type InstanceSink, type InstanceSource, type InstanceWriter, type StoreOutcome } from './instance-sink.js';
import { KeyedLock } from './keyed-lock.js';
import { INDEX_FILE, instancePath, STAGING_DIR } from './layout.js';
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
  readonly dataDir: string;
  readonly index: ArchiveIndex;
  /** What start-up repaired (staging swept, files re-indexed, rows dropped...). */
  readonly recovery: RecoveryReport;
  close(): Promise<void>;
}

/** How often the index WAL is checkpointed, which moves the recovery scan's starting point forward. */
const CHECKPOINT_INTERVAL_MS = 30_000;

export async function openArchive(options: ArchiveOptions): Promise<Archive> {
  const { dataDir, logger } = options;
  await mkdir(join(dataDir, STAGING_DIR), { recursive: true });
  const index = new ArchiveIndex(join(dataDir, INDEX_FILE));
  try {
    const marker = new RunMarker(dataDir);
    const recovery = await recoverArchive({ dataDir, index, logger, uncleanSince: await marker.previousUncleanRun() });
    await marker.begin();
    return new FileArchive(options, index, marker, recovery);
  } catch (error) {
    index.close();
    throw error;
  }
}

class FileArchive implements Archive {
  readonly dataDir: string;
  private readonly lock = new KeyedLock();
  private readonly knownDirs = new Set<string>();
  private readonly open = new Set<StagedInstance>();
  private readonly hasher = new Sha256Worker();
  private readonly checkpointTimer: NodeJS.Timeout;
  private dirty = false;
  private closed = false;

  constructor(
    private readonly options: ArchiveOptions,
    readonly index: ArchiveIndex,
    private readonly marker: RunMarker,
    readonly recovery: RecoveryReport,
  ) {
    this.dataDir = options.dataDir;
    this.checkpointTimer = setInterval(() => void this.checkpoint(), CHECKPOINT_INTERVAL_MS);
    this.checkpointTimer.unref();
  }

  begin(incoming: IncomingInstance): InstanceWriter {
    if (this.closed) throw new IngestError('io', 'archive is closed');
    const staged = new StagedInstance(join(this.dataDir, STAGING_DIR, `${randomUUID()}.part`), incoming, this.options.maxObjectBytes, this.hasher, this.options.bulkDataThresholdBytes);
    this.open.add(staged);
    let settled = false;
    const settle = () => {
      settled = true;
      this.open.delete(staged);
    };
    return {
      write: (chunk) => staged.write(chunk),
      commit: async () => {
        if (settled) throw new IngestError('aborted', `instance ${incoming.sopInstanceUid} was already committed or aborted`);
        try {
          const file = await staged.finish();
          return await this.lock.run(incoming.sopInstanceUid, () => this.place(incoming, file));
        } catch (error) {
          await staged.discard();
          throw error instanceof IngestError ? error : ingestErrorFromFs(error, 'storing', staged.path);
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.checkpointTimer);
    await Promise.all([...this.open].map((staged) => staged.discard()));
    const clean = this.index.checkpoint();
    this.index.close();
    if (clean) await this.marker.end();
    await this.hasher.terminate();
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

  private async checkpoint(): Promise<void> {
    if (!this.dirty || this.closed) return;
    const before = new Date();
    this.dirty = false;
    if (this.index.checkpoint()) await this.marker.advance(before);
    else this.dirty = true;
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
