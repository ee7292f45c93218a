/**
 * Fit an image into a viewport keeping its aspect ratio. Each output pixel
 * is the area-weighted average of the source pixels it covers (a box filter
 * with fractional edges), so shrinking does not alias and enlarging repeats
 * pixels without inventing values.
 *
 * The output is bounded whatever the caller asks: at most MAX_RENDERED_SIDE
 * pixels a side and at most MAX_UPSCALE times the source. The cost of a
 * render grows with the square of the viewport a request names, and past a
 * few times the source an enlargement adds nothing a viewer's own scaling
 * would not (it only repeats pixels).
 */
import type { DisplayImage } from './display-pixels.js';

export const MAX_RENDERED_SIDE = 4096;
export const MAX_UPSCALE = 4;

/** The output size for a source and an optional viewport: the viewport's fit, then the bounds above. */
export function fittedSize(source: { width: number; height: number }, viewport?: { width: number; height: number }): { width: number; height: number } {
  const asked = viewport ? Math.min(viewport.width / source.width, viewport.height / source.height, MAX_UPSCALE) : 1;
  const scale = Math.min(asked, MAX_RENDERED_SIDE / source.width, MAX_RENDERED_SIDE / source.height);
  return { width: Math.max(1, Math.round(source.width * scale)), height: Math.max(1, Math.round(source.height * scale)) };
}

export function fitInto(image: DisplayImage, viewport?: { width: number; height: number }): DisplayImage {
  const { width, height } = fittedSize(image, viewport);
  if (width === image.width && height === image.height) return image;
  const { channels } = image;
  const columns = spans(image.width, width);
  const rows = spans(image.height, height);
  // Horizontal pass into floats, then vertical pass into bytes.
  const across = new Float32Array(width * image.height * channels);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      const { start, weights } = columns[x]!;
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += weights[k]! * image.pixels[(y * image.width + start + k) * channels + c]!;
        across[(y * width + x) * channels + c] = sum;
      }
    }
  }
  const pixels = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const { start, weights } = rows[y]!;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += weights[k]! * across[((start + k) * width + x) * channels + c]!;
        pixels[(y * width + x) * channels + c] = Math.min(255, Math.round(sum));
      }
    }
  }
  return { pixels, width, height, channels };
}

/** For each output index, the source pixels its footprint overlaps and the share of each (summing to 1). */
function spans(source: number, target: number): Array<{ start: number; weights: number[] }> {
  const step = source / target;
  return Array.from({ length: target }, (_, i) => {
    const from = i * step;
    const to = Math.min(source, from + step);
    const start = Math.floor(from);
    const weights: number[] = [];
    for (let s = start; s < to; s++) weights.push((Math.min(to, s + 1) - Math.max(from, s)) / step);
    return { start, weights };
  });
}
