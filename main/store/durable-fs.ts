/**
 * File-system steps whose order makes a write durable: data fsync'd before
 * the rename, the rename fsync'd through its directory, new directories
 * fsync'd through their parents.
 */
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorMessage } from '../../shared/error-message.js';
import { IngestError } from './instance-sink.js';
import { PRIVATE_DIR_MODE } from './owner-only.js';

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates `dir` and missing parents, fsyncing each parent that gained an entry. */
export async function ensureDirectory(dir: string, known: Set<string>): Promise<void> {
  if (known.has(dir)) return;
  const created = await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (created !== undefined) {
    // mkdir returns the first directory it made; every level from there down is new.
    let level = dir;
    const parents: string[] = [];
    while (level.length >= created.length) {
      parents.push(dirname(level));
      level = dirname(level);
    }
    for (const parent of parents) await fsyncDirectory(parent);
  }
  known.add(dir);
}

/** Rename into place and make the rename itself durable. */
export async function durableRename(from: string, to: string, knownDirs: Set<string>): Promise<void> {
  await ensureDirectory(dirname(to), knownDirs);
  await rename(from, to);
  await fsyncDirectory(dirname(to));
}

/** An fs error as the IngestError a sender can be told about. */
export function ingestErrorFromFs(error: unknown, action: string, path: string): IngestError {
  if (error instanceof IngestError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const detail = errorMessage(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new IngestError('disk-full', `disk full while ${action} ${path}`, { cause: error });
  }
  return new IngestError('io', `${action} ${path} failed: ${detail}`, { cause: error });
}
