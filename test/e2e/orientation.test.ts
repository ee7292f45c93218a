/**
 * Orientation markers on non-axial planes, from Image Orientation (Patient):
 * a sagittal MR series (slices stepping along x) reads A on the left, P on
 * the right, H at the top and F at the bottom; a coronal one R/L/H/F; a
 * double-oblique one gets two-letter markers. The markers follow a quarter
 * turn (`t`) and a horizontal flip (`h`), and so does the anatomy: a bright
 * marker burnt into the anterior-superior corner of every sagittal slice is
 * drawn in the quadrant between the A and H markers.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { ds, newUid } from '../fixtures/part10-writer.js';
import { burnMarkers } from './fixtures/markers.js';
import { brightSpots, viewportPane } from './harness/canvas.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

const SIZE = 64;
const SPACING = 0.7;
const SLICES = 4;
const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';

type Vector = readonly [number, number, number];
interface Markers {
  top: string;
  bottom: string;
  left: string;
  right: string;
}

/**
 * An MR series of SLICES slices in one plane: `row` and `column` are the
 * direction cosines of Image Orientation (Patient); slice k lies k·3 mm along
 * their normal. Each slice is written as its own one-image series sharing the
 * study, series and frame of reference UIDs (the fixture writes one geometry
 * per call).
 */
function writePlane(dir: string, label: string, row: Vector, column: Vector): { studyUid: string; files: string[] } {
  mkdirSync(dir);
  const normal: Vector = [row[1] * column[2] - row[2] * column[1], row[2] * column[0] - row[0] * column[2], row[0] * column[1] - row[1] * column[0]];
  const [studyUid, seriesUid, frameOfReference] = [newUid(), newUid(), newUid()];
  // The top-left pixel of the middle slice sits half an image up and back from the origin.
  const corner = [0, 1, 2].map((i) => -(row[i]! + column[i]!) * (SIZE / 2) * SPACING);
  const files: string[] = [];
  for (let k = 0; k < SLICES; k++) {
    const position = corner.map((c, i) => c + normal[i]! * 3 * k);
    const series = generateCtSeries({
      dir,
      count: 1,
      rows: SIZE,
      cols: SIZE,
      pixelSpacing: SPACING,
      studyUid,
      seriesUid,
      sopClassUid: MR_IMAGE_STORAGE,
      patientName: `Orientation^${label}`,
      fileName: () => `MR${k + 1}.dcm`,
      overrides: [
        { tag: 0x00080008, vr: 'CS', value: 'ORIGINAL\\PRIMARY\\M' },
        { tag: 0x00080060, vr: 'CS', value: 'MR' },
        { tag: 0x0008103e, vr: 'LO', value: label },
        { tag: 0x00200013, vr: 'IS', value: String(k + 1) },
        { tag: 0x00200032, vr: 'DS', value: ds(...position) },
        { tag: 0x00200037, vr: 'DS', value: ds(...row, ...column) },
        { tag: 0x00200052, vr: 'UI', value: frameOfReference },
        { tag: 0x00201041, vr: 'DS', value: ds(3 * k) },
      ],
    });
    files.push(series.files[0]!.path);
  }
  return { studyUid, files };
}

const SIN30 = 0.5;
const COS30 = Math.sqrt(3) / 2;
const SIN20 = Math.sin(Math.PI / 9);
const COS20 = Math.cos(Math.PI / 9);

let room: ReadingRoom;
const studies: Record<'sagittal' | 'coronal' | 'oblique', string> = { sagittal: '', coronal: '', oblique: '' };

beforeAll(async () => {
  room = await openReadingRoom();
  const sagittal = writePlane(join(room.work, 'sagittal'), 'Sagittal', [0, 1, 0], [0, 0, -1]);
  // Rows top to bottom run head to feet, columns left to right anterior to posterior: pixel (4, 4) is anterior-superior.
  for (const file of sagittal.files) burnMarkers(file, SIZE, SIZE, [{ x: 4, y: 4 }], 2000);
  const coronal = writePlane(join(room.work, 'coronal'), 'Coronal', [1, 0, 0], [0, 0, -1]);
  // Rows turned 30° from the patient's left toward posterior; columns tilted 20° from feet toward posterior.
  const oblique = writePlane(join(room.work, 'oblique'), 'Oblique', [COS30, SIN30, 0], [-SIN30 * SIN20, COS30 * SIN20, -COS20]);
  for (const [name, plane] of [['sagittal', sagittal], ['coronal', coronal], ['oblique', oblique]] as const) {
    await room.send(join(room.work, name));
    studies[name] = plane.studyUid;
  }
});
afterAll(() => room?.close());

