/**
 * The stack viewer in Chromium (SwiftShader WebGL2) against a running node:
 * a generated CT study sent by storescu opens in a grid of Cornerstone3D
 * viewports fed by WADO-RS; presets give the grey levels the phantom's HU
 * values must have; scrolling moves the image overlay; opening marks the
 * study in progress. Orientation markers on a sagittal series (Image
 * Orientation (Patient) 0\1\0\0\0\-1) name the edges the anatomy is
 * drawn at, checked with a bright marker burnt into the anterior-superior
 * corner of the image, also after a flip or a rotation.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudySummary } from '../../shared/api/app-api.js';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { newUid } from '../fixtures/part10-writer.js';
import { burnMarkers } from './fixtures/markers.js';
import { brightSpots, viewportPane, type CanvasLike } from './harness/canvas.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

const SIZE = 64;
let room: ReadingRoom;
let studyUid: string;
let sagittalUid: string;

beforeAll(async () => {
  room = await openReadingRoom();
  studyUid = newUid();
  // One frame of reference: the series can be synchronised.
  const frameOfReference = newUid();
  for (const [number, count] of [
    [1, 5],
    [2, 3],
  ] as const) {
    const dir = join(room.work, `series-${number}`);
    mkdirSync(dir);
    generateCtSeries({ dir, count, rows: SIZE, cols: SIZE, studyUid, seriesNumber: number, patientName: 'Phantom^Viewer', patientId: 'VBX-VIEW', overrides: [{ tag: 0x00200052, vr: 'UI', value: frameOfReference }] });
    await room.send(dir);
  }
  const sagittal = join(room.work, 'sagittal');
  mkdirSync(sagittal);
  const series = generateCtSeries({ dir: sagittal, count: 1, rows: SIZE, cols: SIZE, patientName: 'Phantom^Sagittal', overrides: [{ tag: 0x00200037, vr: 'DS', value: '0\\1\\0\\0\\0\\-1' }] });
  // Image row 0 is the most superior, column 0 the most anterior: this corner is anterior-superior.
  burnMarkers(series.files[0]!.path, SIZE, SIZE, [{ x: 4, y: 4 }], 2000);
  await room.send(sagittal);
  sagittalUid = series.studyUid;
});
afterAll(() => room?.close());

const pane = viewportPane;
const overlayText = (page: Page, index: number, part: string) => pane(page, index).locator(`.overlay-${part}`).innerText();

/**
 * Mean grey level (red channel) of a 5×5 block of the viewport's canvas
 * around image pixel (x, y), the image fitted and centred as Cornerstone
 * shows it.
 */
function greyAt(page: Page, index: number, x: number, y: number): Promise<number> {
  return pane(page, index)
    .locator('canvas')
    .first()
    .evaluate(
      (canvas: CanvasLike, { x, y, size }) => {
        const scale = Math.min(canvas.width / size, canvas.height / size);
        const cx = Math.round(canvas.width / 2 + (x + 0.5 - size / 2) * scale);
        const cy = Math.round(canvas.height / 2 + (y + 0.5 - size / 2) * scale);
        const data = canvas.getContext('2d')!.getImageData(cx - 2, cy - 2, 5, 5).data;
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) sum += data[i]!;
        return sum / (data.length / 4);
      },
      { x, y, size: SIZE },
    );
}

async function markers(page: Page) {
  const text = (edge: string) => viewportPane(page, 0).locator(`.marker-${edge}`).innerText();
  return { top: await text('top'), bottom: await text('bottom'), left: await text('left'), right: await text('right') };
}

/** The edges (horizontal, vertical) nearest to which the burnt marker is drawn, by their orientation letters. */
async function markerEdges(page: Page): Promise<string[]> {
  const spots = await brightSpots(page, 0);
  expect(spots).toHaveLength(1);
  const box = (await viewportPane(page, 0).boundingBox())!;
  const shown = await markers(page);
  const spot = spots[0]!;
  return [spot.x < box.x + box.width / 2 ? shown.left : shown.right, spot.y < box.y + box.height / 2 ? shown.top : shown.bottom].sort();
}

