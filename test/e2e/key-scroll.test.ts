/**
 * Scrolling with a held arrow key, as a reader goes through a series: every
 * slice is drawn on the way (none skipped, however slowly software WebGL
 * draws here), and the stack stops when the key is released instead of
 * running on through queued key repeats. Every image drawn is recorded in the
 * page (test/e2e/harness/paint-probe.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { viewportPane } from './harness/canvas.js';
import { holdArrowDown, installPaintProbe, paintRecords, resetPaintProbe, skippedIndices } from './harness/paint-probe.js';
import { openReadingRoom, type ReadingRoom } from './harness/reading-room.js';

const IMAGES = 40;
/** Key repeats per second: faster than this machine draws, as a fast keyboard's are. */
const RATE = 60;
let room: ReadingRoom;

beforeAll(async () => {
  room = await openReadingRoom();
  const dir = join(room.work, 'ct');
  mkdirSync(dir);
  const series = generateCtSeries({ dir, count: IMAGES, rows: 128, cols: 128, patientName: 'Phantom^Scroll' });
  await room.send(dir);
  await room.page.goto(`${room.node.url}view/${series.studyUid}`);
  await viewportPane(room.page, 0).locator('.overlay-image').getByText(`Im 1/${IMAGES}`).waitFor({ timeout: 15_000 });
  await installPaintProbe(room.page);
  await viewportPane(room.page, 0).click();
});
afterAll(() => room?.close());

const lastDrawn = async () => (await paintRecords(room.page)).renders.at(-1)?.index ?? 0;

describe('scrolling with a held arrow key', () => {
  it('draws every slice to the last one', async () => {
    const { renders } = await holdArrowDown(room.page, IMAGES - 1, RATE, 10_000);
    expect(renders.at(-1)?.index).toBe(IMAGES - 1);
    // The first image was on screen before the key went down.
    expect(skippedIndices([{ t: 0, index: 0 }, ...renders])).toEqual([]);
    await expect.poll(() => viewportPane(room.page, 0).locator('.overlay-image').innerText()).toBe(`Im ${IMAGES}/${IMAGES}`);
  });

  it('stops when the key is released', async () => {
    const { page } = room;
    await page.keyboard.press('Home');
    await expect.poll(() => viewportPane(page, 0).locator('.overlay-image').innerText()).toBe(`Im 1/${IMAGES}`);
    await resetPaintProbe(page);
    // A quarter of a second of key repeats: more events than this machine draws images in that time.
    const sent: Array<Promise<void>> = [];
    for (let i = 0; i < RATE / 4; i++) {
      sent.push(page.keyboard.down('ArrowDown'));
      await page.waitForTimeout(1000 / RATE);
    }
    await Promise.all(sent);
    await page.keyboard.up('ArrowDown');
    const atRelease = await lastDrawn();
    await page.waitForTimeout(1000);
    const settled = await lastDrawn();
    // At most the step under way and one more, not the backlog of repeats.
    expect(settled - atRelease).toBeLessThanOrEqual(2);
    expect(settled).toBeLessThan(RATE / 4);
    const { renders } = await paintRecords(page);
    expect(skippedIndices([{ t: 0, index: 0 }, ...renders])).toEqual([]);
    expect(room.problems).toEqual([]);
  });
});
