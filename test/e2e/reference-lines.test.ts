/**
 * Reference lines: an axial and a coronal CT series of one frame of
 * reference side by side; the coronal pane draws the active axial slice as a
 * horizontal line at the image row of its table position, the line follows
 * the axial as it scrolls, Shift+R and the tool bar button hide and show it,
 * and the coronal slice is drawn on the axial when the coronal is active.
 * Screenshots (VIEWBOX_REFERENCE_LINES_SCREENSHOTS=DIR) at 1920×1080 and 2560×1440.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { ds, newUid } from '../fixtures/part10-writer.js';
import { viewportPane } from './harness/canvas.js';
import { drawnExtent, heightOf, widthOf, type Box } from './harness/image-extent.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

/** Both series: 64×64 pixels of 1 mm, centred on the table axis. */
const SIZE = 64;
const AXIAL_SLICES = 20;
/** Axial slice k lies at z = −k·AXIAL_STEP mm, i.e. on row k·AXIAL_STEP of the coronal (row r at z = −r). */
const AXIAL_STEP = 2;
const CORONAL_SLICES = 5;
/** Coronal slice k lies at y = CORONAL_Y0 + k·CORONAL_STEP mm, i.e. on row y + 32 of the axial (rows run posterior from y = −32). */
const CORONAL_Y0 = -10;
const CORONAL_STEP = 5;

type Vector = readonly [number, number, number];

/** One series, one call per slice so that each has its own position; all share the study and the frame of reference. */
function writeSeries(dir: string, ids: { study: string; frame: string }, spec: { number: number; label: string; row: Vector; column: Vector; positions: Vector[]; normalAxis: 1 | 2 }): void {
  mkdirSync(dir);
  const seriesUid = newUid();
  spec.positions.forEach((position, k) => {
    generateCtSeries({
      dir,
      count: 1,
      rows: SIZE,
      cols: SIZE,
      pixelSpacing: 1,
      studyUid: ids.study,
      seriesUid,
      seriesNumber: spec.number,
      patientName: 'Reference^Lines',
      patientId: 'VBX-REFLINES',
      fileName: () => `CT${k + 1}.dcm`,
      overrides: [
        { tag: 0x0008103e, vr: 'LO', value: spec.label },
        { tag: 0x00200013, vr: 'IS', value: String(k + 1) },
        { tag: 0x00200032, vr: 'DS', value: ds(...position) },
        { tag: 0x00200037, vr: 'DS', value: ds(...spec.row, ...spec.column) },
        { tag: 0x00200052, vr: 'UI', value: ids.frame },
        { tag: 0x00201041, vr: 'DS', value: ds(position[spec.normalAxis]) },
      ],
    });
  });
}

let room: ReadingRoom;
let studyUid: string;
const shots = process.env.VIEWBOX_REFERENCE_LINES_SCREENSHOTS;

beforeAll(async () => {
  room = await openReadingRoom();
  const ids = { study: newUid(), frame: newUid() };
  const dir = join(room.work, 'study');
  mkdirSync(dir);
  const half = SIZE / 2;
  writeSeries(join(dir, 'axial'), ids, {
    number: 1,
    label: 'Axial',
    row: [1, 0, 0],
    column: [0, 1, 0],
    positions: Array.from({ length: AXIAL_SLICES }, (_, k) => [-half, -half, -k * AXIAL_STEP] as const),
    normalAxis: 2,
  });
  writeSeries(join(dir, 'coronal'), ids, {
    number: 2,
    label: 'Coronal',
    row: [1, 0, 0],
    column: [0, 0, -1],
    positions: Array.from({ length: CORONAL_SLICES }, (_, k) => [-half, CORONAL_Y0 + k * CORONAL_STEP, 0] as const),
    normalAxis: 1,
  });
  await room.send(join(dir, 'axial'));
  await room.send(join(dir, 'coronal'));
  studyUid = ids.study;
});
afterAll(() => room?.close());

const seriesOf = (pane: Locator) => pane.locator('.overlay-series').innerText();
const lines = (pane: Locator) => pane.locator('svg line');

/** Page box of the one line drawn in the pane, or undefined when none is. */
async function lineBox(pane: Locator): Promise<Box | undefined> {
  const found = lines(pane);
  if ((await found.count()) !== 1) return undefined;
  return found.first().evaluate((line) => line.getBoundingClientRect().toJSON() as Box);
}

/** Page y of the middle of the one line drawn in the pane, or undefined when none is. */
async function lineY(pane: Locator): Promise<number | undefined> {
  const box = await lineBox(pane);
  return box && (box.top + box.bottom) / 2;
}

/** How far the line in `pane` is from image row `row` (page pixels); NaN without a line. */
async function offsetFromRow(pane: Locator, row: number): Promise<number> {
  return ((await lineY(pane)) ?? Number.NaN) - (await rowY(pane, row));
}

