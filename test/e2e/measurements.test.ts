/**
 * Measurements on a generated CT phantom (1 mm pixels) with markers burnt in
 * at known places: found on screen by their pixels, then measured with the
 * mouse as a user would. The length between markers 100 mm apart reads
 * 100.0 ± 0.5 mm; the probe reads the marker's HU; an ROI gives its statistics.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { burnMarkers } from './fixtures/markers.js';
import { brightSpots, drag, measurementTexts } from './harness/canvas.js';
import { openReadingRoom, type ReadingRoom } from './harness/reading-room.js';

const SIZE = 128;
const CR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.1';
let room: ReadingRoom;

beforeAll(async () => {
  room = await openReadingRoom();
  const dir = join(room.work, 'phantom');
  mkdirSync(dir);
  const series = generateCtSeries({ dir, count: 1, rows: SIZE, cols: SIZE, pixelSpacing: 1, patientName: 'Phantom^Ruler' });
  // In the air above the body (rows 26-102 are the body): nothing bright beside them.
  burnMarkers(series.files[0]!.path, SIZE, SIZE, [{ x: 14, y: 10 }, { x: 114, y: 10 }], 2000);
  burnMarkers(series.files[0]!.path, SIZE, SIZE, [{ x: 64, y: 120 }], 1500);
  await room.send(dir);
  await room.page.goto(`${room.node.url}view/${series.studyUid}`);
  await room.page.locator('.overlay-image').waitFor();
});
afterAll(() => room?.close());

const numberIn = (text: string | undefined, unit: string) => Number(new RegExp(`(-?\\d+(?:\\.\\d+)?) ?${unit}`).exec(text ?? '')?.[1]);

describe('measurements', () => {
  it('shows the three markers as the only white in a bone window', async () => {
    // The 700 HU ring is grey in W 1500 L 300; the markers (1500 and 2000 HU) are white.
    await room.page.keyboard.press('8');
    await expect.poll(() => brightSpots(room.page, 0).then((s) => s.length)).toBe(3);
  });

  it('draws a scale bar true to the image, and keeps it true when zoomed', async () => {
    const { page } = room;
    const pane = page.locator('.viewport[data-viewport-index="0"]');
    const bar = pane.locator('.scale-bar');
    const [left, , right] = await brightSpots(page, 0);
    const markerPixelsPerMm = Math.hypot(right!.x - left!.x, right!.y - left!.y) / 100;
    // The bar runs across under the image or upright beside it (docs/reading-room.md): its length is the longer side.
    const barPixelsPerMm = async () => {
      const { width, height } = (await bar.boundingBox())!;
      return (Math.max(width, height) - 1) / Number(await bar.getAttribute('data-mm'));
    };
    const zoom = async () => numberIn((await pane.locator('.overlay-zoom').textContent()) ?? '', '×');
    expect(await bar.textContent()).toMatch(/^\d+ (mm|cm)$/);
    expect(Math.abs((await barPixelsPerMm()) / markerPixelsPerMm - 1)).toBeLessThan(0.03);
    const [before, zoomBefore] = [await bar.textContent(), await zoom()];
    // Zoom in with a right drag: the bar stands for a shorter length, at the new scale.
    const box = (await pane.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 120, { steps: 6 });
    await page.mouse.up({ button: 'right' });
    try {
      await expect.poll(() => bar.textContent()).not.toBe(before);
      const scale = (await zoom()) / zoomBefore;
      expect(scale).toBeGreaterThan(1.2);
      expect(Math.abs((await barPixelsPerMm()) / (markerPixelsPerMm * scale) - 1)).toBeLessThan(0.03);
    } finally {
      await page.keyboard.press('f');
    }
    await expect.poll(() => bar.textContent()).toBe(before);
  });

  it('reads 100.0 ± 0.5 mm between markers 100 mm apart', async () => {
    const { page } = room;
    const [left, bottom, right] = await brightSpots(page, 0);
    expect(bottom!.y).toBeGreaterThan(left!.y);
    await page.keyboard.press('d');
    await drag(page, left!, right!);
    await expect.poll(() => measurementTexts(page, 0)).toHaveLength(1);
    const [text] = await measurementTexts(page, 0);
    expect(text).toMatch(/^\d+(\.\d)? mm$/);
    expect(Math.abs(numberIn(text, 'mm') - 100)).toBeLessThanOrEqual(0.5);
  });

  it('probes the HU under the pointer', async () => {
    const { page } = room;
    const [, bottom] = await brightSpots(page, 0);
    await page.keyboard.press('x');
    await page.mouse.click(bottom!.x, bottom!.y);
    await expect.poll(async () => (await measurementTexts(page, 0)).some((t) => t.includes('HU'))).toBe(true);
    const probe = (await measurementTexts(page, 0)).find((t) => t.includes('HU'));
    expect(numberIn(probe, 'HU')).toBe(1500);
  });

  it('gives an elliptical ROI its area in mm² and its statistics in HU', async () => {
    const { page } = room;
    const [left, , right] = await brightSpots(page, 0);
    const pxPerMm = (right!.x - left!.x) / 100;
    // Centred in the water, 20 mm by 10 mm radii (the tool drags from the centre to a corner).
    const centre = { x: (left!.x + right!.x) / 2, y: left!.y + 54 * pxPerMm };
    await page.keyboard.press('e');
    await drag(page, centre, { x: centre.x + 20 * pxPerMm, y: centre.y + 10 * pxPerMm });
    await expect.poll(async () => (await measurementTexts(page, 0)).some((t) => t.includes('mm²'))).toBe(true);
    const roi = (await measurementTexts(page, 0)).find((t) => t.includes('mm²'))!;
    expect(Math.abs(numberIn(roi, 'mm²') - Math.PI * 20 * 10) / (Math.PI * 20 * 10)).toBeLessThan(0.05);
    // Water with a ±40 HU gradient across the body and ±8 HU noise.
    expect(Math.abs(numberIn(roi.slice(roi.indexOf('Mean')), 'HU'))).toBeLessThan(20);
  });

  it('deletes the selected measurement', async () => {
    const { page } = room;
    const before = (await measurementTexts(page, 0)).length;
    const [left, , right] = await brightSpots(page, 0);
    // Select the length by its line, between the markers.
    await page.keyboard.press('w');
    await page.mouse.click((left!.x + right!.x) / 2, left!.y);
    // Cornerstone acts on a click only once no second click can make it a double click (400 ms).
    await page.waitForTimeout(500);
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await measurementTexts(page, 0)).some((t) => t.endsWith(' mm'))).toBe(false);
    expect((await measurementTexts(page, 0)).length).toBe(before - 1);
  });

  it('keeps the measurements of the study when it is closed and opened again, and after a reload', async () => {
    const { page } = room;
    const kept = (await measurementTexts(page, 0)).sort();
    expect(kept.length).toBeGreaterThan(0);
    const viewerPath = new URL(page.url()).pathname;
    await page.keyboard.press('Escape');
    await page.locator('tr.study-row').first().dblclick();
    await expect.poll(() => new URL(page.url()).pathname).toBe(viewerPath);
    await expect.poll(async () => (await measurementTexts(page, 0)).sort()).toEqual(kept);
    await page.reload();
    await expect.poll(async () => (await measurementTexts(page, 0)).sort(), { timeout: 10_000 }).toEqual(kept);
    // The node keeps them: another browser profile (no shared storage) shows them too.
    const studyUid = viewerPath.split('/').pop()!;
    const stored = await fetch(new URL(`/api/studies/${studyUid}/measurements`, room.node.url), { headers: { authorization: `Bearer ${room.node.token}` } });
    expect(((await stored.json()) as unknown[]).length).toBe(kept.length);
    const other = await room.browser.newContext({ viewport: { width: 1000, height: 700 }, extraHTTPHeaders: { authorization: `Bearer ${room.node.token}` } });
    try {
      const otherPage = await other.newPage();
      await otherPage.goto(`${room.node.url}view/${studyUid}`);
      await expect.poll(async () => (await measurementTexts(otherPage, 0)).sort(), { timeout: 15_000 }).toEqual(kept);
    } finally {
      await other.close();
    }
  });

  it('says a length on a projection image with only Imager Pixel Spacing is at the detector plane', async () => {
    const { page } = room;
    const dir = join(room.work, 'radiograph');
    mkdirSync(dir);
    const overrides = [
      { tag: 0x00080060, vr: 'CS', value: 'CR' },
      { tag: 0x00280030, vr: 'DS', value: '' },
      { tag: 0x00181164, vr: 'DS', value: '0.5\\0.5' },
    ];
    const radiograph = generateCtSeries({ dir, count: 1, rows: 64, cols: 64, sopClassUid: CR_IMAGE_STORAGE, patientName: 'Phantom^Radiograph', overrides });
    // 40 pixels of 0.5 mm apart, in the air above the body.
    burnMarkers(radiograph.files[0]!.path, 64, 64, [{ x: 12, y: 4 }, { x: 52, y: 4 }], 2000);
    await room.send(dir);
    await page.goto(`${room.node.url}view/${radiograph.studyUid}`);
    await page.locator('.overlay-image').waitFor();
    await page.keyboard.press('8');
    await expect.poll(() => brightSpots(page, 0).then((s) => s.length)).toBe(2);
    const [left, right] = await brightSpots(page, 0);
    await page.keyboard.press('d');
    await drag(page, left!, right!);
    await expect.poll(() => measurementTexts(page, 0)).toHaveLength(1);
    const [text] = await measurementTexts(page, 0);
    expect(text).toMatch(/^\d+(\.\d+)? mm \(at detector plane\)$/);
    expect(Math.abs(numberIn(text, 'mm') - 20)).toBeLessThanOrEqual(0.5);
    expect(room.problems).toEqual([]);
  });
});
