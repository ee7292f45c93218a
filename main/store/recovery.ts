/**
 * Start-up repair. Staging leftovers are always swept. After an unclean stop
 * (the run marker is still there) the store and the index are reconciled for
 * the files received since the last point both were known durable: an OS
 * crash may have lost the last index commits (synchronous=NORMAL), while the
 * files themselves were fsync'd before any Success was sent.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ArchiveIndex } from '../index/archive-index.js';
import type { Logger } from '../log.js';
import { dayFolderOf, QUARANTINE_DIR, RUNNING_MARKER, STAGING_DIR, STORE_DIR } from './layout.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './owner-only.js';
import { readStoredHeader } from './stored-file.js';

export interface RecoveryReport {
  stagingSwept: number;
  reindexed: number;
  strayFilesRemoved: number;
  quarantined: number;
  rowsDropped: number;
}

export async function recoverArchive(options: {
  dataDir: string;
  index: ArchiveIndex;
  logger: Logger;
  /** Set when the previous run stopped uncleanly: everything received since then is checked. */
  uncleanSince: Date | undefined;
}): Promise<RecoveryReport> {
  const { dataDir, index, logger, uncleanSince } = options;
  const report: RecoveryReport = { stagingSwept: 0, reindexed: 0, strayFilesRemoved: 0, quarantined: 0, rowsDropped: 0 };
  for (const name of await readdir(join(dataDir, STAGING_DIR))) {
    await rm(join(dataDir, STAGING_DIR, name), { force: true, recursive: true });
    report.stagingSwept++;
  }
  if (uncleanSince) {
    logger.warn('previous run did not stop cleanly: reconciling store and index', { since: uncleanSince.toISOString() });
    for (const row of index.listInstances({ receivedSince: uncleanSince.toISOString() })) {
      if (await exists(join(dataDir, row.path))) continue;
      index.removeInstance(row.sopInstanceUid);
      report.rowsDropped++;
      logger.warn('index row without file dropped', { sopInstanceUid: row.sopInstanceUid, path: row.path });
    }
    for (const folder of await dayFoldersSince(dataDir, uncleanSince)) {
      for (const file of await filesUnder(folder)) {
        const path = relative(dataDir, file).split(sep).join('/');
        if (index.hasPath(path)) continue;
        await adoptOrRemove(dataDir, path, index, logger, report);
      }
    }
    index.checkpoint();
  }
  if (Object.values(report).some((n) => n > 0)) {
    logger.info('archive recovered', { ...report });
  }
  return report;
}

/**
 * A stored file the index lacks. If the index holds its SOP Instance UID under
 * another file that exists, this one was never acknowledged (a crash between
 * rename and commit) and goes. Otherwise it is the only copy and is indexed.
 * A file that cannot be read back is moved to quarantine/, never deleted.
 */
async function adoptOrRemove(dataDir: string, path: string, index: ArchiveIndex, logger: Logger, report: RecoveryReport): Promise<void> {
  const full = join(dataDir, path);
  let header;
  try {
    header = await readStoredHeader(full);
  } catch (error) {
    const to = join(dataDir, QUARANTINE_DIR, path.replace(/\//g, '_'));
    await mkdir(dirname(to), { recursive: true, mode: PRIVATE_DIR_MODE });
    await rename(full, to);
    report.quarantined++;
    logger.warn('unreadable store file moved to quarantine', { path, quarantine: to, error });
    return;
  }
  const { meta, json, deflated } = header;
  const sopUid = meta.mediaStorageSopInstanceUid;
  const held = index.getInstance(sopUid);
  // Indexed meanwhile under this very path: not a stray (never delete the file a row points to).
  if (held?.path === path) return;
  if (held && (await exists(join(dataDir, held.path)))) {
    await rm(full, { force: true });
    report.strayFilesRemoved++;
    logger.warn('stray store file removed (its instance is held in another file)', { path, heldPath: held.path, sopInstanceUid: sopUid });
    return;
  }
  if (held) index.removeInstance(sopUid);
  const { size } = await stat(full);
  index.addInstance(json, {
    transferSyntaxUid: meta.transferSyntaxUid,
    path,
    size,
    sha256: await sha256OfFile(full),
    deflated,
    receivedAt: new Date().toISOString(),
    sourceAe: meta.sourceApplicationEntityTitle,
    source: 'recovery',
  });
  report.reindexed++;
  logger.warn('store file re-indexed after unclean stop', { path, sopInstanceUid: sopUid, ...(held ? { replacedMissing: held.path } : {}) });
}

/** The store's day folders (absolute) for `since`'s day and later: only folders that exist are listed. */
async function dayFoldersSince(dataDir: string, since: Date): Promise<string[]> {
  const from = dayFolderOf(since).join('/');
  let levels = [''];
  for (let depth = 0; depth < 3; depth++) {
    const next: string[] = [];
    for (const level of levels) {
      for (const name of await subfolders(join(dataDir, STORE_DIR, level))) {
        const path = level ? `${level}/${name}` : name;
        // Compare on the prefix this depth has: "2024" >= "2024", "2024/03" >= "2024/03"...
        if (path >= from.slice(0, path.length)) next.push(path);
      }
    }
    levels = next;
  }
  return levels.sort().map((day) => join(dataDir, STORE_DIR, ...day.split('/')));
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else files.push(path);
  }
  return files;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The marker that tells the next start whether this run stopped cleanly. */
export class RunMarker {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, RUNNING_MARKER);
  }

  /** When the previous run was last known consistent, if it did not stop cleanly. */
  async previousUncleanRun(): Promise<Date | undefined> {
    try {
      const marker = JSON.parse(await readFile(this.path, 'utf8')) as { consistentUntil?: string };
      const when = new Date(marker.consistentUntil ?? 0);
      return Number.isNaN(when.getTime()) ? new Date(0) : when;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return new Date(0);
    }
  }

  begin(): Promise<void> {
    return this.advance(new Date());
  }

  /** Everything received before `when` is durable in the index too. */
  async advance(when: Date): Promise<void> {
    const temp = `${this.path}.tmp`;
    try {
      await writeFile(temp, JSON.stringify({ pid: process.pid, consistentUntil: when.toISOString() }), { mode: PRIVATE_FILE_MODE });
      await rename(temp, this.path);
    } catch (error) {
      // A full disk leaves an empty temp file behind; the marker itself is untouched.
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  async end(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
