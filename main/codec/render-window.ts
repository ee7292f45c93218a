/**
 * Which window a rendered image gets when none is asked for. A rendered
 * resource: the file's, else the frame's min..max (as dcm2pnm +Wm). A
 * thumbnail, which the reader cannot adjust: the file's when it shows the
 * content, else one from the histogram, the 1st to the 99th percentile, so a
 * few extreme pixels (metal, padding left in) do not flatten the rest as a
 * min..max window would.
 */
export interface VoiWindow {
  center: number;
  width: number;
}

/** Percentiles of the histogram window. */
const LOW_PERCENTILE = 0.01;
const HIGH_PERCENTILE = 0.99;
/** Values looked at: enough for stable percentiles, cheap on a 4k² frame. */
const MAX_SAMPLES = 65_536;
/**
 * A file's window "shows the content" when the content's range (1st..99th
 * percentile) covers at least half of it, i.e. spans half the grey scale.
 * Below, the image is nearly flat: all white or black when the window misses
 * the values (a reformatted or down-sampled file keeps its old window),
 * washed out when the values fill only a part of it (an MR whose values sit
 * in the window's upper third shows as grey on white).
 */
const MIN_WINDOW_USE = 0.5;

export interface ValueRange {
  low: number;
  high: number;
}

/** The frame's minimum and maximum of `count` values read by `valueAt` (NaN: not content). */
export function valueRange(count: number, valueAt: (i: number) => number): ValueRange | undefined {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = valueAt(i);
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return low <= high ? { low, high } : undefined;
}

/** The 1st and 99th percentiles of `count` values read by `valueAt` (NaN: not content), sampled evenly. */
export function contentRange(count: number, valueAt: (i: number) => number): ValueRange | undefined {
  if (count === 0) return undefined;
  const step = Math.max(1, Math.floor(count / MAX_SAMPLES));
  const samples: number[] = [];
  for (let i = 0; i < count; i += step) {
    const v = valueAt(i);
    if (Number.isFinite(v)) samples.push(v);
  }
  if (samples.length === 0) return undefined;
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))]!;
  return { low: at(LOW_PERCENTILE), high: at(HIGH_PERCENTILE) };
}

/** A window mapping low to black and high to white (PS3.3 C.11.2.1.2.1 linear); a flat image gets a width of 1. */
export function windowSpanning(range: ValueRange): VoiWindow {
  return { center: (range.low + range.high) / 2 + 0.5, width: Math.max(1, range.high - range.low + 1) };
}

/** Whether the content, clipped to the window, covers enough of it to be read. */
export function windowShowsContent(window: VoiWindow, range: ValueRange): boolean {
  const lower = window.center - 0.5 - (window.width - 1) / 2;
  const upper = window.center - 0.5 + (window.width - 1) / 2;
  const shown = Math.min(range.high, upper) - Math.max(range.low, lower);
  return shown >= MIN_WINDOW_USE * window.width;
}

export interface WindowChoice {
  /** Asked for (WADO-RS `window=`): always used. */
  requested?: VoiWindow | undefined;
  /** The file's first Window Center/Width. */
  file?: VoiWindow | undefined;
  /** Thumbnails: the file's window only when it shows the content; the reader cannot adjust a thumbnail. */
  fitToContent: boolean;
}

/** A frame with no value to show (every pixel padding). */
const FLAT: VoiWindow = { center: 0.5, width: 1 };

/** The window to render with; the ranges are computed only when needed (each reads the whole frame). */
export function chooseWindow(choice: WindowChoice, ranges: { minMax: () => ValueRange | undefined; content: () => ValueRange | undefined }): VoiWindow {
  if (choice.requested) return choice.requested;
  if (!choice.fitToContent) {
    if (choice.file) return choice.file;
    const all = ranges.minMax();
    return all ? windowSpanning(all) : FLAT;
  }
  const content = ranges.content();
  if (!content) return choice.file ?? FLAT;
  if (choice.file && windowShowsContent(choice.file, content)) return choice.file;
  return windowSpanning(content);
}
