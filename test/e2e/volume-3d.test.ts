/**
 * Volume rendering in Chromium. SwiftShader casts every ray on the CPU
 * (seconds per frame), so one small phantom and few frames: a bright sphere
 * in a water box, left of the patient's midline, shows on the right of the
 * 3D pane (seen from the front) with the CT bone preset; the Angio/MIP
 * preset draws it as the brightest voxel along each ray; the
 * transfer-function editor shows the volume's histogram, and lowering an
 * opacity point dims the sphere; the clipping box can be switched on.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drag, viewportPane, type CanvasLike } from './harness/canvas.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';
import { waterBox, writeVolumePhantom, type Vec3, type VolumePhantom } from './mpr/volume-phantom.js';

let room: ReadingRoom;
let study: VolumePhantom;
/** Left of the midline (+x), in a 40 mm water box. */
const SPHERE = { centre: [8, 0, -30] as Vec3, radius: 8 };
const FRAME_TIMEOUT = { timeout: 90_000, interval: 500 };
/**
 * The sphere is ~5 % of the volume's front face, and the fitted camera keeps the
 * preset buttons' height free above and below the volume (on this small page they
 * wrap to several rows): the sphere's share of the canvas is ~0.6 %, nothing ~0.
 */
const SPHERE_SHOWN = 0.004;

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 720, height: 540 } });
  const water = waterBox([20, 20, 24], [-0.5, -0.5, -31]);
  study = writeVolumePhantom({
    dir: join(room.work, 'sphere'),
    rowDirection: [1, 0, 0],
    columnDirection: [0, 1, 0],
    origin: [-32, -32, 0],
    sliceStep: [0, 0, -2],
    slices: 32,
    rows: 64,
    columns: 64,
    pixelSpacing: 1,
    patientName: 'Phantom^Render',
    hu: (p) => (Math.hypot(p[0] - SPHERE.centre[0], p[1] - SPHERE.centre[1], p[2] - SPHERE.centre[2]) <= SPHERE.radius ? 1500 : water(p)),
  });
  await room.send(study.dir);
});
afterAll(() => room?.close());

const cell = (page: Page) => viewportPane(page, 0);

/** The bright part of the 3D canvas (mean of R, G, B above `threshold`): its share of the canvas, centroid (0..1 of the width) and mean. */
function bright(page: Page, threshold = 120): Promise<{ share: number; x: number; mean: number }> {
  return cell(page)
    .locator('.vr-pane canvas')
    .first()
    .evaluate((canvas: CanvasLike, threshold) => {
      const { width, height } = canvas;
      const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      let n = 0;
      let sx = 0;
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) {
        const v = (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
        if (v <= threshold) continue;
        n++;
        sx += (i / 4) % width;
        sum += v;
      }
      return { share: n / (width * height), x: n ? sx / n / width : 0, mean: n ? sum / n : 0 };
    }, threshold);
}

/** Frames drawn by the 3D view since the page started counting (a listener on its element). */
const frames = (page: Page) => page.evaluate(() => (globalThis as unknown as { vrFrames?: number }).vrFrames ?? 0);

describe('3D', () => {
  it('renders the volume seen from the front with the CT bone preset', { timeout: 120_000 }, async () => {
    const { page } = room;
    await openStudy(page, study.studyUid);
    await cell(page).locator('canvas').first().waitFor();
    await cell(page).click();
    await page.keyboard.press('Shift+V');
    await expect.poll(() => cell(page).getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('viewbox:vr-first-frame').length), FRAME_TIMEOUT).toBe(1);
    await page.evaluate(() => {
      const w = globalThis as unknown as { vrFrames: number; document: { querySelector(s: string): { addEventListener(n: string, f: () => void): void } } };
      w.vrFrames = 0;
      w.document.querySelector('.vr-pane .viewport-element')!.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => w.vrFrames++);
    });
    await expect.poll(() => cell(page).locator('.vr-loading').count(), FRAME_TIMEOUT).toBe(0);
    const shown = await bright(page);
    expect(shown.share).toBeGreaterThan(SPHERE_SHOWN);
    // The patient's left is on the viewer's right when the patient faces the viewer.
    expect(shown.x).toBeGreaterThan(0.52);
    expect(room.problems).toEqual([]);
  });

  it('draws the Angio/MIP preset as the brightest voxel along each ray', { timeout: 120_000 }, async () => {
    const { page } = room;
    const before = await bright(page);
    const drawn = await frames(page);
    await cell(page).locator('[data-preset="angio-mip"]').click();
    await expect.poll(() => frames(page), FRAME_TIMEOUT).toBeGreaterThan(drawn);
    // Water is grey in this preset; only the sphere (the highest values) is near white.
    const mip = await bright(page, 200);
    expect(mip.share).toBeGreaterThan(SPHERE_SHOWN);
    expect(mip.x).toBeGreaterThan(0.52);
    expect((await bright(page)).share).toBeGreaterThan(before.share);
  });

  it('edits opacity over the histogram in the transfer-function editor', { timeout: 120_000 }, async () => {
    const { page } = room;
    await cell(page).locator('[data-preset="ct-bone"]').click();
    await cell(page).locator('[data-action="transfer-function"]').click();
    const editor = cell(page).locator('.tf-editor');
    await expect.poll(() => editor.locator('.tf-histogram').count()).toBeGreaterThan(2);
    // CT bone: four opacity points; the sphere (1500 HU) lies on the ramp between the 641 and 3071 HU points.
    const points = editor.locator('.tf-point');
    expect(await points.count()).toBe(4);
    await expect.poll(() => frames(page).then(() => bright(page)).then((b) => b.share), FRAME_TIMEOUT).toBeGreaterThan(SPHERE_SHOWN);
    const before = await bright(page);
    const drawn = await frames(page);
    // The 641 HU point down to no opacity: the ramp now starts there, and the sphere is fainter.
    const box = (await points.nth(2).boundingBox())!;
    const area = (await editor.locator('.tf-area').boundingBox())!;
    await drag(page, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, { x: box.x + box.width / 2, y: area.y + area.height - 2 }, 2);
    expect(Number(await points.nth(2).getAttribute('data-value'))).toBeCloseTo(641.385, 0);
    await expect.poll(() => frames(page), FRAME_TIMEOUT).toBeGreaterThan(drawn);
    await expect.poll(async () => (await bright(page)).share, FRAME_TIMEOUT).toBeLessThan(before.share);
  });

  it('switches the clipping box on and draws again, without an error', { timeout: 120_000 }, async () => {
    const { page } = room;
    const drawn = await frames(page);
    await cell(page).locator('[data-action="clip"]').click();
    await expect.poll(() => cell(page).locator('[data-action="clip"]').getAttribute('class')).toBe('selected');
    await expect.poll(() => frames(page), FRAME_TIMEOUT).toBeGreaterThan(drawn);
    expect((await bright(page)).share).toBeGreaterThan(0);
    expect(room.problems).toEqual([]);
  });
});
