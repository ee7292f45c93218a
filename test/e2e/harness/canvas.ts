/** Reading what a viewport shows: its canvas pixels, where bright things are, the measurement texts. */
import type { Locator, Page } from 'playwright-core';

/** The part of a DOM canvas the tests read (the test project compiles without the DOM library). */
export interface CanvasLike {
  width: number;
  height: number;
  getContext(type: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } } | null;
  getBoundingClientRect(): { left: number; top: number; width: number };
}

export const viewportPane = (page: Page, index: number): Locator => page.locator(`.viewport[data-viewport-index="${index}"]`);

/**
 * Page coordinates of the centroids of the bright spots (red channel above
 * `threshold`) on a viewport's canvas, left to right: markers as the user
 * sees them. Pixels within 40 canvas pixels of a spot belong to it.
 */
export async function brightSpots(page: Page, index: number, threshold = 240): Promise<Array<{ x: number; y: number }>> {
  return brightSpotsIn(viewportPane(page, index), threshold);
}

/** brightSpots on the first canvas inside `container` (e.g. one plane of an MPR viewport). */
export async function brightSpotsIn(container: Locator, threshold = 240): Promise<Array<{ x: number; y: number }>> {
  return container
    .locator('canvas')
    .first()
    .evaluate((canvas: CanvasLike, threshold) => {
      const { width, height } = canvas;
      const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      const spots: Array<{ sx: number; sy: number; n: number }> = [];
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (data[(y * width + x) * 4]! <= threshold) continue;
          const near = spots.find((s) => Math.hypot(s.sx / s.n - x, s.sy / s.n - y) < 40);
          if (near) {
            near.sx += x + 0.5;
            near.sy += y + 0.5;
            near.n++;
          } else spots.push({ sx: x + 0.5, sy: y + 0.5, n: 1 });
        }
      }
      const rect = canvas.getBoundingClientRect();
      const css = rect.width / width;
      return spots.map((s) => ({ x: rect.left + (s.sx / s.n) * css, y: rect.top + (s.sy / s.n) * css })).sort((a, b) => a.x - b.x);
    }, threshold);
}

/** The texts Cornerstone draws next to measurements (SVG), in drawing order. */
export function measurementTexts(page: Page, index: number): Promise<string[]> {
  return measurementTextsIn(viewportPane(page, index));
}

/** measurementTexts inside `container` (e.g. one plane of an MPR viewport). */
export function measurementTextsIn(container: Locator): Promise<string[]> {
  return container
    .locator('svg text')
    .evaluateAll((texts) => texts.map((t) => t.textContent ?? '').filter((t) => t.trim() !== ''));
}

/** A left-button drag as a hand makes it: small steps, one per frame, so every move is seen. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 8): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
    await page.waitForTimeout(20);
  }
  await page.mouse.up();
  // Cornerstone recomputes a measurement's statistics at most every 100 ms (the last call trails).
  await page.waitForTimeout(250);
}
