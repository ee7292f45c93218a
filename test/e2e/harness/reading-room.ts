/**
 * One running node (the built `viewbox serve` on a temp data folder) and one
 * Chromium page on its launch URL: what a user gets when they start Viewbox.
 * Studies come in as they would from a modality, through storescu.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { repoRoot, startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { tempDir } from '../../helpers/tmp.js';
import { launchChromium } from './chromium.js';

export interface ReadingRoom {
  node: Viewbox;
  browser: Browser;
  page: Page;
  /** Folder for fixtures of this test file (removed on close). */
  work: string;
  /** The ready line's `url?launch=CODE`: valid once. */
  launchUrl: string;
  /** Browser console errors and page errors so far (a failed test prints them). */
  problems: string[];
  /** Send a folder of Part 10 files to the node with storescu; throws unless every file was stored. */
  send(dir: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a study in the viewer as the app does when a row is opened (an
 * in-app route change, no page load): Cornerstone stays initialised, which
 * keeps the tests fast. `page.goto` of the same address gives the same view.
 */
export async function openStudy(page: Page, studyUid: string): Promise<void> {
  await page.evaluate((path) => {
    const w = globalThis as unknown as { history: { pushState(state: null, title: string, url: string): void }; dispatchEvent(event: unknown): boolean; PopStateEvent: new (type: string) => unknown };
    w.history.pushState(null, '', path);
    w.dispatchEvent(new w.PopStateEvent('popstate'));
  }, `/view/${studyUid}`);
}

export function assertRendererBuilt(): void {
  const index = join(repoRoot, 'dist', 'renderer', 'index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing: run npm run build before the browser tests`);
}

/** `serveArgs`: more `viewbox serve` flags (`--config FILE`, `--dicom-port N`). */
export async function openReadingRoom(options: { viewport?: { width: number; height: number }; openLaunchUrl?: boolean; serveArgs?: string[] } = {}): Promise<ReadingRoom> {
  assertRendererBuilt();
  const { viewport = { width: 1000, height: 700 }, openLaunchUrl = true, serveArgs = [] } = options;
  const work = await tempDir('viewbox-e2e-');
  const [node, browser] = await Promise.all([startViewbox({ dataDir: join(work.path, 'data'), args: serveArgs }), launchChromium()]);
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    // Failed requests are reported below, with their URL.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    // A thumbnail the node cannot render is shown as a placeholder: not a problem.
    if (response.status() >= 400 && !new URL(response.url()).pathname.endsWith('/thumbnail')) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.stack ?? error.message}`));
  const { launchUrl } = node;
  if (openLaunchUrl) await page.goto(launchUrl);
  return {
    node,
    browser,
    page,
    work: work.path,
    launchUrl,
    problems,
    async send(dir) {
      const sent = await storescu({ port: node.dicomPort, calledAet: node.aet, dir });
      const failed = sent.results.filter((r) => r.outcome !== 'success');
      if (sent.code !== 0 || failed.length > 0) throw new Error(`storescu to ${node.aet}: ${failed.map((f) => `${f.file}: ${f.detail}`).join('; ')}\n${sent.log}`);
    },
    async close() {
      await browser.close().catch(() => undefined);
      await node.stop().catch(() => undefined);
      await work.cleanup();
    },
  };
}