async function markers(page: Page): Promise<Markers> {
  const text = (edge: string) => viewportPane(page, 0).locator(`.marker-${edge}`).innerText();
  return { top: await text('top'), bottom: await text('bottom'), left: await text('left'), right: await text('right') };
}

/** A quarter turn clockwise: what was on the left comes to the top. */
const turned = (m: Markers): Markers => ({ top: m.left, right: m.top, bottom: m.right, left: m.bottom });
/** Left and right swapped. */
const flipped = (m: Markers): Markers => ({ ...m, left: m.right, right: m.left });

async function open(name: keyof typeof studies, expected: Markers): Promise<void> {
  await openStudy(room.page, studies[name]);
  await expect.poll(() => viewportPane(room.page, 0).locator('.overlay-image').innerText(), { timeout: 15_000 }).toBe(`Im 1/${SLICES}`);
  await expect.poll(() => markers(room.page)).toEqual(expected);
}

/** The markers of the two edges nearest the one bright spot drawn (horizontal then vertical). */
async function edgesOfSpot(page: Page): Promise<[string, string]> {
  const spots = await brightSpots(page, 0);
  expect(spots).toHaveLength(1);
  const box = (await viewportPane(page, 0).boundingBox())!;
  const shown = await markers(page);
  const spot = spots[0]!;
  return [spot.x < box.x + box.width / 2 ? shown.left : shown.right, spot.y < box.y + box.height / 2 ? shown.top : shown.bottom];
}

describe('orientation markers', () => {
  const sagittal: Markers = { top: 'H', bottom: 'F', left: 'A', right: 'P' };

  it('name the edges of a sagittal MR image, and its anterior-superior corner is drawn top left', async () => {
    await open('sagittal', sagittal);
    expect(await viewportPane(room.page, 0).locator('.overlay-series').innerText()).toBe('Se 1: Sagittal');
    // Bone window: the 2000 HU marker is the only white.
    await room.page.keyboard.press('8');
    await expect.poll(() => brightSpots(room.page, 0).then((s) => s.length)).toBe(1);
    const [spot] = await brightSpots(room.page, 0);
    const box = (await viewportPane(room.page, 0).boundingBox())!;
    expect(spot!.x).toBeLessThan(box.x + box.width / 2);
    expect(spot!.y).toBeLessThan(box.y + box.height / 2);
    expect(await edgesOfSpot(room.page)).toEqual(['A', 'H']);
  });

  it('stay with every slice of the series', async () => {
    await viewportPane(room.page, 0).click();
    await room.page.keyboard.press('End');
    await expect.poll(() => viewportPane(room.page, 0).locator('.overlay-image').innerText()).toBe(`Im ${SLICES}/${SLICES}`);
    expect(await markers(room.page)).toEqual(sagittal);
    await room.page.keyboard.press('Home');
  });

  it('follow a quarter turn, and the anatomy with them', async () => {
    await room.page.keyboard.press('t');
    await expect.poll(() => markers(room.page)).toEqual(turned(sagittal));
    expect(turned(sagittal)).toEqual({ top: 'A', right: 'H', bottom: 'P', left: 'F' });
    await expect.poll(() => edgesOfSpot(room.page)).toEqual(['H', 'A']);
  });

  it('follow a horizontal flip after the turn', async () => {
    await room.page.keyboard.press('h');
    await expect.poll(() => markers(room.page)).toEqual(flipped(turned(sagittal)));
    await expect.poll(() => edgesOfSpot(room.page)).toEqual(['H', 'A']);
    await room.page.keyboard.press('r');
    await expect.poll(() => markers(room.page)).toEqual(sagittal);
  });

  it('name the edges of a coronal image, and follow a flip then a turn', async () => {
    const coronal: Markers = { top: 'H', bottom: 'F', left: 'R', right: 'L' };
    await open('coronal', coronal);
    await viewportPane(room.page, 0).click();
    await room.page.keyboard.press('h');
    await expect.poll(() => markers(room.page)).toEqual(flipped(coronal));
    await room.page.keyboard.press('t');
    await expect.poll(() => markers(room.page)).toEqual(turned(flipped(coronal)));
  });

  it('give an oblique image two-letter markers, main direction first, and follow a turn', async () => {
    const oblique: Markers = { top: 'HA', bottom: 'FP', left: 'RA', right: 'LP' };
    await open('oblique', oblique);
    await viewportPane(room.page, 0).click();
    await room.page.keyboard.press('t');
    await expect.poll(() => markers(room.page)).toEqual(turned(oblique));
    expect(room.problems).toEqual([]);
  });
});
