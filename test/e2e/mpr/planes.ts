/**
 * Reading an MPR plane as a user sees it: the bright blobs on its canvas
 * (connected pixels above a grey level, with their centroid and extent along
 * a direction), and where its crosshairs' reference lines cross.
 */
import type { Locator } from 'playwright-core';
import type { CanvasLike } from '../harness/canvas.js';

export interface Blob {
  /** Page coordinates of the centroid. */
  x: number;
  y: number;
  pixels: number;
  /** Page size of its bounding box. */
  width: number;
  height: number;
  /** Page coordinates of the blob's extreme pixels along `direction` (when asked). */
  ends?: [{ x: number; y: number }, { x: number; y: number }];
}

/**
 * Blobs of pixels whose red channel is above `threshold` on the plane's
 * canvas, largest first. `direction` (canvas x, y) also gives each blob's
 * two ends along it, where its centre line leaves it.
 */
export function brightBlobs(plane: Locator, threshold: number, direction?: readonly [number, number]): Promise<Blob[]> {
  return plane
    .locator('canvas')
    .first()
    .evaluate(
      (canvas: CanvasLike, { threshold, direction }) => {
        const { width, height } = canvas;
        const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
        const label = new Int32Array(width * height).fill(-1);
        const blobs: Array<{ sx: number; sy: number; n: number; tMin: number; tMax: number; x0: number; x1: number; y0: number; y1: number }> = [];
        const [dx = 1, dy = 0] = direction ?? [];
        const [ux, uy] = [dx / Math.hypot(dx, dy), dy / Math.hypot(dx, dy)];
        for (let start = 0; start < width * height; start++) {
          if (label[start] !== -1 || data[start * 4]! <= threshold) continue;
          const id = blobs.length;
          const blob = { sx: 0, sy: 0, n: 0, tMin: Infinity, tMax: -Infinity, x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
          blobs.push(blob);
          const stack = [start];
          label[start] = id;
          while (stack.length > 0) {
            const at = stack.pop()!;
            const [x, y] = [at % width, Math.floor(at / width)];
            blob.sx += x + 0.5;
            blob.sy += y + 0.5;
            blob.n++;
            blob.x0 = Math.min(blob.x0, x);
            blob.x1 = Math.max(blob.x1, x + 1);
            blob.y0 = Math.min(blob.y0, y);
            blob.y1 = Math.max(blob.y1, y + 1);
            for (const [nx, ny] of [
              [x + 1, y],
              [x - 1, y],
              [x, y + 1],
              [x, y - 1],
            ] as const) {
              const next = ny * width + nx;
              if (nx < 0 || ny < 0 || nx >= width || ny >= height || label[next] !== -1 || data[next * 4]! <= threshold) continue;
              label[next] = id;
              stack.push(next);
            }
          }
        }
        // The ends on the centre line (pixels within a pixel of it), not the corners of a blob's staircase edge.
        const centre = blobs.map((b) => [b.sx / b.n, b.sy / b.n] as const);
        for (let at = 0; at < width * height; at++) {
          const id = label[at]!;
          if (id < 0) continue;
          const [x, y] = [(at % width) + 0.5, Math.floor(at / width) + 0.5];
          const [cx, cy] = centre[id]!;
          if (Math.abs((x - cx) * -uy + (y - cy) * ux) > 1) continue;
          const t = x * ux + y * uy;
          blobs[id]!.tMin = Math.min(blobs[id]!.tMin, t);
          blobs[id]!.tMax = Math.max(blobs[id]!.tMax, t);
        }
        const rect = canvas.getBoundingClientRect();
        const css = rect.width / width;
        const page = (x: number, y: number) => ({ x: rect.left + x * css, y: rect.top + y * css });
        return blobs
          .map((b, id) => {
            const [cx, cy] = centre[id]!;
            const tc = cx * ux + cy * uy;
            const end = (t: number) => page(cx + (t - tc) * ux, cy + (t - tc) * uy);
            return { ...page(cx, cy), pixels: b.n, width: (b.x1 - b.x0) * css, height: (b.y1 - b.y0) * css, ...(direction ? { ends: [end(b.tMin), end(b.tMax)] as [{ x: number; y: number }, { x: number; y: number }] } : {}) };
          })
          .sort((a, b) => b.pixels - a.pixels);
      },
      { threshold, direction: direction ? [direction[0], direction[1]] : undefined },
    );
}

/**
 * Page coordinates where the plane's reference lines cross: the crosshairs
 * draw each line as SVG segments; the horizontal ones give y, the vertical x.
 */
export async function crosshairCentre(plane: Locator): Promise<{ x: number; y: number } | undefined> {
  const svg = plane.locator('svg').first();
  const box = await svg.boundingBox();
  if (!box) return undefined;
  const lines = await svg.locator('line').evaluateAll((elements) =>
    elements.map((e) => ['x1', 'y1', 'x2', 'y2'].map((a) => Number(e.getAttribute(a)))),
  );
  const horizontal = lines.filter(([x1, y1, x2, y2]) => Math.abs(y2! - y1!) < 0.5 && Math.abs(x2! - x1!) > 5);
  const vertical = lines.filter(([x1, y1, x2, y2]) => Math.abs(x2! - x1!) < 0.5 && Math.abs(y2! - y1!) > 5);
  if (horizontal.length === 0 || vertical.length === 0) return undefined;
  return { x: box.x + vertical[0]![0]!, y: box.y + horizontal[0]![1]! };
}
