/**
 * The app shell in Chromium: the launch URL opens the reading room (served
 * by the node with its CSP and cached assets), and without a valid token the
 * user sees why they are refused. Other displays: without the Window
 * Management permission the page knows only its own screen (the
 * single-window fallback); with it, and a second screen added through
 * Chromium's DevTools protocol (Emulation.addScreen), a study opens in a
 * window on that screen.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

let room: ReadingRoom;

beforeAll(async () => {
  room = await openReadingRoom();
});
afterAll(() => room?.close());

describe('reading room shell', () => {
  it('opens from the launch URL with the worklist and the node named', async () => {
    const { page, node } = room;
    expect(new URL(page.url()).search).toBe(''); // the token is not left in the address bar
    await page.getByRole('search').waitFor();
    await expect.poll(() => page.locator('.status-bar').textContent()).toContain(`${node.aet} · DICOM port ${node.dicomPort}`);
    expect(room.problems).toEqual([]);
  });

  it('serves the HTML with a strict Content-Security-Policy and hashed assets with a long cache', async () => {
    const { page } = room;
    const html = await page.request.get(new URL('/', page.url()).href);
    const csp = html.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await html.text())?.[1];
    expect(script).toBeDefined();
    const asset = await page.request.get(new URL(script!, page.url()).href);
    expect(asset.status()).toBe(200);
    expect(asset.headers()['cache-control']).toContain('immutable');
    // Nothing outside the built assets, however the path is spelt.
    for (const path of ['/assets/..%2F..%2Fpackage.json', '/assets/%2e%2e/index.html', '/assets/%E0%A4%A', '/package.json']) {
      expect((await page.request.get(new URL(path, page.url()).href)).status(), path).toBe(404);
    }
  });

  it('refuses a browser without a session, and a wrong launch code, saying why', async () => {
    const context = await room.browser.newContext();
    const page = await context.newPage();
    const absent = await page.goto(room.node.url);
    expect(absent?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('authentication required');
    const wrong = await page.goto(`${room.node.url}?launch=not-a-code`);
    expect(wrong?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('invalid launch code');
    await context.close();
  });
});

describe('displays', () => {
  let viewerPath: string;

  beforeAll(async () => {
    const dir = join(room.work, 'study');
    mkdirSync(dir);
    const series = generateCtSeries({ dir, count: 2, rows: 32, cols: 32, patientName: 'Phantom^Displays' });
    await room.send(dir);
    viewerPath = `/view/${series.studyUid}`;
    await openStudy(room.page, series.studyUid);
    await room.page.locator('.overlay-image').waitFor();
  });

  it('lists only its own screen without the Window Management permission', async () => {
    const { page } = room;
    await page.getByRole('button', { name: 'Displays' }).click();
    await expect.poll(() => page.locator('.display-list button:not(.full-screen)').count()).toBe(1);
    expect(await page.locator('.display-note').innerText()).toContain('Only one display is known');
    await page.getByRole('button', { name: 'Displays' }).click();
  });

  it('puts its window full screen on request, and back', async () => {
    const { page } = room;
    const isFullScreen = () => page.evaluate(() => (globalThis as unknown as { document: { fullscreenElement: unknown } }).document.fullscreenElement !== null);
    await page.getByRole('button', { name: 'Displays' }).click();
    await page.getByRole('menuitem', { name: 'Full screen on this display' }).click();
    await expect.poll(isFullScreen).toBe(true);
    await page.getByRole('button', { name: 'Displays' }).click();
    await page.getByRole('menuitem', { name: 'Leave full screen' }).click();
    await expect.poll(isFullScreen).toBe(false);
  });

  it('opens the study in a window on a second screen', async () => {
    const { page, browser } = room;
    const origin = new URL(room.node.url).origin;
    const pageSession = await page.context().newCDPSession(page);
    // Playwright's own grantPermissions does not know this permission; CDP does, per browser context.
    const { targetInfo } = await pageSession.send('Target.getTargetInfo');
    const browserSession = await browser.newBrowserCDPSession();
    await browserSession.send('Browser.grantPermissions', { origin, browserContextId: targetInfo.browserContextId, permissions: ['windowManagement'] });
    // Experimental CDP method, not in Playwright's protocol types.
    await pageSession.send('Emulation.addScreen' as never, { left: 1920, top: 0, width: 1280, height: 1024, label: 'Reading 2' } as never);
    // The page asks for the screens once: a reload asks again, now allowed.
    await page.reload();
    await page.locator('.overlay-image').waitFor();
    await page.getByRole('button', { name: 'Displays' }).click();
    await expect.poll(() => page.locator('.display-list button:not(.full-screen)').count()).toBe(2);
    const second = page.getByRole('menuitem', { name: /Reading 2/ });
    expect(await second.innerText()).toContain('1280×1024');
    const [popup] = await Promise.all([page.context().waitForEvent('page'), second.click()]);
    await popup.waitForLoadState();
    expect(new URL(popup.url()).pathname).toBe(viewerPath);
    await expect.poll(() => popup.locator('.overlay-image').first().innerText(), { timeout: 15_000 }).toBe('Im 1/2');
    expect(room.problems).toEqual([]);
  });
});

describe('a lost session', () => {
  it('says the page is no longer signed in instead of showing empty lists', async () => {
    const { page } = room;
    await page.goto(room.node.url);
    await page.getByRole('search').waitFor();
    await page.context().clearCookies();
    await page.locator('.filter-bar [name="name"]').fill('doe');
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('Not signed in to this Viewbox node');
    expect(await page.getByRole('alert').innerText()).toContain('authentication required');
  });
});
