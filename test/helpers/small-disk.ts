/**
 * A small file system of its own (a tmpfs, as root) to fill up: how the tests
 * make a full disk without touching the machine's.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';

/** Mount a tmpfs of `size` (e.g. "8m") at `path`; `error` says why not (the test then skips). */
export function mountSmallDisk(path: string, size: string): { path: string; error: string } {
  mkdirSync(path, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { stdio: 'pipe' });
    return { path, error: '' };
  } catch (err) {
    return { path, error: String((err as { stderr?: Buffer }).stderr ?? err).trim() };
  }
}

export function unmountSmallDisk(path: string): void {
  execFileSync('umount', ['-l', path]);
}

/** Write until the file system refuses: not one more byte fits. */
export function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const block = Buffer.alloc(size, 0x5a);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}
