/**
 * The worklist searching a real PACS (Orthanc) through the node, then
 * retrieving a study with progress: it is marked held when its images are
 * here, and opens in the viewer.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeQueryArchive, type WrittenStudy } from '../fixtures/query-archive.js';
import { freePort } from '../helpers/net.js';
import { startOrthanc, type Orthanc } from '../helpers/peers/orthanc.js';
import { storescu } from '../helpers/peers/storescu.js';
import { tempDir } from '../helpers/tmp.js';
import { openReadingRoom, type ReadingRoom } from './harness/reading-room.js';

let orthanc: Orthanc;
let room: ReadingRoom;
let studies: Map<string, WrittenStudy>;
let fixtures: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  fixtures = await tempDir('viewbox-e2e-pacs-');
  studies = writeQueryArchive(join(fixtures.path, 'studies'));
  const dicomPort = await freePort();
  orthanc = await startOrthanc({ aet: 'PACS', modalities: [{ name: 'viewbox', aet: 'VIEWBOX', host: '127.0.0.1', port: dicomPort }] });
  const sent = await storescu({ port: orthanc.dicomPort, calledAet: 'PACS', dir: join(fixtures.path, 'studies') });
  expect(sent.results.every((r) => r.outcome === 'success')).toBe(true);
  const config = join(fixtures.path, 'config.json');
  await writeFile(config, JSON.stringify({ aet: 'VIEWBOX', nodes: [{ name: 'pacs', aet: 'PACS', host: '127.0.0.1', port: orthanc.dicomPort, allow: ['store'], search: true }] }));
  room = await openReadingRoom({ serveArgs: ['--config', config, '--dicom-port', String(dicomPort)] });
}, 60_000);

afterAll(async () => {
  await room?.close();
  await orthanc?.stop();
  await fixtures?.cleanup();
});

describe('worklist on a PACS', () => {
  it('searches the PACS with the same filters, retrieves a study with progress, and opens it when held', async () => {
    const { page } = room;
    const janeCt = studies.get('jane-ct')!;
    await page.getByRole('button', { name: 'pacs' }).click();
    await expect.poll(() => page.locator('.worklist-summary').textContent()).toMatch(/Enter a name.*to search pacs/);
    await page.locator('input[name="name"]').fill('doe, jane');
    await expect.poll(() => page.locator('.worklist-summary').textContent(), { timeout: 10_000 }).toBe('2 studies on pacs');
    const rows = page.locator('tr.remote-row');
    // Newest first, as the PACS described them.
    expect(await rows.locator('td:nth-child(5)').allTextContents()).toEqual(['MR Brain', 'CT Chest W/ Contrast']);
    const row = page.locator(`tr.remote-row[data-study-uid="${janeCt.studyUid}"]`);
    expect(await row.locator('td:nth-child(4)').textContent()).toBe('CT SR');
    expect(await row.locator('td.held').textContent()).toBe('');

    await row.click();
    await page.keyboard.press('r');
    await expect.poll(() => row.locator('.retrieve-progress').textContent(), { timeout: 20_000 }).toBe('Retrieved 4 / 4 images');
    await expect.poll(() => row.locator('td.held').textContent()).toBe('Held');
    // The other study stays on the PACS only.
    expect(await page.locator('tr.remote-row').nth(0).locator('td.held').textContent()).toBe('');

    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/view/${janeCt.studyUid}`);
    // Its series are in the strip (how they hang is the hanging protocols' business).
    await expect.poll(() => page.locator(`.series-item[data-study-uid="${janeCt.studyUid}"]`).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.viewer-title').innerText()).toContain('PID-001');
    // Back in the worklist: still searching the PACS with the same filter; this node now holds the study.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.worklist-summary').textContent(), { timeout: 10_000 }).toBe('2 studies on pacs');
    await page.getByRole('button', { name: 'This node' }).click();
    await expect.poll(() => page.locator('tr.study-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-study-uid')))).toEqual([janeCt.studyUid]);
    expect(room.problems).toEqual([]);
  });

  it('says why a search failed, naming the node', async () => {
    const { page } = room;
    await page.keyboard.press('g');
    await expect.poll(() => page.getByRole('button', { name: 'pacs' }).getAttribute('aria-pressed')).toBe('true');
    await orthanc.stop();
    await page.locator('input[name="name"]').fill('doe, john');
    await expect.poll(() => page.locator('.worklist-summary .error').textContent(), { timeout: 15_000 }).toMatch(/node "pacs" \(PACS at 127\.0\.0\.1:\d+\)/);
    room.problems.length = 0;
  });
});
