/**
 * A stage with two screens: folded side by side on one display, then spread
 * over two (a virtual second screen, CDP Emulation.addScreen): the second
 * display's window shows the second screen, and both windows move between
 * stages together.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocolPaths } from '../../shared/api/protocols-api.js';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

let room: ReadingRoom;
let studyUid: string;

const screen = (width: number, center: number) => ({ layout: { type: 'grid', rows: 1, columns: 1 }, viewports: [{ displaySet: 'axial', voi: { width, center } }] });
const twoScreens = {
  id: 'two-screens',
  name: 'Two screens',
  version: 1,
  match: [{ attribute: 'studyDescription', operator: 'contains', value: 'two screens', weight: 10 }],
  displaySets: { axial: { rules: [{ attribute: 'modality', operator: 'equals', value: 'CT', required: true }] } },
  stages: [
    { id: 'first', name: 'First', screens: [screen(1500, -600), screen(1500, 300)] },
    { id: 'second', name: 'Second', screens: [screen(400, 40), screen(80, 40)] },
  ],
};

beforeAll(async () => {
  room = await openReadingRoom();
  const saved = await fetch(new URL(protocolPaths.save('two-screens'), room.node.url), { method: 'PUT', headers: { authorization: `Bearer ${room.node.token}` }, body: JSON.stringify(twoScreens) });
  expect(saved.status).toBe(200);
  const dir = join(room.work, 'ct');
  mkdirSync(dir);
  studyUid = generateCtSeries({ dir, count: 3, rows: 32, cols: 32, patientName: 'Phantom^Spread', overrides: [{ tag: 0x00081030, vr: 'LO', value: 'Test of two screens' }] }).studyUid;
  await room.send(dir);
}, 60_000);
afterAll(() => room?.close());

const windows = (page: Page) => page.locator('.viewport .overlay-window').allInnerTexts();

describe('a stage over several displays', () => {
  it('folds two screens side by side on one display', async () => {
    const { page } = room;
    await openStudy(page, studyUid);
    await expect.poll(() => page.locator('.hanging-protocol').innerText().catch(() => '')).toBe('Two screens');
    await expect.poll(() => windows(page)).toEqual(['W 1500 L -600', 'W 1500 L 300']);
  });

  it('spreads them over two displays, and both windows change stage together', async () => {
    const { page, browser } = room;
    const pageSession = await page.context().newCDPSession(page);
    const { targetInfo } = await pageSession.send('Target.getTargetInfo');
    const browserSession = await browser.newBrowserCDPSession();
    await browserSession.send('Browser.grantPermissions', { origin: new URL(room.node.url).origin, browserContextId: targetInfo.browserContextId, permissions: ['windowManagement'] });
    await pageSession.send('Emulation.addScreen' as never, { left: 1920, top: 0, width: 1280, height: 1024, label: 'Reading 2' } as never);
    await page.reload();
    await expect.poll(() => windows(page)).toHaveLength(2);
    const [popup] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Spread over displays' }).click()]);
    await popup.waitForLoadState();
    expect(new URL(popup.url()).searchParams.get('display')).toBe('1');
    await expect.poll(() => windows(popup), { timeout: 15_000 }).toEqual(['W 1500 L 300']);
    await expect.poll(() => windows(page)).toEqual(['W 1500 L -600']);
    expect(await popup.locator('.hanging-display').innerText()).toBe('Display 2 of 2');
    await page.keyboard.press('g');
    await expect.poll(() => windows(page)).toEqual(['W 400 L 40']);
    await expect.poll(() => windows(popup)).toEqual(['W 80 L 40']);
    expect(room.problems).toEqual([]);
  });
});