/** Screenshots at the two monitor sizes we check by eye, each once the line is redrawn for the size (the page is left at 1000×700). */
async function screenshots(name: string, pane: Locator, row: number): Promise<void> {
  if (!shots) return;
  for (const size of [
    { width: 1920, height: 1080 },
    { width: 2560, height: 1440 },
  ]) {
    await room.page.setViewportSize(size);
    await expect.poll(() => offsetFromRow(pane, row), { timeout: 10_000 }).toBeCloseTo(0, 0);
    await room.page.screenshot({ path: join(shots, `${name}-${size.width}x${size.height}.png`) });
  }
  await room.page.setViewportSize({ width: 1000, height: 700 });
}

/** Page y of the middle of image row `row` in the pane, from where its canvas draws the image (lung window: air is grey, the whole image counts). */
async function rowY(pane: Locator, row: number): Promise<number> {
  const image = (await drawnExtent(pane)).image!;
  return image.top + ((row + 0.5) * heightOf(image)) / SIZE;
}

describe('reference lines', () => {
  const axialPane = () => viewportPane(room.page, 0);
  const coronalPane = () => viewportPane(room.page, 1);

  it('draw the active axial slice on the coronal at the row of its position', async () => {
    const { page } = room;
    await openStudy(page, studyUid);
    await expect.poll(() => seriesOf(axialPane()), { timeout: 15_000 }).toBe('Se 1: Axial');
    await page.keyboard.press('l');
    await page.getByRole('button', { name: '1×2', exact: true }).click();
    await coronalPane().click();
    for (let i = 0; i < 2 && (await seriesOf(coronalPane()).catch(() => '')) !== 'Se 2: Coronal'; i++) await page.keyboard.press(']');
    await expect.poll(() => seriesOf(coronalPane()), { timeout: 15_000 }).toBe('Se 2: Coronal');
    await page.keyboard.press('4');
    await axialPane().click();
    await page.keyboard.press('4');
    await page.keyboard.press('Home');
    await expect.poll(() => axialPane().locator('.overlay-image').innerText()).toBe(`Im 1/${AXIAL_SLICES}`);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => axialPane().locator('.overlay-image').innerText()).toBe(`Im 6/${AXIAL_SLICES}`);
    const expected = await rowY(coronalPane(), 5 * AXIAL_STEP);
    await expect.poll(() => lineY(coronalPane()), { timeout: 10_000 }).toBeCloseTo(expected, 0);
    // The axial pane is the source: no line of its own slice on itself.
    expect(await lines(axialPane()).count()).toBe(0);
    await screenshots('reference-lines-axial-on-coronal', coronalPane(), 5 * AXIAL_STEP);
  });

  it('follow the axial as it scrolls', async () => {
    const { page } = room;
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => axialPane().locator('.overlay-image').innerText()).toBe(`Im 16/${AXIAL_SLICES}`);
    const expected = await rowY(coronalPane(), 15 * AXIAL_STEP);
    await expect.poll(() => lineY(coronalPane()), { timeout: 10_000 }).toBeCloseTo(expected, 0);
  });

  it('stay at the slice position, across the image, when the window is resized', async () => {
    await room.page.setViewportSize({ width: 1600, height: 1000 });
    await expect.poll(() => offsetFromRow(coronalPane(), 15 * AXIAL_STEP), { timeout: 10_000 }).toBeCloseTo(0, 0);
    // The axial spans the coronal's width: the line runs from the first pixel's centre to the last's.
    const image = (await drawnExtent(coronalPane())).image!;
    const line = (await lineBox(coronalPane()))!;
    const pixel = widthOf(image) / SIZE;
    expect(Math.abs(line.left - (image.left + pixel / 2))).toBeLessThan(pixel);
    expect(Math.abs(line.right - (image.right - pixel / 2))).toBeLessThan(pixel);
    await room.page.setViewportSize({ width: 1000, height: 700 });
  });

  it('hide with Shift+R and come back with the tool bar button', async () => {
    const { page } = room;
    const button = page.getByRole('button', { name: 'Ref lines', exact: true });
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Shift+R');
    await expect.poll(() => lines(coronalPane()).count()).toBe(0);
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    await button.click();
    await expect.poll(() => lineY(coronalPane()), { timeout: 10_000 }).toBeCloseTo(await rowY(coronalPane(), 15 * AXIAL_STEP), 0);
  });

  it('draw the coronal slice on the axial when the coronal is the active viewport', async () => {
    const { page } = room;
    await coronalPane().click();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => coronalPane().locator('.overlay-image').innerText()).toBe(`Im 2/${CORONAL_SLICES}`);
    // The viewer orders slices by position along the normal, highest first: image 2 is the last but one written.
    const expected = await rowY(axialPane(), CORONAL_Y0 + (CORONAL_SLICES - 2) * CORONAL_STEP + SIZE / 2);
    await expect.poll(() => lineY(axialPane()), { timeout: 10_000 }).toBeCloseTo(expected, 0);
    expect(await lines(coronalPane()).count()).toBe(0);
    await screenshots('reference-lines-coronal-on-axial', axialPane(), CORONAL_Y0 + (CORONAL_SLICES - 2) * CORONAL_STEP + SIZE / 2);
    expect(room.problems).toEqual([]);
  });
});
