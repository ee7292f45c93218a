/**
 * The send-queue panel as a reader sees it: a routing rule forwards each CT
 * image to a PACS that is down; the status bar says how many are failing,
 * in the warning colour; the panel names the destination with the error the
 * node met; Retry now sends them again at once (they are then given up, as
 * configured), and Retry on the images not sent puts them back in the queue.
 * Every change shows without a reload (the node's 'queue' events).
 * VIEWBOX_QUEUE_SCREENSHOTS=DIR keeps screenshots at 1920×1080 and 2560×1440.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { DOWN_NODE, writeForwardToDownNode, type DownNodeSetup } from '../fixtures/forward-to-down-node.js';
import { tempDir } from '../helpers/tmp.js';
import { screenshotsAtBothSizes } from './harness/screenshots.js';
import { openReadingRoom, type ReadingRoom } from './harness/reading-room.js';

const IMAGES = 3;
/** The warning colour of the stylesheet (--warn). */
const WARN = 'rgb(229, 163, 59)';

let config: Awaited<ReturnType<typeof tempDir>>;
let down: DownNodeSetup;
let room: ReadingRoom;

beforeAll(async () => {
  config = await tempDir('viewbox-e2e-queue-');
  down = await writeForwardToDownNode(config.path, { maxAttempts: 2, retryInitialSeconds: 120 });
  room = await openReadingRoom({ viewport: { width: 1920, height: 1080 }, serveArgs: down.args });
}, 60_000);

afterAll(async () => {
  await room?.close();
  await config?.cleanup();
});

const screenshots = (name: string) => screenshotsAtBothSizes(room.page, process.env.VIEWBOX_QUEUE_SCREENSHOTS, `queue-${name}`);

/** A count of the destination's card ("Failing", "Not sent"...), as shown. */
function count(card: Locator, label: string): Locator {
  return card.locator('.queue-count').filter({ has: card.page().locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
}

describe('send-queue panel', () => {
  it('shows the failing destination with its error, and Retry puts images not sent back in the queue', { timeout: 120_000 }, async () => {
    const { page } = room;
    const study = join(room.work, 'study');
    mkdirSync(study);
    generateCtSeries({ dir: study, count: IMAGES, rows: 64, cols: 64, patientName: 'Queue^Quentin', patientId: 'QUEUE-1' });
    await room.send(study);

    // The status bar, without a reload: "Send queue  3 failing", in the warning colour.
    const button = page.getByRole('button', { name: /Send queue/ });
    await expect.poll(() => button.textContent(), { timeout: 20_000 }).toBe(`Send queue${IMAGES} failing`);
    expect(await button.locator('.queue-badge').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor)).toBe(WARN);

    await button.click();
    const panel = page.getByRole('dialog', { name: 'Send queue' });
    const card = panel.getByRole('article', { name: DOWN_NODE });
    await expect.poll(() => card.locator('.queue-health').textContent()).toBe('Failing');
    expect(await count(card, 'Failing').textContent()).toBe(String(IMAGES));
    expect(await count(card, 'Not sent').textContent()).toBe('0');
    const error = (await card.locator('.queue-error').textContent())!;
    expect(error).toMatch(/^Last error at \d\d:\d\d:\d\d: /);
    expect(error).toContain(`127.0.0.1:${down.downPort}`);
    expect(await card.locator('.queue-next').textContent()).toMatch(/^Next try at \d\d:\d\d:\d\d$/);
    const row = panel.getByRole('row').filter({ hasText: 'QUEUE-1' });
    expect(await row.locator('td').allTextContents()).toEqual([DOWN_NODE, 'Queue, QuentinQUEUE-1', 'Synthetic phantom CT', '0', '0', String(IMAGES), '0', '0', '', 'STAT', 'Rule ct-to-pacs', expect.stringContaining(String(down.downPort)), '']);
    await screenshots('failing');

    // Retry now: the second and last attempt, at once rather than in two minutes; then they are not sent.
    await card.getByRole('button', { name: 'Retry now' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toBe(`${IMAGES} images to ${DOWN_NODE} will be tried now.`);
    await expect.poll(() => card.locator('.queue-health').textContent(), { timeout: 20_000 }).toBe('Images not sent');
    expect(await count(card, 'Not sent').textContent()).toBe(String(IMAGES));
    expect(await count(card, 'Failing').textContent()).toBe('0');
    await expect.poll(() => button.textContent()).toBe(`Send queue${IMAGES} not sent`);
    await screenshots('not-sent');

    // Retry on the images not sent: back in the queue, tried again, failing again (not given up).
    await card.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toBe(`${IMAGES} images to ${DOWN_NODE} are back in the queue.`);
    await expect.poll(() => count(card, 'Not sent').textContent(), { timeout: 20_000 }).toBe('0');
    await expect.poll(() => count(card, 'Failing').textContent(), { timeout: 20_000 }).toBe(String(IMAGES));
    await expect.poll(() => button.textContent()).toBe(`Send queue${IMAGES} failing`);
    expect(await card.getByRole('button', { name: 'Retry', exact: true }).count()).toBe(0);

    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    expect(room.problems).toEqual([]);
  });
});
