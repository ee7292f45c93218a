/**
 * The reader's own window presets and key map (DATA/viewer-settings.json,
 * resources/schemas/viewer-settings.schema.json): the node serves them with
 * every problem named by file, pointer and reason; the viewer lists the
 * presets, applies their window, and follows the remapped keys.
 */
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { viewportPane } from './harness/canvas.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

let room: ReadingRoom;
let studyUid: string;
const settingsFile = () => join(room.node.data, 'viewer-settings.json');
// Bounded, so that a missing overlay fails the poll with its last value instead of hanging the test.
const windowText = (page: Page) => viewportPane(page, 0).locator('.overlay-window').innerText({ timeout: 5_000 });

async function served(): Promise<{ file: string; settings: unknown; issues: Array<{ file: string; pointer: string; message: string }> }> {
  const response = await fetch(new URL('api/viewer-settings', room.node.url), { headers: { Authorization: `Bearer ${room.node.token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Awaited<ReturnType<typeof served>>;
}

beforeAll(async () => {
  room = await openReadingRoom();
  const dir = join(room.work, 'ct');
  mkdirSync(dir);
  studyUid = generateCtSeries({ dir, count: 3, rows: 64, cols: 64, patientName: 'Phantom^Settings', patientId: 'VBX-SET' }).studyUid;
  await room.send(dir);
});
afterAll(() => room?.close());

describe('viewer settings', () => {
  it('names the file, the place and the reason of each problem, and serves nothing of an invalid file', async () => {
    expect(await served()).toEqual({ file: settingsFile(), settings: {}, issues: [] });
    await writeFile(settingsFile(), JSON.stringify({ windowPresets: [{ name: 'Temporal bone', width: -4000, center: 700 }], keys: { noSuchAction: ['j'] } }));
    const answer = await served();
    expect(answer.settings).toEqual({});
    expect(answer.issues).toEqual(
      expect.arrayContaining([
        { file: settingsFile(), pointer: '/windowPresets/0/width', message: expect.stringMatching(/must be > 0/) },
        { file: settingsFile(), pointer: '/keys/noSuchAction', message: expect.stringMatching(/"noSuchAction" is not an action/) },
      ]),
    );
    await writeFile(settingsFile(), '{"windowPresets": [');
    expect((await served()).issues).toEqual([{ file: settingsFile(), pointer: '', message: expect.stringMatching(/not JSON/) }]);
  });

  it('lists the user presets, applies their window from the menu and the keys, and follows a remapped key', async () => {
    const { page } = room;
    await writeFile(
      settingsFile(),
      JSON.stringify({
        windowPresets: [
          { name: 'Temporal bone', width: 4000, center: 700 },
          { name: 'Soft tissue', width: 350, center: 40 },
        ],
        keys: { preset2: ['F3'] },
      }),
    );
    await page.reload();
    // The app has mounted (with the settings it reads first) when the worklist lists the study.
    await page.getByRole('row').filter({ hasText: 'VBX-SET' }).waitFor({ timeout: 30_000 });
    await openStudy(page, studyUid);
    await expect.poll(() => windowText(page), { timeout: 30_000 }).toBe('W 400 L 40');
    await viewportPane(page, 0).click();
    await page.keyboard.press('1');
    await expect.poll(() => windowText(page)).toBe('W 4000 L 700');
    // Key 2 now does nothing: preset 2 moved to F3.
    await page.keyboard.press('2');
    await page.waitForTimeout(300);
    expect(await windowText(page)).toBe('W 4000 L 700');
    await page.keyboard.press('F3');
    await expect.poll(() => windowText(page)).toBe('W 350 L 40');
    const menu = page.getByLabel('Window preset');
    expect(await menu.locator('option').allInnerTexts()).toEqual(['Window…', 'Image default (0)', 'Temporal bone 4000/700 (1)', 'Soft tissue 350/40 (F3)']);
    await menu.selectOption({ label: 'Temporal bone 4000/700 (1)' });
    await expect.poll(() => windowText(page)).toBe('W 4000 L 700');
    expect(room.problems).toEqual([]);
  });
});
