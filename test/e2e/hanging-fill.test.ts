/**
 * Hangings as a radiologist meets them with the built-in protocols: an MR
 * brain with only a T1 gets the T1 on the whole screen (no empty panes, no
 * engine words); a CT chest without a prior opens without a dead pane; the
 * reading room opens the protocol and stage `viewbox protocols explain`
 * names, with and without a prior; the protocol's lung window reaches the
 * coronal MPR pane. The engine's reasons stay in the editor's preview; a
 * viewport a protocol keeps empty says what is missing in clinical words.
 * Screenshots (VIEWBOX_HANGING_SCREENSHOTS=DIR) at 1920×1080 and 2560×1440.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HangingProtocol, ProtocolResult } from '../../shared/hanging-protocols/types.js';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { writeVolumeFixture } from '../fixtures/volumes/volume-fixtures.js';
import { repoRoot, viewboxBin } from '../helpers/peers/viewbox.js';
import { run } from '../helpers/run.js';
import { viewportPane, type CanvasLike } from './harness/canvas.js';
import { sendChestCtWithPrior } from './harness/chest-ct-pair.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';
import { screenshotsAtBothSizes } from './harness/screenshots.js';

let room: ReadingRoom;
const studies: Record<'mrBrain' | 'chestAlone' | 'chestWithPrior' | 'pydicomCt', string> = { mrBrain: '', chestAlone: '', chestWithPrior: '', pydicomCt: '' };
/** pydicom's CT_small: one CT image described "e+1", which only the fallback protocol hangs. */
const PYDICOM_CT = { file: '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm', studyUid: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322' };
const CT_IMAGES = 12;
/** Words of the engine that a reader must never see. */
const ENGINE_WORDS = /selector|minScore|score \d|display set|matchIndex|prior-\d|viewport/i;

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 1600, height: 900 } });
  const brain = await writeVolumeFixture('ch2-t1-brain', room.work);
  await room.send(brain.dir);
  studies.mrBrain = brain.studyUid!;
  const alone = join(room.work, 'chest-alone');
  mkdirSync(alone);
  const chest = [
    { tag: 0x00081030, vr: 'LO', value: 'CT Chest without contrast' },
    { tag: 0x00180015, vr: 'CS', value: 'CHEST' },
  ];
  studies.chestAlone = generateCtSeries({ dir: alone, count: CT_IMAGES, rows: 32, cols: 32, studyDate: '20240501', patientId: 'VBX-HF1', patientName: 'Phantom^Alone', overrides: chest }).studyUid;
  await room.send(alone);
  studies.chestWithPrior = (await sendChestCtWithPrior(room, { patientId: 'VBX-HF2', patientName: 'Phantom^Pair', images: CT_IMAGES })).current;
  const corpus = join(room.work, 'pydicom');
  mkdirSync(corpus);
  copyFileSync(PYDICOM_CT.file, join(corpus, basename(PYDICOM_CT.file)));
  await room.send(corpus);
  studies.pydicomCt = PYDICOM_CT.studyUid;
}, 120_000);
afterAll(() => room?.close());

async function open(page: Page, studyUid: string): Promise<void> {
  if (page.url().includes('/view/')) {
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => !url.pathname.startsWith('/view/'));
  }
  await openStudy(page, studyUid);
  await page.locator('.hanging-stage').waitFor();
  await viewportPane(page, 0).locator('canvas').first().waitFor();
}

