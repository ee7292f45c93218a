/** Paths named by the user → import items: files as they are, folders walked recursively in name order. */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportItem } from './byte-source.js';

export interface Walked {
  items: ImportItem[];
  skipped: Array<{ path: string; reason: string }>;
  rejected: Array<{ path: string; reason: string }>;
}

const READ_CHUNK = 256 * 1024;

export function diskItem(path: string, explicit = false): ImportItem {
  return { path, diskPath: path, explicit, open: async () => createReadStream(path, { highWaterMark: READ_CHUNK }) };
}

export async function walkPaths(paths: string[]): Promise<Walked> {
  const walked: Walked = { items: [], skipped: [], rejected: [] };
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      walked.rejected.push({ path, reason: code === 'ENOENT' ? 'no such file or folder' : `cannot read: ${(error as Error).message}` });
      continue;
    }
    if (info.isDirectory()) await walkFolder(path, walked);
    else if (info.isFile()) walked.items.push(diskItem(path, true));
    else walked.skipped.push({ path, reason: 'not a regular file' });
  }
  return walked;
}

async function walkFolder(folder: string, walked: Walked): Promise<void> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    walked.rejected.push({ path: folder, reason: `cannot list folder: ${(error as Error).message}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) await walkFolder(path, walked);
    else if (entry.isFile()) walked.items.push(diskItem(path));
    else if (entry.isSymbolicLink()) {
      // Linked files are followed; linked folders are not (a link to a parent would loop forever).
      const target = await stat(path).catch(() => undefined);
      if (target?.isFile()) walked.items.push(diskItem(path));
      else walked.skipped.push({ path, reason: target ? 'symbolic link to a folder (not followed)' : 'broken symbolic link' });
    } else walked.skipped.push({ path, reason: 'not a regular file' });
  }
}

