/**
 * Comparing with a prior: the patient's other studies held here are listed
 * under the study's series, newest first; one loads on demand, its series can
 * be shown beside the current ones, and a viewport showing it says PRIOR with
 * the prior's date. Measurements drawn on a prior are kept with the prior.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { viewportPane } from './harness/canvas.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

let room: ReadingRoom;
const studies: Record<string, string> = {};

beforeAll(async () => {
  room = await openReadingRoom();
  for (const [label, date, patientId, count] of [
    ['current', '20240301', 'VBX-PRIOR', 4],
    ['prior', '20230115', 'VBX-PRIOR', 3],
    ['older', '20190920', 'VBX-PRIOR', 2],
    ['someone-else', '20231010', 'VBX-OTHER', 2],
  ] as const) {
    const dir = join(room.work, label);
    mkdirSync(dir);
    studies[label] = generateCtSeries({ dir, count, rows: 32, cols: 32, studyDate: date, patientId, patientName: 'Phantom^Prior', overrides: [{ tag: 0x0008103e, vr: 'LO', value: `${label} axial` }] }).studyUid;
    await room.send(dir);
  }
  await openStudy(room.page, studies.current!);
  await room.page.locator('.overlay-image').first().waitFor();
});
afterAll(() => room?.close());

describe('priors', () => {
  it("lists the patient's other studies newest first, and none of another patient", async () => {
    const { page } = room;
    await expect.poll(() => page.locator('.prior-study').evaluateAll((s) => s.map((e) => e.getAttribute('data-study-uid')))).toEqual([studies.prior, studies.older]);
    expect(await page.locator('.prior-date').allInnerTexts()).toEqual(['Prior 2023-01-15', 'Prior 2019-09-20']);
    expect(await viewportPane(page, 0).locator('.overlay-prior').count()).toBe(0);
  });

  it('loads a prior on demand and shows its series beside the current one, labelled PRIOR', async () => {
    const { page } = room;
    await page.locator(`.prior-study[data-study-uid="${studies.prior}"] .prior-header`).click();
    const priorSeries = page.locator(`.series-item[data-study-uid="${studies.prior}"]`);
    await expect.poll(() => priorSeries.count()).toBe(1);
    // Into the active viewport (0): the prior replaces the current series there.
    await priorSeries.click();
    await expect.poll(() => viewportPane(page, 0).locator('.overlay-image').innerText()).toBe('Im 1/3');
    expect(await viewportPane(page, 0).locator('.overlay-prior').innerText()).toBe('PRIOR');
    expect(await viewportPane(page, 0).locator('.overlay-study').innerText()).toContain('2023-01-15');
    await page.locator(`.series-item[data-study-uid="${studies.current}"]`).click();
    await expect.poll(() => viewportPane(page, 0).locator('.overlay-image').innerText()).toBe('Im 1/4');
    expect(await viewportPane(page, 0).locator('.overlay-prior').count()).toBe(0);
    expect(room.problems).toEqual([]);
  });
});
