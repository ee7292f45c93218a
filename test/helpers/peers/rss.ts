/** Memory of a running process from /proc (Linux): current and peak resident set size. */
import { readFile, writeFile } from 'node:fs/promises';

export interface RssReading {
  /** Resident set size now, bytes. */
  rss: number;
  /** High-water mark of the resident set since start (or since resetPeakRss), bytes. */
  hwm: number;
}

export async function readRss(pid: number): Promise<RssReading> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) * 1024;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Reset the kernel's peak-RSS counter (clear_refs 5, Linux ≥ 4.0); false where not permitted. */
export async function resetPeakRss(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface RssSampler {
  /** Stop polling; the peak of VmRSS samples and of the kernel's VmHWM, bytes. */
  stop(): Promise<{ peakRss: number; samples: number }>;
}

/**
 * Peak RSS of `pid` over a window: resets the kernel's VmHWM at the start
 * (where permitted), polls VmRSS every `intervalMs`, and folds VmHWM (the
 * exact peak) in at stop while the process still lives.
 */
export function peakRss(pid: number, intervalMs = 25): RssSampler {
  let peak = 0;
  let samples = 0;
  let timer: NodeJS.Timeout | undefined;
  const sample = async () => {
    try {
      const { rss, hwm } = await readRss(pid);
      peak = Math.max(peak, rss, hwm);
      samples++;
    } catch {
      // the process has exited: keep what was seen
    }
  };
  const started = resetPeakRss(pid).then(() => {
    timer = setInterval(() => void sample(), intervalMs);
    return sample();
  });
  return {
    async stop() {
      await started;
      clearInterval(timer);
      await sample();
      return { peakRss: peak, samples };
    },
  };
}
