/** A one-line progress bar on stderr, redrawn in place; only used when stderr is a terminal. */
import type { CliIo } from './io.js';

const WIDTH = 30;

export interface ProgressState {
  done: number;
  /** Unknown until the peer says (the first C-MOVE response). */
  total: number | undefined;
  label: string;
}

export function progressBar(io: CliIo): { update(p: ProgressState): void; finish(): void } {
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100 && (p.total === undefined || p.done < p.total)) return;
      last = now;
      const total = p.total ?? 0;
      const filled = total === 0 ? 0 : Math.min(WIDTH, Math.round((WIDTH * p.done) / total));
      const label = p.label.length > 50 ? `…${p.label.slice(-49)}` : p.label;
      io.err(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${p.done}/${p.total ?? '?'} ${label}`);
      drawn = true;
    },
    finish() {
      if (drawn) io.err('\r\x1b[2K');
    },
  };
}
