/**
 * A prior the hanging protocol asks for can answer before the study opened
 * (a small prior, a large current study): its series are kept, after the
 * study's own, and the comparison stage shows it beside the current. The
 * node's answer for the current study's metadata is held back to make that
 * order certain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewportPane } from './harness/canvas.js';
import { sendChestCtWithPrior } from './harness/chest-ct-pair.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

let room: ReadingRoom;
const studies: Record<string, string> = {};
const HELD_BACK_MS = 1500;

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 1200, height: 700 } });
  Object.assign(studies, await sendChestCtWithPrior(room, { patientId: 'VBX-ORDER', patientName: 'Phantom^Order', images: 12 }));
  await room.page.route(`**/dicom-web/studies/${studies.current}/metadata`, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, HELD_BACK_MS));
    await route.continue();
  });
  await openStudy(room.page, studies.current!);
}, 60_000);
afterAll(() => room?.close());

describe('a prior answered before the study', () => {
  it('keeps the prior beside the current study', async () => {
    const { page } = room;
    await expect.poll(() => page.locator(`.series-item[data-study-uid="${studies.prior}"]`).count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('.series-item').first().getAttribute('data-study-uid')).toBe(studies.current);
    await expect.poll(() => viewportPane(page, 1).locator('.overlay-prior').innerText().catch(() => ''), { timeout: 15_000 }).toBe('PRIOR');
    expect(await viewportPane(page, 0).locator('.overlay-study').innerText()).toContain('2024-03-01');
    expect(room.problems).toEqual([]);
  });
});
