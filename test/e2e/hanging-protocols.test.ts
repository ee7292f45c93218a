/**
 * Hanging protocols in the reading room: a CT chest with a prior opens on the
 * built-in comparison stage (current and prior axial side by side in a lung
 * window, on their middle images, scrolling together); the next stage hangs
 * lung and mediastinum windows of the current; a reader's own change is kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewportPane } from './harness/canvas.js';
import { sendChestCtWithPrior } from './harness/chest-ct-pair.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

let room: ReadingRoom;
const studies: Record<string, string> = {};
const IMAGES = 12;

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 1200, height: 700 } });
  Object.assign(studies, await sendChestCtWithPrior(room, { patientId: 'VBX-HP', patientName: 'Phantom^Hanging', images: IMAGES }));
  await openStudy(room.page, studies.current!);
  await room.page.locator('.hanging-stage').waitFor();
}, 60_000);
afterAll(() => room?.close());

const text = (index: number, part: string) => viewportPane(room.page, index).locator(`.overlay-${part}`).innerText();

describe('hanging protocols', () => {
  it('opens a CT chest with a prior on the comparison stage, the prior beside the current', async () => {
    const { page } = room;
    expect(await page.locator('.hanging-protocol').innerText()).toBe('CT chest with prior');
    expect(await page.locator('.hanging-stage').innerText()).toBe('Current vs prior (1/2)');
    await expect.poll(() => text(1, 'prior').catch(() => ''), { timeout: 15_000 }).toBe('PRIOR');
    expect(await viewportPane(page, 0).locator('.overlay-prior').count()).toBe(0);
    expect(await text(0, 'study')).toContain('2024-03-01');
    expect(await text(1, 'study')).toContain('2023-03-01');
    // Lung window and the middle image, as the protocol says.
    for (const index of [0, 1]) {
      await expect.poll(() => text(index, 'window')).toBe('W 1500 L -600');
      expect(await text(index, 'image')).toBe(`Im ${Math.floor((IMAGES - 1) / 2) + 1}/${IMAGES}`);
    }
  });

  it('scrolls current and prior together', async () => {
    const { page } = room;
    const before = Number(/Im (\d+)/.exec(await text(1, 'image'))![1]);
    await viewportPane(page, 0).click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => text(1, 'image')).toBe(`Im ${before + 2}/${IMAGES}`);
  });

  it('goes to the next stage with g, and back with Shift+G', async () => {
    const { page } = room;
    await page.keyboard.press('g');
    await expect.poll(() => page.locator('.hanging-stage').innerText()).toBe('Lung, mediastinum, coronal (2/2)');
    await expect.poll(() => text(1, 'window')).toBe('W 350 L 50');
    expect(await viewportPane(page, 1).locator('.overlay-prior').count()).toBe(0);
    await page.keyboard.press('Shift+G');
    await expect.poll(() => page.locator('.hanging-stage').innerText()).toBe('Current vs prior (1/2)');
    await expect.poll(() => text(1, 'prior').catch(() => '')).toBe('PRIOR');
  });

  it("keeps the reader's own change: the stage is not hung again until asked", async () => {
    const { page } = room;
    await viewportPane(page, 1).click();
    await page.locator(`.series-item[data-study-uid="${studies.current}"]`).first().click();
    await expect.poll(() => viewportPane(page, 1).locator('.overlay-prior').count()).toBe(0);
    expect(await page.locator('.hanging-manual').count()).toBe(1);
    await page.waitForTimeout(500);
    expect(await viewportPane(page, 1).locator('.overlay-prior').count()).toBe(0);
    expect(room.problems).toEqual([]);
  });

  it('edits a protocol with validation as you type and a live preview, without changing anything until saved', async () => {
    const { page } = room;
    await page.keyboard.press('Shift+E');
    const editor = page.locator('.protocol-editor');
    const textarea = editor.locator('textarea');
    await expect.poll(async () => JSON.parse(await textarea.inputValue()).id).toBe('ct-chest-prior');
    const firstShown = () => editor.locator('.protocol-preview tbody tr').first().locator('td').nth(3).innerText();
    expect(await firstShown()).toMatch(/^current: /);
    // The first viewport of the comparison stage now asks for the prior's axial series.
    const protocol = JSON.parse(await textarea.inputValue());
    protocol.stages[0].screens[0].viewports[0].displaySet = 'priorAxial';
    await textarea.fill(JSON.stringify(protocol, null, 2));
    await expect.poll(firstShown).toMatch(/^prior-1: /);
    // The viewer is untouched: not saved.
    expect(await viewportPane(page, 0).locator('.overlay-prior').count()).toBe(0);
    // A broken edit is named by its pointer.
    protocol.stages[0].screens[0].viewports[0].displaySet = 'nowhere';
    await textarea.fill(JSON.stringify(protocol, null, 2));
    await expect.poll(() => editor.locator('.protocol-issues li').first().innerText()).toMatch(/^\/stages\/0\/screens\/0\/viewports\/0\/displaySet .*nowhere/);
    await textarea.fill('{ "id": ');
    await expect.poll(() => editor.locator('.protocol-issues li').first().innerText()).toMatch(/not valid JSON.*line 1/);
    // The first Esc leaves the text; the second asks, since the edits are not saved.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.getByRole('alertdialog', { name: 'Unsaved changes' }).getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => editor.count()).toBe(0);
  });
});
