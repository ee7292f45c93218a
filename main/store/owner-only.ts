/**
 * Patient data is readable by its owner alone: folders 0700 and files 0600
 * under the data folder (and the shell's state beside it), whatever the
 * umask. Explicit modes where Viewbox creates a file; chmod where a library
 * does (SQLite's index files); and a folder an older version created
 * readable by others is tightened when it is opened.
 */
import { chmodSync, existsSync, statSync } from 'node:fs';
import { chmod, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type { Logger } from '../log.js';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** SQLite's own files beside the index (it gives -wal and -shm the mode of the database file). */
export const INDEX_COMPANIONS = ['', '-wal', '-shm', '-journal'];

/**
 * Files and folders this process creates get no group or other bits, even
 * where a library passes its own mode; the explicit modes stay the rule.
 * Worker threads share the process's umask and may not set it.
 */
export function ownerOnlyUmask(): void {
  if (isMainThread) process.umask(0o077);
}

/** chmod `path` to `mode` if it exists and grants more; returns whether it changed. */
export async function tighten(path: string, mode: number): Promise<boolean> {
  let current;
  try {
    current = (await stat(path)).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if ((current & ~mode) === 0) return false;
  await chmod(path, mode);
  return true;
}

/** The index and its companions, owner-only: SQLite creates them 0644 (-wal and -shm as the database file). */
export function tightenIndexFiles(indexFile: string): void {
  for (const suffix of INDEX_COMPANIONS) {
    const path = `${indexFile}${suffix}`;
    if (existsSync(path) && statSync(path).mode & 0o077) chmodSync(path, PRIVATE_FILE_MODE);
  }
}

/**
 * A data folder as an older version left it (0755 folders, 0644 files): the
 * folder itself and every entry in it (the index and its companions, the
 * run marker, staging/, store/, a protocol folder...). With the folder at 0700
 * nobody else can reach anything below it, so the store is not walked.
 */
export async function tightenDataFolder(dataDir: string, logger: Logger): Promise<void> {
  let changed = 0;
  if (await tighten(dataDir, PRIVATE_DIR_MODE)) changed++;
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue; // chmod would follow it out of the folder
    if (await tighten(join(dataDir, entry.name), entry.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE)) changed++;
  }
  if (changed > 0) logger.warn('data folder was readable by other users: made owner-only', { dataDir, entries: changed });
}
