/**
 * Fit an image into a viewport keeping its aspect ratio. Each output pixel
 * is the area-weighted average of the source pixels it covers (a box filter
 * with fractional edges), so shrinking does not alias and enlarging repeats
 * pixels without inventing values.
 */
import type { DisplayImage } from './display-pixels.js';

export function fitInto(image: DisplayImage, viewport: { width: number; height: number }): DisplayImage {
  const scale = Math.min(viewport.width / image.width, viewport.height / image.height);
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
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
