/**
 * The node's secret: 32 random bytes made once per data folder and kept
 * owner-only. De-identification keys its pseudonyms and replacement UIDs
 * with it, so the same original maps to the same copy across exports and
 * restarts, and nobody without the file can reverse or recompute the map.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { NODE_SECRET } from './layout.js';
import { PRIVATE_FILE_MODE, tighten } from './owner-only.js';

export const NODE_SECRET_BYTES = 32;

/**
 * The secret of the data folder `dataDir`, created on first use. It is
 * written to a private temporary file, fsynced, then hard-linked into place:
 * the link fails if another process got there first (theirs is kept), and
 * a crash never leaves a short secret under the real name.
 */
export async function readOrCreateNodeSecret(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, NODE_SECRET);
  const existing = await readSecret(path);
  if (existing) return existing;
  const secret = new Uint8Array(randomBytes(NODE_SECRET_BYTES));
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(secret);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readSecret(path))!;
  } finally {
    await unlink(temporary);
  }
  return secret;
}

async function readSecret(path: string): Promise<Uint8Array | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (bytes.length !== NODE_SECRET_BYTES) {
    throw new Error(`node secret ${path} holds ${bytes.length} bytes, not ${NODE_SECRET_BYTES}: refusing to replace it (every pseudonym and UID it made would change)`);
  }
  await tighten(path, PRIVATE_FILE_MODE);
  return new Uint8Array(bytes);
}
