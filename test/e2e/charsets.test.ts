/**
 * Japanese names in ISO 2022 (real files of the pydicom corpus, with pixel
 * data) as a reader sees them: the worklist row and the viewer's overlay show
 * all three groups of the name decoded (alphabetic, ideographic, phonetic),
 * and the name filter finds them by their kanji. Chromium here has no CJK
 * fonts: the text is asserted, not the glyphs' pixels.
 *
 * chrH31.dcm: `\ISO 2022 IR 87` (ASCII, then JIS X 0208 after escapes);
 * chrH32.dcm: `ISO 2022 IR 13\ISO 2022 IR 87` (half-width katakana in the
 * alphabetic group, JIS X 0208 in the others).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pydicomCharsetFiles } from '../helpers/pydicom-corpus.js';
import { storescu } from '../helpers/peers/storescu.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

const FILES = [
  { file: 'chrH31.dcm', studyUid: '1.3.6.1.4.1.5962.1.2.0.1175775771.5702.0', patientId: 'H31EXAMPLE', name: 'Yamada, Tarou · 山田, 太郎 · やまだ, たろう' },
  { file: 'chrH32.dcm', studyUid: '1.3.6.1.4.1.5962.1.2.0.1175775771.5705.0', patientId: 'H32EXAMPLE', name: 'ﾔﾏﾀﾞ, ﾀﾛｳ · 山田, 太郎 · やまだ, たろう' },
] as const;

let room: ReadingRoom;

beforeAll(async () => {
  room = await openReadingRoom();
  const sent = await storescu({ port: room.node.dicomPort, calledAet: room.node.aet, files: FILES.map((f) => join(pydicomCharsetFiles, f.file)) });
  expect(sent.stored, sent.log).toHaveLength(FILES.length);
});
afterAll(() => room?.close());

const row = (studyUid: string) => room.page.locator(`tr.study-row[data-study-uid="${studyUid}"]`);

describe('ISO 2022 Japanese names', () => {
  it('are shown decoded, in all three groups, in the worklist', async () => {
    for (const { studyUid, patientId, name } of FILES) {
      await row(studyUid).waitFor({ timeout: 10_000 });
      const text = await row(studyUid).innerText();
      expect(text).toContain(name);
      expect(text).toContain(patientId);
    }
  });

  it('are found by a search for their kanji', async () => {
    const filter = room.page.locator('.filter-bar [name="name"]');
    await filter.fill('山田');
    await expect.poll(() => room.page.locator('tr.study-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-study-uid')).sort())).toEqual(FILES.map((f) => f.studyUid).sort());
    // A name that none of them has: the filter really filters.
    await filter.fill('山本');
    await expect.poll(() => room.page.locator('tr.study-row').count()).toBe(0);
    await filter.fill('');
  });

  it('are shown decoded in the viewer overlay, above the image', async () => {
    const { page } = room;
    for (const { studyUid, patientId, name } of FILES) {
      await openStudy(page, studyUid);
      const pane = page.locator('.viewport[data-viewport-index="0"]');
      await expect.poll(() => pane.locator('.overlay-image').innerText(), { timeout: 15_000 }).toBe('Im 1/1');
      expect(await pane.locator('.overlay-patient-name').innerText()).toBe(name);
      expect(await pane.locator('.overlay-patient-id').innerText()).toBe(patientId);
      await page.keyboard.press('Escape');
      await row(studyUid).waitFor();
    }
    expect(room.problems).toEqual([]);
  });
});
