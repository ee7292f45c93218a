/**
 * The worklist in Chromium against a running node: studies sent by storescu
 * appear live, the filters search (names in either script), columns sort,
 * read status is shown and set, demographic conflicts are flagged.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudySummary } from '../../shared/api/app-api.js';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { writeQueryArchive, type WrittenStudy } from '../fixtures/query-archive.js';
import { openReadingRoom, type ReadingRoom } from './harness/reading-room.js';

let room: ReadingRoom;
let studies: Map<string, WrittenStudy>;
const fixtures = () => join(room.work, 'fixtures');
const study = (label: string) => studies.get(label)!;
const row = (label: string) => room.page.locator(`tr[data-study-uid="${study(label).studyUid}"]`);
const rowLabels = async () => {
  const uids = await room.page.locator('tr.study-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-study-uid')));
  return uids.map((uid) => [...studies.values()].find((s) => s.studyUid === uid)?.label ?? uid);
};

beforeAll(async () => {
  room = await openReadingRoom();
  studies = writeQueryArchive(fixtures());
});
afterAll(() => room?.close());

describe('worklist', () => {
  it('shows a study sent while the page is open, without a reload', async () => {
    const { page } = room;
    await page.getByText('0 studies').waitFor();
    await room.send(join(fixtures(), 'jane-ct'));
    await row('jane-ct').waitFor({ timeout: 10_000 });
    await expect.poll(() => row('jane-ct').innerText()).toMatch(/Doe, Jane 1970-01-01 O\s+PID-001\s+2020-06-15 09:30\s+CT SR\s+CT Chest W\/ Contrast\s+ACC-100\s+2\s+4/);
    await expect.poll(() => row('jane-ct').locator('select.read-status').inputValue()).toBe('unread');
  });

  it('searches by name in either script, by ID, accession, date range, modality and description', async () => {
    const { page } = room;
    for (const label of ['jane-mr', 'john-cr', 'hans-ct', 'tarou-mr']) await room.send(join(fixtures(), label));
    await expect.poll(() => page.locator('tr.study-row').count(), { timeout: 10_000 }).toBe(5);
    const search = async (field: string, value: string, expected: string[]) => {
      await page.locator(`.filter-bar [name="${field}"]`).fill(value);
      await expect.poll(async () => (await rowLabels()).sort()).toEqual(expected.sort());
      await page.locator(`.filter-bar [name="${field}"]`).fill('');
    };
    await search('name', '山田', ['tarou-mr']);
    await search('name', 'yamada', ['tarou-mr']);
    await search('name', 'doe, j', ['jane-ct', 'jane-mr', 'john-cr']);
    await search('name', 'muller', ['hans-ct']);
    await search('patientId', 'PID-001', ['jane-ct', 'jane-mr']);
    await search('accession', 'ACC-2', ['john-cr']);
    await search('description', 'brain', ['jane-mr']);
    await page.locator('.filter-bar [name="modality"]').selectOption('MR');
    await expect.poll(async () => (await rowLabels()).sort()).toEqual(['jane-mr', 'tarou-mr']);
    await page.locator('.filter-bar [name="modality"]').selectOption('');
    await page.locator('.filter-bar [name="dateFrom"]').fill('2020-01-01');
    await page.locator('.filter-bar [name="dateTo"]').fill('2020-12-31');
    await expect.poll(async () => (await rowLabels()).sort()).toEqual(['hans-ct', 'jane-ct']);
    await page.locator('.filter-bar [name="dateFrom"]').fill('');
    await page.locator('.filter-bar [name="dateTo"]').fill('');
    await expect.poll(() => page.locator('tr.study-row').count()).toBe(5);
    expect(await row('tarou-mr').innerText()).toContain('Yamada, Tarou · 山田, 太郎 · やまだ, たろう');
  });

  it('sorts by a column, both ways', async () => {
    const { page } = room;
    // Newest study first by default.
    expect(await rowLabels()).toEqual(['tarou-mr', 'jane-mr', 'hans-ct', 'jane-ct', 'john-cr']);
    await page.getByRole('button', { name: 'Patient ID' }).click();
    // PID-001 twice: ties keep the node's order (newest first).
    expect(await rowLabels()).toEqual(['jane-mr', 'jane-ct', 'john-cr', 'hans-ct', 'tarou-mr']);
    await page.getByRole('button', { name: 'Patient ID' }).click();
    expect((await rowLabels())[0]).toBe('tarou-mr');
    await page.getByRole('button', { name: 'Images' }).click();
    expect((await rowLabels())[0]).toBe('jane-ct'); // 4 images: the most
    await page.getByRole('button', { name: 'Study date' }).click();
    expect(await rowLabels()).toEqual(['tarou-mr', 'jane-mr', 'hans-ct', 'jane-ct', 'john-cr']);
  });

  it('sets the read status from the row and from the keyboard, and the node keeps it', async () => {
    const { page, node } = room;
    await row('john-cr').locator('select.read-status').selectOption('read');
    const held = async (label: string) => {
      const response = await page.request.get(`${node.url}api/studies?AccessionNumber=${study(label).accession}`);
      return ((await response.json()) as StudySummary[])[0]?.readStatus;
    };
    await expect.poll(() => held('john-cr')).toBe('read');
    await row('hans-ct').click();
    await page.keyboard.press('m');
    await expect.poll(() => held('hans-ct')).toBe('read');
    await page.keyboard.press('m');
    await expect.poll(() => held('hans-ct')).toBe('unread');
  });

  it('flags the studies of a patient ID received with another name', async () => {
    const { page } = room;
    expect(await row('jane-ct').innerText()).not.toContain('conflict');
    const dir = join(fixtures(), 'janet');
    mkdirSync(dir);
    generateCtSeries({ dir, count: 1, rows: 16, cols: 16, patientName: 'Doe^Janet', patientId: 'PID-001', studyDate: '20230101' });
    await room.send(dir);
    await expect.poll(() => page.locator('tr.study-row').count(), { timeout: 10_000 }).toBe(6);
    await expect.poll(() => row('jane-ct').locator('.conflict').innerText()).toMatch(/⚠ \d+ conflicts?/);
    expect(await row('john-cr').locator('.conflict').count()).toBe(0);
  });

  it('is driven by the keyboard: / to search, arrows to select, Enter to open', async () => {
    const { page } = room;
    await page.keyboard.press('/');
    await page.keyboard.type('yamada');
    await expect.poll(() => rowLabels()).toEqual(['tarou-mr']);
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => row('tarou-mr').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/view/${study('tarou-mr').studyUid}`);
    expect(room.problems).toEqual([]);
  });
});
