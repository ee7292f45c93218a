/**
 * Keeping an import to the folder it was given: whether a real path lies
 * inside a folder, what kind of file a stat describes, and an open that can
 * never block on a FIFO or a device (O_NONBLOCK, then the type is checked on
 * the open descriptor, so a swap after the walk cannot slip one in).
 */
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import type { Readable } from 'node:stream';

/** `path` is `folder` itself or below it (both real paths). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** What a Stats or a Dirent says the entry is, in words for a summary. */
export function describeFileType(info: Pick<Stats, 'isFile' | 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice' | 'isSymbolicLink'>): string {
  if (info.isFile()) return 'regular file';
  if (info.isDirectory()) return 'folder';
  if (info.isFIFO()) return 'FIFO';
  if (info.isSocket()) return 'socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'device';
  if (info.isSymbolicLink()) return 'symbolic link';
  return 'special file';
}

/** A stream of a regular file's bytes; anything else is refused without waiting on it. */
export async function openRegularFile(path: string, highWaterMark: number): Promise<Readable> {
  // O_NONBLOCK is 0 where it does not exist (Windows, which has no FIFOs on the file system).
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const type = describeFileType(await handle.stat());
    if (type !== 'regular file') throw new Error(`not a regular file (${type})`);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle.createReadStream({ highWaterMark });
}
