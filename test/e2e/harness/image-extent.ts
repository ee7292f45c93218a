/**
 * Where the image is drawn in a viewport, read from its canvas pixels: the
 * box of everything brighter than the black around the image (show air grey,
 * e.g. with a lung window, so the whole image counts). Page coordinates, CSS pixels.
 */
import type { Locator } from 'playwright-core';
import type { CanvasLike } from './canvas.js';

type SizedCanvas = Omit<CanvasLike, 'getBoundingClientRect'> & { getBoundingClientRect(): { left: number; top: number; width: number; height: number } };

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface DrawnExtent {
  /** The canvas on the page. */
  canvas: Box;
  /** The drawn image (pixels with red above the threshold); undefined when the canvas is black. */
  image: Box | undefined;
}

export function drawnExtent(pane: Locator, threshold = 16): Promise<DrawnExtent> {
  return pane
    .locator('canvas')
    .first()
    .evaluate((canvas: SizedCanvas, threshold) => {
      const { width, height } = canvas;
      const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      let [left, top, right, bottom] = [width, height, -1, -1];
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (data[(y * width + x) * 4]! <= threshold) continue;
          left = Math.min(left, x);
          right = Math.max(right, x + 1);
          top = Math.min(top, y);
          bottom = Math.max(bottom, y + 1);
        }
      }
      const rect = canvas.getBoundingClientRect();
      const css = rect.width / width;
      const box = { left: rect.left, top: rect.top, right: rect.left + rect.width, bottom: rect.top + rect.height };
      if (right < 0) return { canvas: box, image: undefined };
      return { canvas: box, image: { left: rect.left + left * css, top: rect.top + top * css, right: rect.left + right * css, bottom: rect.top + bottom * css } };
    }, threshold);
}

export function intersects(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

export const widthOf = (box: Box) => box.right - box.left;
export const heightOf = (box: Box) => box.bottom - box.top;
