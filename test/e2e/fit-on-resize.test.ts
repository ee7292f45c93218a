/**
 * An image is fitted again whenever its viewport changes size (the protocol
 * editor opened beside it, another layout, the window resized), read from the canvas pixels:
 * the square CT fills the pane's shorter side and nothing of it is cut off.
 * A zoom the reader chose (1:1) is kept through a resize.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { viewportPane } from './harness/canvas.js';
import { drawnExtent, heightOf, widthOf, type DrawnExtent } from './harness/image-extent.js';
import { openReadingRoom, type ReadingRoom } from './harness/reading-room.js';

const SIZE = 128;
/** Edge pixels of a linearly interpolated image fade into the black: a few pixels of slack. */
const SLACK = 4;
let room: ReadingRoom;

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 1200, height: 700 } });
  const dir = join(room.work, 'ct');
  mkdirSync(dir);
  const series = generateCtSeries({ dir, count: 3, rows: SIZE, cols: SIZE, patientName: 'Phantom^Fit' });
  await room.send(dir);
  await room.page.goto(`${room.node.url}view/${series.studyUid}`);
  await viewportPane(room.page, 0).locator('.overlay-image').waitFor({ timeout: 15_000 });
  await viewportPane(room.page, 0).click();
});
afterAll(() => room?.close());

const extent = () => drawnExtent(viewportPane(room.page, 0));

/** What a fitted square image looks like: as large as the canvas's shorter side, all of it inside. */
function fitted({ canvas, image }: DrawnExtent): string {
  if (!image) return 'nothing drawn';
  const side = Math.min(widthOf(canvas), heightOf(canvas));
  const size = `${Math.round(widthOf(image))}×${Math.round(heightOf(image))} in ${Math.round(widthOf(canvas))}×${Math.round(heightOf(canvas))}`;
  return Math.abs(widthOf(image) - side) <= SLACK && Math.abs(heightOf(image) - side) <= SLACK ? 'fitted' : size;
}

/** Waits until the pane is drawn at its new size, then says whether it is fitted. */
async function settledFit(): Promise<string> {
  let last = '';
  await expect
    .poll(
      async () => {
        last = fitted(await extent());
        return last;
      },
      { timeout: 5_000 },
    )
    .toBe('fitted')
    .catch(() => undefined);
  return last;
}

describe('fit on every size change', () => {
  it('opens fitted', async () => {
    // Lung window: air is grey, so the whole square image shows against the black around it.
    await room.page.keyboard.press('4');
    await expect.poll(() => viewportPane(room.page, 0).locator('.overlay-window').innerText()).toBe('W 1500 L -600');
    expect(await settledFit()).toBe('fitted');
  });

  it('refits when the protocol editor opens beside the image, and when it closes', async () => {
    const before = await extent();
    await room.page.keyboard.press('Shift+E');
    await room.page.getByRole('complementary', { name: 'Hanging protocol editor' }).waitFor();
    await expect.poll(async () => widthOf((await extent()).canvas)).toBeLessThan(widthOf(before.canvas) - 50);
    expect(await settledFit()).toBe('fitted');
    await room.page.keyboard.press('Shift+E');
    await expect.poll(async () => widthOf((await extent()).canvas)).toBe(widthOf(before.canvas));
    expect(await settledFit()).toBe('fitted');
  });

  it('refits when the layout changes', async () => {
    const { page } = room;
    for (const layout of ['1×2', '2×1', '1×1']) {
      const before = await extent();
      await page.keyboard.press('l');
      await page.getByRole('button', { name: layout, exact: true }).click();
      await expect.poll(async () => (await extent()).canvas).not.toEqual(before.canvas);
      expect(await settledFit(), layout).toBe('fitted');
    }
  });

  it('refits when the window is resized', async () => {
    await room.page.setViewportSize({ width: 1600, height: 1000 });
    expect(await settledFit()).toBe('fitted');
    await room.page.setViewportSize({ width: 900, height: 1000 });
    expect(await settledFit()).toBe('fitted');
  });

  it("keeps the reader's zoom through a resize", async () => {
    await room.page.keyboard.press('n');
    await expect.poll(async () => Math.round(widthOf((await extent()).image!))).toBe(SIZE);
    await room.page.setViewportSize({ width: 1200, height: 700 });
    await room.page.waitForTimeout(500);
    expect(Math.round(widthOf((await extent()).image!))).toBe(SIZE);
    await room.page.keyboard.press('f');
    expect(await settledFit()).toBe('fitted');
    expect(room.problems).toEqual([]);
  });
});
