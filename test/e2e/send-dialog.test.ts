/**
 * Send… from the worklist, as a reader does it: select a study, Send…, pick
 * the PACS (a real Orthanc) among the destinations (an AI engine marked),
 * Send; the dialog says what was queued in plain words and the study
 * arrives at Orthanc byte for byte. Then the same study routed by a rule
 * chosen in the dialog: the node's job for it delivers every image.
 * Screenshots at 1920×1080 and 2560×1440 go to VIEWBOX_SEND_SCREENSHOTS (a folder), when set.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../shared/api/jobs.js';
import type { RoutingFile } from '../../shared/routing/rules.js';
import { generateCtSeries, type GeneratedSeries } from '../fixtures/ct-series.js';
import { startOrthanc, type Orthanc } from '../helpers/peers/orthanc.js';
import { tempDir } from '../helpers/tmp.js';
import { byteMismatches, waitForOrthancCount } from '../integration/routing/routing-harness.js';
import { screenshotsAtBothSizes } from './harness/screenshots.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

const IMAGES = 4;
const RULE_DESCRIPTION = 'Copy to the PACS on request';

let config: Awaited<ReturnType<typeof tempDir>>;
let orthanc: Orthanc;
let room: ReadingRoom;
let series: GeneratedSeries;

beforeAll(async () => {
  config = await tempDir('viewbox-e2e-send-');
  orthanc = await startOrthanc({ aet: 'PACS' });
  const routing: RoutingFile = {
    rules: [
      { id: 'pacs-on-request', description: RULE_DESCRIPTION, priority: 'high', match: { Modality: 'CT' }, trigger: { on: 'manual' }, actions: [{ forward: ['PACS'] }] },
      { id: 'not-now', enabled: false, match: {}, trigger: { on: 'manual' }, actions: [{ forward: ['PACS'] }] },
    ],
  };
  const rulesFile = join(config.path, 'routing.json');
  writeFileSync(rulesFile, JSON.stringify(routing));
  const configFile = join(config.path, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      nodes: [{ name: 'PACS', aet: orthanc.aet, host: '127.0.0.1', port: orthanc.dicomPort, allow: [] }],
      // Listed in the dialog, marked as an AI engine; never sent to here.
      dicomwebNodes: [{ name: 'LUNG-AI', url: 'http://127.0.0.1:9/dicom-web', aiEngine: true }],
      routing: { rulesFile },
    }),
  );
  room = await openReadingRoom({ viewport: { width: 1920, height: 1080 }, serveArgs: ['--config', configFile] });
  const dir = join(room.work, 'study');
  mkdirSync(dir);
  series = generateCtSeries({ dir, count: IMAGES, rows: 64, cols: 64, patientName: 'Brown^Sarah', patientId: 'SEND-1' });
  await room.send(dir);
}, 90_000);

afterAll(async () => {
  await room?.close();
  await orthanc?.stop();
  await config?.cleanup();
});

const screenshots = (name: string) => screenshotsAtBothSizes(room.page, process.env.VIEWBOX_SEND_SCREENSHOTS, `send-${name}`);

describe('Send… in the worklist', () => {
  it('sends the selected study to the PACS chosen in the dialog', { timeout: 120_000 }, async () => {
    const { page } = room;
    const sendButton = page.getByRole('button', { name: 'Send…' });
    await page.locator(`tr[data-study-uid="${series.studyUid}"]`).waitFor({ timeout: 15_000 });
    expect(await sendButton.isDisabled()).toBe(true);
    await page.locator(`tr[data-study-uid="${series.studyUid}"]`).click();
    await sendButton.click();

    const dialog = page.getByRole('dialog', { name: 'Send studies' });
    expect(await dialog.getByRole('heading').textContent()).toBe('Send Brown, Sarah — Synthetic phantom CT');
    await expect.poll(() => dialog.getByRole('radio').count()).toBe(3);
    expect(await dialog.locator('.send-choice').allTextContents()).toEqual(['PACS', 'LUNG-AI · AI engine · DICOMweb', `${RULE_DESCRIPTION} — to PACS · High`]);
    await dialog.getByRole('radio', { name: 'PACS', exact: true }).check();
    await screenshots('choose');
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('1 study queued for PACS — see Send queue.');

    await waitForOrthancCount(orthanc.url, IMAGES, 30_000);
    const { mismatched } = await byteMismatches(orthanc.url, join(room.work, 'data'), series.files.map((f) => f.sopInstanceUid));
    expect(mismatched).toEqual([]);
    await screenshots('queued');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('routes the study by the rule chosen in the dialog', { timeout: 60_000 }, async () => {
    const { page } = room;
    await page.getByRole('button', { name: 'Send…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send studies' });
    await dialog.getByRole('radio', { name: new RegExp(`^${RULE_DESCRIPTION}`) }).check();
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe(`1 study queued by the rule "${RULE_DESCRIPTION}" — see Send queue.`);
    const routeJob = async () => {
      const jobs = (await (await fetch(`${room.node.url}api/jobs`, { headers: { authorization: `Bearer ${room.node.token}` } })).json()) as JobInfo[];
      const job = jobs.find((j) => j.title === `Route study ${series.studyUid} by rule pacs-on-request`);
      return job && [job.state, job.progress.completed, job.progress.failed];
    };
    await expect.poll(routeJob, { timeout: 30_000 }).toEqual(['done', IMAGES, 0]);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('sends from the viewer\'s tool bar too, and Esc closes the dialog, not the viewer', { timeout: 60_000 }, async () => {
    const { page } = room;
    await openStudy(page, series.studyUid);
    await page.getByRole('toolbar', { name: 'Viewer tools' }).getByRole('button', { name: 'Send…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send studies' });
    expect(await dialog.getByRole('heading').textContent()).toBe('Send Brown, Sarah — Synthetic phantom CT');
    await dialog.getByRole('radio', { name: 'PACS', exact: true }).check();
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('1 study queued for PACS — see Send queue.');
    await screenshots('viewer');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.getByRole('toolbar', { name: 'Viewer tools' }).count()).toBe(1);
    expect(room.problems).toEqual([]);
  });
});