/** What `viewbox protocols explain --json` answers for the study, on the node's own data folder. */
async function explain(studyUid: string): Promise<ProtocolResult> {
  const env = { PATH: process.env.PATH, HOME: room.work, VIEWBOX_MACHINE_CONFIG: '/nonexistent/viewbox-machine-config.json' };
  const r = await run(process.execPath, [viewboxBin, 'protocols', 'explain', studyUid, '--data', room.node.data, '--json'], { env, cwd: repoRoot, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`viewbox protocols explain ${studyUid}: exit ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout) as ProtocolResult;
}

/** The part of the viewer area the drawn image covers: height and width of the lit pixels' box over the grid's. */
function imageShareOfViewer(page: Page): Promise<{ height: number; width: number }> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { getBoundingClientRect(): { width: number; height: number } } & { querySelector(s: string): CanvasLike | null } } }).document;
    const grid = doc.querySelector('.viewport-grid').getBoundingClientRect();
    const canvas = doc.querySelector('.viewport-grid').querySelector('.viewport canvas')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let [top, bottom, left, right] = [canvas.height, -1, canvas.width, -1];
    for (let y = 0; y < canvas.height; y++) {
      for (let x = 0; x < canvas.width; x++) {
        const i = (y * canvas.width + x) * 4;
        if (data[i]! + data[i + 1]! + data[i + 2]! <= 45) continue;
        [top, bottom, left, right] = [Math.min(top, y), Math.max(bottom, y), Math.min(left, x), Math.max(right, x)];
      }
    }
    const css = canvas.getBoundingClientRect().width / canvas.width;
    return { height: ((bottom - top + 1) * css) / grid.height, width: ((right - left + 1) * css) / grid.width };
  });
}

const paneCount = (page: Page) => page.locator('.viewport-grid > .viewport').count();
const screenshots = (name: string) => screenshotsAtBothSizes(room.page, process.env.VIEWBOX_HANGING_SCREENSHOTS, `hanging-${name}`);

describe('hangings without dead panes', () => {
  it('hangs an MR brain with one T1 series as the T1 alone, filling the viewer, without engine words', async () => {
    const { page } = room;
    await open(page, studies.mrBrain);
    expect(await page.locator('.hanging-protocol').innerText()).toBe('MR brain');
    await expect.poll(() => paneCount(page)).toBe(1);
    await expect.poll(() => viewportPane(page, 0).locator('.overlay-image').innerText().catch(() => '')).toMatch(/^Im \d+\/181$/);
    const share = await imageShareOfViewer(page);
    expect(share.height, 'the T1 is drawn over most of the viewer height').toBeGreaterThan(0.8);
    expect(await page.locator('body').innerText()).not.toMatch(ENGINE_WORDS);
    await screenshots('mr-brain-t1-only');
  });

  it('opens a CT chest without a prior with every pane showing an image', async () => {
    const { page } = room;
    await open(page, studies.chestAlone);
    await expect.poll(() => page.locator('.viewport-grid > .viewport').evaluateAll((panes) => panes.map((p) => (p as unknown as { dataset: { state?: string } }).dataset.state ?? 'stack'))).not.toContain('empty');
    expect(await page.locator('.viewport-empty').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toMatch(ENGINE_WORDS);
    await screenshots('ct-chest-alone');
  });
});

describe('the reading room and explain agree', () => {
  for (const name of ['mrBrain', 'chestAlone', 'chestWithPrior', 'pydicomCt'] as const) {
    it(`opens ${name} on the protocol and stage explain names`, async () => {
      const { page } = room;
      const answer = await explain(studies[name]);
      await open(page, studies[name]);
      const stage = answer.stages[answer.initialStage]!;
      expect(await page.locator('.hanging-protocol').innerText()).toBe(answer.winner!.name);
      // The stage as it settles: a late answer must not move it.
      await page.waitForTimeout(500);
      expect(await page.locator('.hanging-stage').innerText()).toBe(`${stage.name} (${answer.initialStage + 1}/${answer.stages.length})`);
      expect(await paneCount(page)).toBe(stage.screens[0]!.viewports.length);
      if (name === 'pydicomCt') await screenshots('pydicom-ct-small');
    });
  }
});

describe('the protocol window on MPR panes', () => {
  it('shows the coronal MPR of the CT chest in the lung window the protocol asks for', async () => {
    const { page } = room;
    await open(page, studies.chestWithPrior);
    const coronal = page.locator('.viewport[data-mode="mpr-coronal"]');
    await expect.poll(() => coronal.getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    await expect.poll(() => coronal.locator('.mpr-plane-coronal .overlay-window').innerText(), { timeout: 15_000 }).toBe('W 1500 L -600');
    await screenshots('ct-chest-with-prior');
  });
});

describe('empty viewports the protocol keeps, and where the reasons went', () => {
  it("the editor's preview still lists the dropped viewports with the engine's reasons", async () => {
    const { page } = room;
    await open(page, studies.mrBrain);
    await page.keyboard.press('Shift+E');
    const rows = page.locator('.protocol-editor .protocol-preview tbody tr');
    await expect.poll(() => rows.count()).toBe(6);
    const t2 = rows.filter({ has: page.locator('td:nth-child(3)', { hasText: /^t2$/ }) });
    expect(await t2.locator('td').nth(3).innerText()).toBe('— (dropped: nothing to show)');
    expect(await t2.locator('td').nth(4).innerText()).toMatch(/^no display set matches selector "t2": series 3 "T1 3D axial 1 mm \(ch2\)" /);
    await page.locator('.protocol-editor button[title^="Close the editor"]').click();
    await expect.poll(() => page.locator('.protocol-editor').count()).toBe(0);
  });

  it('a viewport kept empty tells the reader, in clinical words, which prior is missing', async () => {
    const { page } = room;
    const protocol = JSON.parse(readFileSync(join(repoRoot, 'resources', 'hanging-protocols', 'ct-chest-prior.json'), 'utf8')) as HangingProtocol;
    protocol.id = 'ct-chest-keep';
    protocol.name = 'CT chest, prior place kept';
    protocol.match.push({ attribute: 'studyDescription', operator: 'contains', value: 'without contrast', weight: 10 });
    const comparison = protocol.stages[0]!;
    delete comparison.requires;
    comparison.screens[0]!.viewports[1]!.whenEmpty = 'keep';
    const saved = await page.evaluate(async (text) => (await fetch('/api/protocols/ct-chest-keep', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: text })).status, JSON.stringify(protocol));
    expect(saved).toBe(200);
    await open(page, studies.chestAlone);
    await expect.poll(() => page.locator('.hanging-protocol').innerText()).toBe('CT chest, prior place kept');
    await expect.poll(() => paneCount(page)).toBe(3);
    // No PACS is configured for searching here: the node is all that was looked at.
    expect(await viewportPane(page, 1).locator('.viewport-empty').innerText()).toBe('No prior CT chest on this node');
    expect(await page.locator('body').innerText()).not.toMatch(ENGINE_WORDS);
    await screenshots('ct-chest-alone-prior-kept');
    expect(room.problems).toEqual([]);
  });
});
