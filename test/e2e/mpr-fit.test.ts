/**
 * MPR planes and the 3D view fit the volume in their pane, read from the
 * canvas pixels of the ch2 T1 brain MR (181×217×181, 1 mm): the whole head
 * is drawn inside the sagittal and coronal planes with a margin (face, vertex
 * and neck not cut off), again after the window changes size; the 3D render
 * keeps off the pane's edges and from under the preset buttons.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeVolumeFixture, type FixtureSummary } from '../fixtures/volumes/volume-fixtures.js';
import { viewportPane } from './harness/canvas.js';
import { drawnExtent, heightOf, intersects, widthOf, type Box, type DrawnExtent } from './harness/image-extent.js';
import { openStudyAs } from './harness/open-as.js';
import { openReadingRoom, type ReadingRoom } from './harness/reading-room.js';
import { screenshotsAtBothSizes } from './harness/screenshots.js';

let room: ReadingRoom;
let brain: FixtureSummary;

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 1000, height: 700 } });
  brain = await writeVolumeFixture('ch2-t1-brain', room.work);
  await room.send(brain.dir);
});
afterAll(() => room?.close());

const screenshots = (name: string) => screenshotsAtBothSizes(room.page, process.env.VIEWBOX_MPR_FIT_SCREENSHOTS, `mpr-fit-${name}`);
const cell = (page: Page) => viewportPane(page, 0);
const plane = (page: Page, name: string): Locator => cell(page).locator(`.mpr-plane-${name}`);

/** Share of the canvas's side kept free around the drawn head. */
const MARGIN = 0.01;

/** How the drawn anatomy sits in its canvas: 'inside' or what is wrong, with the figures. */
function placement({ canvas, image }: DrawnExtent): string {
  if (!image) return 'nothing drawn';
  const dx = MARGIN * widthOf(canvas);
  const dy = MARGIN * heightOf(canvas);
  const gaps = { left: image.left - canvas.left, top: image.top - canvas.top, right: canvas.right - image.right, bottom: canvas.bottom - image.bottom };
  const cut = Object.entries(gaps).filter(([side, gap]) => gap < (side === 'left' || side === 'right' ? dx : dy));
  if (cut.length === 0) return 'inside';
  return `touches ${cut.map(([side, gap]) => `${side} (${Math.round(gap)} px free)`).join(', ')} of ${Math.round(widthOf(canvas))}×${Math.round(heightOf(canvas))}`;
}

async function settledPlacement(locator: Locator, threshold?: number): Promise<string> {
  let last = '';
  await expect
    .poll(
      async () => {
        last = placement(await drawnExtent(locator, threshold));
        return last;
      },
      { timeout: 10_000 },
    )
    .toBe('inside')
    .catch(() => undefined);
  return last;
}

describe('MPR and 3D fit the volume', () => {
  it('draws the whole head inside the sagittal and coronal planes, and again after a resize', async () => {
    const { page } = room;
    await openStudyAs(page, brain.studyUid!, 'Shift+M');
    await expect.poll(() => cell(page).getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    await expect.poll(() => plane(page, 'axial').locator('.mpr-loading').count(), { timeout: 30_000 }).toBe(0);
    for (const name of ['sagittal', 'coronal']) expect(await settledPlacement(plane(page, name)), name).toBe('inside');

    const before = await drawnExtent(plane(page, 'sagittal'));
    await page.setViewportSize({ width: 1600, height: 1000 });
    await expect.poll(async () => heightOf((await drawnExtent(plane(page, 'sagittal'))).canvas)).toBeGreaterThan(heightOf(before.canvas) + 100);
    for (const name of ['sagittal', 'coronal']) expect(await settledPlacement(plane(page, name)), `${name} after the resize`).toBe('inside');
    // Refitted, not merely kept: the head grew with its plane.
    const after = await drawnExtent(plane(page, 'sagittal'));
    expect(heightOf(after.image!)).toBeGreaterThan(heightOf(before.image!) * 1.2);
    await screenshots('ch2-mpr');
  });

  it("keeps the reader's zoom through a resize", async () => {
    const { page } = room;
    const box = (await plane(page, 'sagittal').boundingBox())!;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    // The right button zooms: dragged down, in.
    await page.mouse.move(x, y);
    await page.mouse.down({ button: 'right' });
    for (let step = 1; step <= 8; step++) await page.mouse.move(x, y + step * 20);
    await page.mouse.up({ button: 'right' });
    await expect.poll(async () => placement(await drawnExtent(plane(page, 'sagittal')))).toMatch(/^touches/);
    await page.setViewportSize({ width: 1000, height: 700 });
    await expect.poll(async () => heightOf((await drawnExtent(plane(page, 'sagittal'))).canvas)).toBeLessThan(400);
    // Given time to refit, the zoomed head is still cut by the plane's edges.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(placement(await drawnExtent(plane(page, 'sagittal')))).toMatch(/^touches/);
  });

  it('keeps the 3D head inside the pane and clear of the preset buttons', { timeout: 180_000 }, async () => {
    const { page } = room;
    await openStudyAs(page, brain.studyUid!, 'Shift+V');
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('viewbox:vr-first-frame').length), { timeout: 120_000 }).toBeGreaterThan(0);
    const pane = cell(page).locator('.vr-pane');
    expect(await settledPlacement(pane, 8)).toBe('inside');
    const toolbar = (await cell(page).locator('.vr-toolbar').boundingBox())!;
    const buttons: Box = { left: toolbar.x, top: toolbar.y, right: toolbar.x + toolbar.width, bottom: toolbar.y + toolbar.height };
    const { image } = await drawnExtent(pane, 8);
    expect(intersects(image!, buttons), `head ${JSON.stringify(image)} under the buttons ${JSON.stringify(buttons)}`).toBe(false);
    await screenshots('ch2-3d');
  });
});
