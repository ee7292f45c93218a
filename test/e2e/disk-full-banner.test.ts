/**
 * The reading room on a node whose disk is full: a banner says the
 * workstation cannot receive studies, the worklist still shows what is held,
 * and the banner is gone once space is freed. The data folder is on a small
 * tmpfs (needs root and `mount`; otherwise the test is skipped and says why).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { storescu } from '../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../helpers/peers/viewbox.js';
import { tempDir } from '../helpers/tmp.js';
import { fillDisk, mountSmallDisk, unmountSmallDisk } from '../helpers/small-disk.js';
import { launchChromium } from './harness/chromium.js';
import { assertRendererBuilt } from './harness/reading-room.js';

const BANNER = 'Disk full: this workstation cannot receive studies';

let work: Awaited<ReturnType<typeof tempDir>>;
let mountPoint = '';
let mountError = '';
let node: Viewbox | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  assertRendererBuilt();
  work = await tempDir('viewbox-e2e-banner-');
  ({ path: mountPoint, error: mountError } = mountSmallDisk(join(work.path, 'tmpfs'), '8m'));
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await node?.stop().catch(() => undefined);
  if (!mountError) unmountSmallDisk(mountPoint);
  await work.cleanup();
});


describe('reading room on a full disk', () => {
  it('shows a banner while the node cannot receive studies, and the worklist still reads', { timeout: 90_000 }, async (ctx) => {
    if (mountError) {
      console.warn(`SKIPPED disk-full banner test: cannot mount a tmpfs (${mountError})`);
      ctx.skip();
    }
    const held = join(work.path, 'held');
    const late = join(work.path, 'late');
    mkdirSync(held);
    mkdirSync(late);
    generateCtSeries({ dir: held, count: 2, rows: 64, cols: 64, patientName: 'Held^Study', patientId: 'HELD-1' });
    generateCtSeries({ dir: late, count: 1, rows: 64, cols: 64, patientName: 'Late^Study', patientId: 'LATE-1' });
    node = await startViewbox({ dataDir: join(mountPoint, 'data') });
    const sent = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: held });
    expect(sent.stored).toHaveLength(2);

    const ballast = join(mountPoint, 'ballast');
    fillDisk(ballast);
    const refused = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: late });
    expect(refused.results.map((r) => r.detail)).toEqual(['Refused: OutOfResources']);

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1000, height: 600 }, deviceScaleFactor: 1 });
    await page.goto(node.launchUrl);
    const banner = page.getByRole('alert').filter({ hasText: BANNER });
    await banner.waitFor();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'HELD-1' }).count()).toBe(1);
    await page.screenshot({ path: join(work.path, 'disk-full-banner.png') });
    if (process.env.VIEWBOX_KEEP_SCREENSHOT) await page.screenshot({ path: process.env.VIEWBOX_KEEP_SCREENSHOT });

    // Space freed: the next status the page reads has no banner.
    rmSync(ballast);
    await page.reload();
    await page.getByRole('row').filter({ hasText: 'HELD-1' }).waitFor();
    expect(await page.getByText(BANNER).count()).toBe(0);
  });
});
