/**
 * Scrolling by arrow keys, as a reader goes through a series: every key event
 * moves exactly one image, pressed fast or held (a held key may leave slices
 * undrawn when this machine draws slower than the repeats come, never a step),
 * and the stack stops where the last repeat put it when the key is released.
 * Every image drawn and every ArrowDown event is recorded in the page
 * (test/e2e/harness/paint-probe.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { viewportPane } from './harness/canvas.js';
import { holdArrowDown, installPaintProbe, paintRecords, resetPaintProbe } from './harness/paint-probe.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

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
  it('moves one image per key repeat, to the last one', async () => {
    const { renders, keys } = await holdArrowDown(room.page, IMAGES - 1, RATE, 10_000);
    expect(renders.at(-1)?.index).toBe(IMAGES - 1);
    expect(keys.length).toBeGreaterThanOrEqual(IMAGES - 1);
    await expect.poll(() => viewportPane(room.page, 0).locator('.overlay-image').innerText()).toBe(`Im ${IMAGES}/${IMAGES}`);
  });

  it('stops where the last repeat put it when the key is released', async () => {
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
    const { keys } = await paintRecords(page);
    await expect.poll(lastDrawn).toBe(keys.length);
    await page.waitForTimeout(1000);
    expect(await lastDrawn()).toBe(keys.length);
    expect(await viewportPane(page, 0).locator('.overlay-image').innerText()).toBe(`Im ${keys.length + 1}/${IMAGES}`);
    expect(room.problems).toEqual([]);
  });
});

describe('pressing an arrow key', () => {
  const shown = () => viewportPane(room.page, 0).locator('.overlay-image').innerText();
  const PRESSES = 20;

  // Full-size CT slices: each takes this machine longer to draw than the presses come.
  beforeAll(async () => {
    const dir = join(room.work, 'ct-512');
    mkdirSync(dir);
    const series = generateCtSeries({ dir, count: IMAGES, rows: 512, cols: 512, patientName: 'Phantom^Presses' });
    await room.send(dir);
    await openStudy(room.page, series.studyUid);
    await viewportPane(room.page, 0).locator('.overlay-patient-name').getByText('Phantom').waitFor({ timeout: 15_000 });
    await viewportPane(room.page, 0).click();
  });

  it('moves exactly one image per press, pressed as fast as the keyboard sends them', async () => {
    const { page } = room;
    await page.keyboard.press('Home');
    await expect.poll(shown).toBe(`Im 1/${IMAGES}`);
    for (let i = 0; i < PRESSES; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(shown).toBe(`Im ${PRESSES + 1}/${IMAGES}`);
    await page.waitForTimeout(500);
    expect(await shown()).toBe(`Im ${PRESSES + 1}/${IMAGES}`);
  });

  it('moves exactly one image per press at one press every 60 ms, both ways', async () => {
    const { page } = room;
    await page.keyboard.press('Home');
    await expect.poll(shown).toBe(`Im 1/${IMAGES}`);
    for (const key of ['ArrowDown', 'ArrowUp'] as const) {
      for (let i = 0; i < PRESSES; i++) {
        await page.keyboard.press(key);
        await page.waitForTimeout(60);
      }
      await expect.poll(shown).toBe(`Im ${key === 'ArrowDown' ? PRESSES + 1 : 1}/${IMAGES}`);
    }
    expect(room.problems).toEqual([]);
  });
});
