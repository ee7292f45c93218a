/**
 * Paths named by the user → import items: files as they are, folders walked
 * recursively in name order. A walk stays inside the folder it was given:
 * symbolic links are followed only to regular files whose real path is in
 * that folder, and FIFOs, sockets and devices are never opened.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportItem } from './byte-source.js';
import { describeFileType, isInside, openRegularFile } from './confine.js';

export interface Walked {
  items: ImportItem[];
  skipped: Array<{ path: string; reason: string }>;
  rejected: Array<{ path: string; reason: string }>;
}

const READ_CHUNK = 256 * 1024;

/** `path` is what the user sees; `diskPath` (default: the same) is what is opened, a real path once links are resolved. */
export function diskItem(path: string, explicit = false, diskPath = path): ImportItem {
  return { path, diskPath, explicit, open: () => openRegularFile(diskPath, READ_CHUNK) };
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
    if (info.isDirectory()) await walkFolder(path, await realpath(path), walked);
    else if (info.isFile()) walked.items.push(diskItem(path, true));
    else walked.skipped.push({ path, reason: `not a regular file (${describeFileType(info)})` });
  }
  return walked;
}

/** `root` is the real path of the folder the user named. */
async function walkFolder(folder: string, root: string, walked: Walked): Promise<void> {
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
    if (entry.isDirectory()) await walkFolder(path, root, walked);
    else if (entry.isFile()) walked.items.push(diskItem(path));
    else if (entry.isSymbolicLink()) await followLink(path, root, walked);
    else walked.skipped.push({ path, reason: `not a regular file (${describeFileType(entry)})` });
  }
}

/** Linked files inside the folder are imported; linked folders are not followed (a link to a parent would loop forever). */
async function followLink(path: string, root: string, walked: Walked): Promise<void> {
  const target = await realpath(path).catch(() => undefined);
  const info = target === undefined ? undefined : await stat(target).catch(() => undefined);
  if (target === undefined || info === undefined) walked.skipped.push({ path, reason: 'broken symbolic link' });
  else if (!isInside(root, target)) walked.skipped.push({ path, reason: `symbolic link to ${target}, outside the folder ${root}: not followed` });
  else if (info.isDirectory()) walked.skipped.push({ path, reason: 'symbolic link to a folder (not followed)' });
  else if (!info.isFile()) walked.skipped.push({ path, reason: `not a regular file (symbolic link to a ${describeFileType(info)})` });
  else walked.items.push(diskItem(path, false, target));
}
