/**
 * Esc closes the topmost transient thing only: the Displays menu opened over
 * a study closes and the study stays open. Closing the hanging-protocol editor
 * with unsaved edits asks first (its ✕, Esc, Shift+E alike); without edits it
 * just closes.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { viewportPane } from './harness/canvas.js';
import { openReadingRoom, type ReadingRoom } from './harness/reading-room.js';

let room: ReadingRoom;
let viewerPath: string;

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 1400, height: 800 } });
  const dir = join(room.work, 'ct');
  mkdirSync(dir);
  const series = generateCtSeries({ dir, count: 4, rows: 64, cols: 64, patientName: 'Phantom^Escape' });
  await room.send(dir);
  viewerPath = `/view/${series.studyUid}`;
  await room.page.goto(`${room.node.url}view/${series.studyUid}`);
  await viewportPane(room.page, 0).locator('.overlay-image').waitFor({ timeout: 15_000 });
});
afterAll(() => room?.close());

const editor = () => room.page.getByRole('complementary', { name: 'Hanging protocol editor' });
const prompt = () => room.page.getByRole('alertdialog', { name: 'Unsaved changes' });
const studyStillOpen = async () => {
  expect(new URL(room.page.url()).pathname).toBe(viewerPath);
  expect(await viewportPane(room.page, 0).locator('.overlay-image').count()).toBe(1);
};

describe('Esc', () => {
  it('closes the Displays menu over a study, and the study stays open', async () => {
    const { page } = room;
    await page.getByRole('button', { name: 'Displays' }).click();
    await page.getByRole('menu', { name: 'Displays' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('menu', { name: 'Displays' }).count()).toBe(0);
    await page.waitForTimeout(300);
    await studyStillOpen();
  });

  it('closes the protocol editor without edits at once, leaving the study open', async () => {
    const { page } = room;
    await viewportPane(page, 0).click();
    await page.keyboard.press('Shift+E');
    await editor().waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => editor().count()).toBe(0);
    await studyStillOpen();
  });
});

describe('closing the protocol editor with unsaved edits', () => {
  const edit = async () => {
    const { page } = room;
    await page.keyboard.press('Shift+E');
    const text = editor().getByRole('textbox', { name: 'Protocol JSON' });
    await text.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' ');
    // Out of the text: the keys are the viewer's again.
    await viewportPane(page, 0).click();
  };

  it('asks on ✕; "Keep editing" keeps the editor and the edit', async () => {
    await edit();
    const edited = await editor().getByRole('textbox', { name: 'Protocol JSON' }).inputValue();
    await editor().getByRole('button', { name: '✕' }).click();
    await prompt().waitFor();
    await prompt().getByRole('button', { name: 'Keep editing' }).click();
    await expect.poll(() => prompt().count()).toBe(0);
    expect(await editor().getByRole('textbox', { name: 'Protocol JSON' }).inputValue()).toBe(edited);
  });

  it('asks on Esc; Esc again closes only the question', async () => {
    const { page } = room;
    await page.keyboard.press('Escape');
    await prompt().waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => prompt().count()).toBe(0);
    expect(await editor().count()).toBe(1);
    await studyStillOpen();
  });

  it('asks on Shift+E; "Discard" closes the editor and the study stays', async () => {
    const { page } = room;
    await page.keyboard.press('Shift+E');
    await prompt().waitFor();
    await prompt().getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => editor().count()).toBe(0);
    await studyStillOpen();
    // Opened again, it starts from the saved protocol: nothing to ask about.
    await page.keyboard.press('Shift+E');
    await editor().waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => editor().count()).toBe(0);
    expect(room.problems).toEqual([]);
  });
});