describe('stack viewer', () => {
  it('opens the study in a grid of viewports, one per series, with overlays', async () => {
    const { page } = room;
    await page.goto(`${room.node.url}view/${studyUid}`);
    await expect.poll(() => page.locator('.viewport').count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => overlayText(page, 0, 'image'), { timeout: 15_000 }).toBe('Im 1/5');
    await expect.poll(() => overlayText(page, 1, 'image'), { timeout: 15_000 }).toBe('Im 1/3');
    expect(await overlayText(page, 0, 'patient-name')).toBe('Phantom, Viewer');
    expect(await overlayText(page, 0, 'patient-id')).toBe('VBX-VIEW');
    expect(await overlayText(page, 0, 'series')).toBe('Se 1: Axial 1.25 mm');
    expect(await overlayText(page, 1, 'series')).toBe('Se 2: Axial 1.25 mm');
    expect(await overlayText(page, 0, 'window')).toBe('W 400 L 40');
    expect(await page.locator('.series-item').allInnerTexts()).toEqual([expect.stringContaining('5 images'), expect.stringContaining('3 images')]);
  });

  it('marks the study in progress when it is opened', async () => {
    const response = await room.page.request.get(`${room.node.url}api/studies?StudyInstanceUID=${studyUid}`);
    expect(((await response.json()) as StudySummary[])[0]?.readStatus).toBe('in-progress');
  });

  it('shows the phantom with the grey levels a CT preset gives its HU values', async () => {
    const { page } = room;
    await pane(page, 0).click();
    // Lung, W 1500 L -600: water (0 HU) at 255·1350/1500 ≈ 230, air (-1000 HU) at 255·350/1500 ≈ 60.
    await page.keyboard.press('4');
    await expect.poll(() => overlayText(page, 0, 'window')).toBe('W 1500 L -600');
    await expect.poll(() => greyAt(page, 0, 32, 32)).toBeCloseTo(229.5, -1);
    expect(Math.abs((await greyAt(page, 0, 32, 32)) - 229.5)).toBeLessThan(6);
    expect(Math.abs((await greyAt(page, 0, 4, 4)) - 59.5)).toBeLessThan(6);
    // Bone, W 1500 L 300: water at 255·450/1500 ≈ 77, air black.
    await page.keyboard.press('8');
    await expect.poll(() => overlayText(page, 0, 'window')).toBe('W 1500 L 300');
    await expect.poll(async () => Math.abs((await greyAt(page, 0, 32, 32)) - 76.5) < 6).toBe(true);
    expect(await greyAt(page, 0, 4, 4)).toBeLessThan(3);
    // Invert: air white.
    await page.keyboard.press('i');
    await expect.poll(() => greyAt(page, 0, 4, 4)).toBeGreaterThan(252);
    await page.keyboard.press('r');
    await expect.poll(() => overlayText(page, 0, 'window')).toBe('W 400 L 40');
  });

  it('shows the image one pixel per screen pixel (1:1), and fitted again', async () => {
    const { page } = room;
    await pane(page, 0).click();
    // Lung window: the phantom's air is grey, the background outside the image black.
    await page.keyboard.press('4');
    const imageWidth = () =>
      pane(page, 0)
        .locator('canvas')
        .first()
        .evaluate((canvas: CanvasLike) => {
          const row = canvas.getContext('2d')!.getImageData(0, Math.floor(canvas.height / 2), canvas.width, 1).data;
          let lit = 0;
          for (let i = 0; i < row.length; i += 4) if (row[i]! > 30) lit++;
          return { lit, canvas: Math.min(canvas.width, canvas.height) };
        });
    await page.keyboard.press('n');
    await expect.poll(async () => (await imageWidth()).lit).toBeGreaterThanOrEqual(SIZE - 1);
    expect((await imageWidth()).lit).toBeLessThanOrEqual(SIZE + 1);
    await page.keyboard.press('f');
    await expect.poll(() => overlayText(page, 0, 'zoom')).toBe('Zoom 1.00×');
    const fitted = await imageWidth();
    expect(Math.abs(fitted.lit - fitted.canvas)).toBeLessThanOrEqual(2);
    await page.keyboard.press('r');
  });

  it('scrolls with the keys and the wheel, and the overlay follows', async () => {
    const { page } = room;
    await pane(page, 0).click();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => overlayText(page, 0, 'image')).toBe('Im 2/5');
    expect(await overlayText(page, 0, 'location')).toBe('Loc -1.25 mm');
    await pane(page, 0).hover();
    await page.mouse.wheel(0, 120);
    await expect.poll(() => overlayText(page, 0, 'image')).toBe('Im 3/5');
    await page.keyboard.press('End');
    await expect.poll(() => overlayText(page, 0, 'image')).toBe('Im 5/5');
    expect(await overlayText(page, 0, 'location')).toBe('Loc -5.00 mm');
    await page.keyboard.press('PageUp');
    await expect.poll(() => overlayText(page, 0, 'image')).toBe('Im 1/5');
    // The other viewport did not move.
    expect(await overlayText(page, 1, 'image')).toBe('Im 1/3');
  });

  it('scrolls by dragging the scrollbar, and jumps where it is clicked', async () => {
    const { page } = room;
    const bar = pane(page, 0).locator('.stack-scrollbar');
    const box = (await bar.boundingBox())!;
    const windowBefore = await overlayText(page, 0, 'window');
    const x = box.x + box.width / 2;
    // Five images: each is a fifth of the track.
    await page.mouse.move(x, box.y + 2);
    await page.mouse.down();
    await page.mouse.move(x, box.y + box.height * 0.5, { steps: 5 });
    await expect.poll(() => overlayText(page, 0, 'image')).toBe('Im 3/5');
    expect(await overlayText(page, 0, 'location')).toBe('Loc -2.50 mm');
    await page.mouse.move(x, box.y + box.height - 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => overlayText(page, 0, 'image')).toBe('Im 5/5');
    expect(await bar.getAttribute('aria-valuenow')).toBe('5');
    await page.mouse.click(x, box.y + box.height * 0.3);
    await expect.poll(() => overlayText(page, 0, 'image')).toBe('Im 2/5');
    // Dragging the scrollbar is not a window/level drag.
    expect(await overlayText(page, 0, 'window')).toBe(windowBefore);
    await page.keyboard.press('Home');
  });

  it('synchronises scroll and window between viewports of one frame of reference', async () => {
    const { page } = room;
    await pane(page, 0).click();
    await page.keyboard.press('y');
    await expect.poll(() => page.getByRole('button', { name: 'Sync' }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('ArrowDown');
    // Series 2 has slices at 0, -1.25 and -2.5 mm: the nearest to each position of series 1.
    await expect.poll(() => overlayText(page, 0, 'location')).toBe('Loc -1.25 mm');
    await expect.poll(() => overlayText(page, 1, 'location')).toBe('Loc -1.25 mm');
    await page.keyboard.press('End');
    await expect.poll(() => overlayText(page, 0, 'location')).toBe('Loc -5.00 mm');
    await expect.poll(() => overlayText(page, 1, 'image')).toBe('Im 3/3');
    await page.keyboard.press('5');
    await expect.poll(() => overlayText(page, 1, 'window')).toBe('W 350 L 50');
    await page.keyboard.press('y');
    await page.keyboard.press('Home');
    await expect.poll(() => overlayText(page, 0, 'image')).toBe('Im 1/5');
    await page.waitForTimeout(300);
    expect(await overlayText(page, 1, 'image')).toBe('Im 3/3');
    await page.keyboard.press('r');
  });

  it('plays cine in the active viewport and stops it', async () => {
    const { page } = room;
    await pane(page, 0).click();
    await page.keyboard.press('c');
    await expect.poll(() => overlayText(page, 0, 'cine')).toBe('Cine 10 fps');
    const seen = new Set<string>();
    await expect.poll(async () => seen.add(await overlayText(page, 0, 'image')).size, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await page.keyboard.press('+');
    await expect.poll(() => overlayText(page, 0, 'cine')).toBe('Cine 12 fps');
    await page.keyboard.press('c');
    await expect.poll(() => pane(page, 0).locator('.overlay-cine').count()).toBe(0);
    const stopped = await overlayText(page, 0, 'image');
    await page.waitForTimeout(400);
    expect(await overlayText(page, 0, 'image')).toBe(stopped);
  });

  it('shows a series dragged from the strip onto a viewport, or clicked into the active one', async () => {
    const { page } = room;
    await page.locator('.series-item').nth(1).dragTo(pane(page, 0));
    await expect.poll(() => overlayText(page, 0, 'series')).toBe('Se 2: Axial 1.25 mm');
    await expect.poll(() => overlayText(page, 0, 'image')).toBe('Im 1/3');
    await page.locator('.series-item').nth(0).click();
    await expect.poll(() => overlayText(page, 0, 'series')).toBe('Se 1: Axial 1.25 mm');
  });

  it('changes the layout and hides the overlays with one key', async () => {
    const { page } = room;
    await page.keyboard.press('l');
    await page.getByRole('button', { name: '1+2' }).click();
    await expect.poll(() => page.locator('.viewport').count()).toBe(3);
    await page.keyboard.press('o');
    await expect.poll(() => page.locator('.overlay').count()).toBe(0);
    await page.keyboard.press('o');
    await expect.poll(() => page.locator('.overlay').count()).toBe(2);
    await page.keyboard.press('Escape');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    expect(room.problems).toEqual([]);
  });
});

describe('orientation markers', () => {
  it('name the edges of a sagittal image', async () => {
    await openStudy(room.page, sagittalUid);
    await expect.poll(() => markers(room.page)).toEqual({ top: 'H', bottom: 'F', left: 'A', right: 'P' });
    await room.page.keyboard.press('8');
    await expect.poll(() => markerEdges(room.page)).toEqual(['A', 'H']);
  });

  it('follow a horizontal flip', async () => {
    await viewportPane(room.page, 0).click();
    await room.page.keyboard.press('h');
    await expect.poll(() => markers(room.page)).toEqual({ top: 'H', bottom: 'F', left: 'P', right: 'A' });
    await expect.poll(() => markerEdges(room.page)).toEqual(['A', 'H']);
  });

  it('follow a quarter turn', async () => {
    await room.page.keyboard.press('r');
    await expect.poll(() => markers(room.page)).toEqual({ top: 'H', bottom: 'F', left: 'A', right: 'P' });
    await room.page.keyboard.press('8');
    await room.page.keyboard.press('t');
    await expect.poll(async () => (await markers(room.page)).top).not.toBe('H');
    // Clockwise: the anterior edge, on the left, comes to the top.
    expect(await markers(room.page)).toEqual({ top: 'A', bottom: 'P', left: 'F', right: 'H' });
    await expect.poll(() => markerEdges(room.page)).toEqual(['A', 'H']);
    expect(room.problems).toEqual([]);
  });
});
