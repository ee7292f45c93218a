import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder; remove it with the returned cleanup. */
export async function tempDir(prefix = 'viewbox-test-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Temporary folders for the tests of one file, removed after each test (in
 * reverse order, so a mount made inside one is undone first). Call at module
 * level; `track` adds other cleanups (an umount) to the same list.
 */
export function tempDirsPerTest(prefix: string, afterEach: (fn: () => Promise<void>) => void) {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  return {
    async dataDir(): Promise<string> {
      const dir = await tempDir(prefix);
      cleanups.push(dir.cleanup);
      return dir.path;
    },
    track(cleanup: () => Promise<void>): void {
      cleanups.push(cleanup);
    },
  };
}
