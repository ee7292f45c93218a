/** A one-line progress bar on stderr, redrawn in place; only used when stderr is a terminal. */
import type { ImportProgress } from '../import/import-paths.js';
import type { CliIo } from './io.js';

const WIDTH = 30;

export function progressBar(io: CliIo): { update(p: ImportProgress): void; finish(): void } {
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.done < p.total) return;
      last = now;
      const filled = p.total === 0 ? WIDTH : Math.round((WIDTH * p.done) / p.total);
      const name = p.outcome.path.length > 50 ? `…${p.outcome.path.slice(-49)}` : p.outcome.path;
      io.err(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${p.done}/${p.total} ${name}`);
      drawn = true;
    },
    finish() {
      if (drawn) io.err('\r\x1b[2K');
    },
  };
}
