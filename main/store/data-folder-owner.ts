/**
 * One owner per data folder. The process that writes an archive holds an
 * exclusive SQLite lock on DATA/owner.lock for as long as it runs. SQLite
 * locks with POSIX advisory locks (fcntl), which the OS drops when the
 * process ends however it ends (kill -9 included), so a crash never leaves
 * the folder locked and no stale PID has to be guessed about. Beside the lock,
 * owner.json (owner-only) says who holds it and, once that process serves
 * HTTP, how local commands of the same user reach it.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OWNER_LOCK, OWNER_RECORD } from './layout.js';

export interface OwnerRecord {
  pid: number;
  startedAt: string;
  /** Present once the holder serves HTTP (a node): its base URL and API bearer token. */
  url?: string;
  token?: string;
}

export interface RunningNode {
  pid: number;
  url: string;
  token: string;
}

export class DataFolderBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: OwnerRecord | undefined,
  ) {
    super(busyMessage(dataDir, holder));
    this.name = 'DataFolderBusyError';
  }
}

function busyMessage(dataDir: string, holder: OwnerRecord | undefined): string {
  if (!holder) return `the data folder ${dataDir} is in use by another Viewbox process; stop it, or use a different --data folder`;
  const what = holder.url ? `a Viewbox node serving ${holder.url}` : 'another Viewbox command';
  return `the data folder ${dataDir} is in use by process ${holder.pid} (${what}, since ${holder.startedAt}); stop it (kill ${holder.pid}, or quit the app), or use a different --data folder`;
}

export interface DataFolderLock {
  readonly dataDir: string;
  /** Publish how local commands of this user reach the node of this process. */
  announce(reach: { url: string; token: string }): Promise<void>;
  /** Remove the record, then drop the lock. */
  release(): Promise<void>;
}

/** A holder that is only probing (see dataFolderHolder) keeps a shared lock for microseconds: wait that out, not a real owner. */
const ACQUIRE_WAIT_MS = 1000;

export async function acquireDataFolder(dataDir: string): Promise<DataFolderLock> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lockFile = join(dataDir, OWNER_LOCK);
  const db = new Database(lockFile, { timeout: ACQUIRE_WAIT_MS });
  try {
    // EXCLUSIVE locking mode keeps the lock after each statement; the open
    // transaction holds it until this connection closes or the process dies.
    db.pragma('locking_mode = EXCLUSIVE');
    // No journal file: the lock must be taken on a full disk too (the node then starts read-only).
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataFolderBusyError(dataDir, await readOwnerRecord(dataDir));
    throw new Error(`${lockFile}: cannot lock the data folder: ${(error as Error).message}`, { cause: error });
  }
  let released = false;
  try {
    await chmod(lockFile, 0o600);
    const record: OwnerRecord = { pid: process.pid, startedAt: new Date().toISOString() };
    // On a full disk the record cannot be written; the lock still holds, and commands name no PID.
    await writeOwnerRecord(dataDir, record).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOSPC' && error.code !== 'EDQUOT') throw error;
    });
    return {
      dataDir,
      announce: (reach) => writeOwnerRecord(dataDir, { ...record, ...reach }),
      release: async () => {
        if (released) return;
        released = true;
        await rm(join(dataDir, OWNER_RECORD), { force: true });
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Whether some process holds the folder, and its record when it wrote one.
 * Probes with a read-only connection: a read needs a shared lock, which the
 * holder's exclusive lock refuses at once.
 */
export async function dataFolderHolder(dataDir: string): Promise<{ held: false } | { held: true; owner: OwnerRecord | undefined }> {
  const lockFile = join(dataDir, OWNER_LOCK);
  if (!existsSync(lockFile)) return { held: false };
  const db = new Database(lockFile, { readonly: true, fileMustExist: true, timeout: 0 });
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return { held: false };
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw new Error(`${lockFile}: cannot probe the lock: ${(error as Error).message}`, { cause: error });
  } finally {
    db.close();
  }
  return { held: true, owner: await readOwnerRecord(dataDir) };
}

/** The node that holds the data folder and serves HTTP, if one does. */
export async function readRunningNode(dataDir: string): Promise<RunningNode | undefined> {
  const state = await dataFolderHolder(dataDir);
  if (!state.held || !state.owner?.url || !state.owner.token) return undefined;
  return { pid: state.owner.pid, url: state.owner.url, token: state.owner.token };
}

async function readOwnerRecord(dataDir: string): Promise<OwnerRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(join(dataDir, OWNER_RECORD), 'utf8')) as Partial<OwnerRecord>;
    return typeof record.pid === 'number' && typeof record.startedAt === 'string' ? (record as OwnerRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole (temp file, rename) and owner-only: it carries the API token. */
async function writeOwnerRecord(dataDir: string, record: OwnerRecord): Promise<void> {
  const path = join(dataDir, OWNER_RECORD);
  const temp = `${path}.tmp`;
  await rm(temp, { force: true });
  try {
    await writeFile(temp, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    await rename(temp, path);
  } catch (error) {
    // A full disk leaves an empty temp file behind; the record itself is untouched.
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}
