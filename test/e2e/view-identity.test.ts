/**
 * Every view says whose it is and which way is up: each MPR plane shows the
 * patient's name and ID, the study date and the series, and orientation
 * markers that match its plane; the 3D view shows the same identity and
 * labelled patient axes that turn with the volume.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { drag, viewportPane } from './harness/canvas.js';
import { sendChestCtWithPrior } from './harness/chest-ct-pair.js';
import { openStudyAs } from './harness/open-as.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

let room: ReadingRoom;
let studyUid: string;
let chest: { current: string; prior: string };

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 1200, height: 800 } });
  const dir = join(room.work, 'ct');
  mkdirSync(dir);
  studyUid = generateCtSeries({ dir, count: 24, rows: 64, cols: 64, pixelSpacing: 1, sliceThickness: 2, patientName: 'Doe^Jane', patientId: 'VBX-4711', studyDate: '20240312', seriesNumber: 3 }).studyUid;
  await room.send(dir);
  chest = await sendChestCtWithPrior(room, { patientId: 'VBX-CHEST', patientName: 'Roe^Richard', images: 24 });
});
afterAll(() => room?.close());

const cell = (page: Page) => viewportPane(page, 0);

async function openAs(page: Page, key: 'Shift+M' | 'Shift+V'): Promise<void> {
  await openStudyAs(page, studyUid, key);
  await expect.poll(() => cell(page).getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
}

async function expectIdentity(view: Locator): Promise<void> {
  await expect.poll(() => view.locator('.overlay-patient-name').innerText()).toBe('Doe, Jane');
  expect(await view.locator('.overlay-patient-id').innerText()).toBe('VBX-4711');
  expect(await view.locator('.overlay-study').innerText()).toContain('2024-03-12');
  expect(await view.locator('.overlay-series').innerText()).toBe('Se 3: Axial 2 mm');
}

const STANDARD_MARKERS = {
  axial: { top: 'A', bottom: 'P', left: 'R', right: 'L' },
  sagittal: { top: 'H', bottom: 'F', left: 'A', right: 'P' },
  coronal: { top: 'H', bottom: 'F', left: 'R', right: 'L' },
};

/** Where each axis letter of the 3D view's orientation axes is drawn, relative to the axes' centre (page pixels, y down). */
async function axisLetters(view: Locator): Promise<Record<string, { x: number; y: number }>> {
  const axes = view.locator('.orientation-axes');
  const box = (await axes.boundingBox())!;
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const result: Record<string, { x: number; y: number }> = {};
  for (const letter of ['R', 'L', 'A', 'P', 'H', 'F']) {
    const b = (await axes.locator(`[data-letter="${letter}"]`).boundingBox())!;
    result[letter] = { x: b.x + b.width / 2 - centre.x, y: b.y + b.height / 2 - centre.y };
  }
  return result;
}

describe('identity and orientation in every view', () => {
  it('shows name, ID, study date, series and the plane\'s markers in each MPR plane', async () => {
    const { page } = room;
    await openAs(page, 'Shift+M');
    for (const name of ['axial', 'sagittal', 'coronal'] as const) {
      const plane = cell(page).locator(`.mpr-plane-${name}`);
      await expectIdentity(plane);
      const markers = Object.fromEntries(await Promise.all(['top', 'bottom', 'left', 'right'].map(async (edge) => [edge, await plane.locator(`.marker-${edge}`).innerText()])));
      expect(markers, name).toEqual(STANDARD_MARKERS[name]);
      // The axial plane's R is on the left edge of the plane, L on the right (the patient seen from the feet).
      if (name === 'axial') {
        const box = (await plane.boundingBox())!;
        const r = (await plane.locator('.marker-left').boundingBox())!;
        const l = (await plane.locator('.marker-right').boundingBox())!;
        expect(r.x).toBeLessThan(box.x + box.width / 4);
        expect(l.x).toBeGreaterThan(box.x + (box.width * 3) / 4);
      }
    }
  });

  it('labels the planes of a prior PRIOR, with the prior\'s date, and those of the study opened not', async () => {
    const { page } = room;
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => !url.pathname.startsWith('/view/'));
    await openStudy(page, chest.current);
    // The comparison protocol hangs the current and the prior side by side: the prior's stack goes to MPR.
    const priorPane = viewportPane(page, 1);
    await expect.poll(() => priorPane.locator('.overlay-prior').count(), { timeout: 20_000 }).toBe(1);
    await priorPane.click();
    await page.keyboard.press('Shift+M');
    await expect.poll(() => priorPane.getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    await expect.poll(() => priorPane.locator('.mpr-plane .overlay-prior').count()).toBe(3);
    for (const study of await priorPane.locator('.mpr-plane .overlay-study').allInnerTexts()) expect(study).toContain('2023-03-01');
    await viewportPane(page, 0).click();
    await page.keyboard.press('Shift+M');
    await expect.poll(() => viewportPane(page, 0).locator('.mpr-plane .overlay-study').count(), { timeout: 20_000 }).toBe(3);
    expect(await viewportPane(page, 0).locator('.overlay-prior').count()).toBe(0);
  });

  it('shows name, ID, study date and series in 3D, with patient axes that turn with the volume', { timeout: 180_000 }, async () => {
    const { page } = room;
    await openAs(page, 'Shift+V');
    const view = cell(page).locator('.vr-pane');
    await expectIdentity(view);
    await expect.poll(() => view.locator('.orientation-axes [data-letter]').count(), { timeout: 60_000 }).toBe(6);
    // Seen from the front: head up, the patient's left on the viewer's right.
    const before = await axisLetters(view);
    expect(before.H!.y).toBeLessThan(-10);
    expect(before.F!.y).toBeGreaterThan(10);
    expect(before.L!.x).toBeGreaterThan(10);
    expect(before.R!.x).toBeLessThan(-10);
    // A drag to the right turns the volume about the vertical: left and right swing towards and away from the viewer.
    // Two steps: each waits for a software-rendered frame.
    const box = (await view.boundingBox())!;
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await drag(page, centre, { x: centre.x + box.width / 4, y: centre.y }, 2);
    await expect.poll(async () => Math.abs((await axisLetters(view)).L!.x - before.L!.x), { timeout: 60_000 }).toBeGreaterThan(5);
    expect((await axisLetters(view)).H!.y).toBeLessThan(-10);
  });
});
