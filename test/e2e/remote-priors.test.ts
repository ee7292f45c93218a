/**
 * A prior the hanging protocol wants and only the PACS holds: opening the
 * study finds it on the PACS (Orthanc, C-FIND through the node), retrieves it
 * (C-MOVE job), and hangs it beside the current study when it arrives.
 */
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { freePort } from '../helpers/net.js';
import { startOrthanc, type Orthanc } from '../helpers/peers/orthanc.js';
import { storescu } from '../helpers/peers/storescu.js';
import { viewportPane } from './harness/canvas.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

let orthanc: Orthanc;
let room: ReadingRoom;
const studies: Record<string, string> = {};

beforeAll(async () => {
  const dicomPort = await freePort();
  orthanc = await startOrthanc({ aet: 'PACS', modalities: [{ name: 'viewbox', aet: 'VIEWBOX', host: '127.0.0.1', port: dicomPort }] });
  const configDir = join(orthanc.storageDir, '..', 'viewbox-config');
  mkdirSync(configDir);
  const config = join(configDir, 'config.json');
  await writeFile(config, JSON.stringify({ aet: 'VIEWBOX', nodes: [{ name: 'pacs', aet: 'PACS', host: '127.0.0.1', port: orthanc.dicomPort, allow: ['store'], search: true }] }));
  room = await openReadingRoom({ viewport: { width: 1200, height: 700 }, serveArgs: ['--config', config, '--dicom-port', String(dicomPort)] });
  for (const [label, date, port, aet] of [
    ['current', '20240301', room.node.dicomPort, room.node.aet],
    ['prior', '20230301', orthanc.dicomPort, 'PACS'],
    // Another patient's chest CT on the PACS: never a prior of this one.
    ['other', '20231001', orthanc.dicomPort, 'PACS'],
  ] as const) {
    const dir = join(room.work, label);
    mkdirSync(dir);
    const overrides = [
      { tag: 0x00081030, vr: 'LO', value: 'CT Chest' },
      { tag: 0x00180015, vr: 'CS', value: 'CHEST' },
    ];
    studies[label] = generateCtSeries({ dir, count: 12, rows: 32, cols: 32, studyDate: date, patientId: label === 'other' ? 'VBX-OTHER' : 'VBX-REMOTE', patientName: 'Phantom^Remote', overrides }).studyUid;
    const sent = await storescu({ port, calledAet: aet, dir });
    expect(sent.results.every((r) => r.outcome === 'success')).toBe(true);
  }
}, 60_000);

afterAll(async () => {
  await room?.close();
  await orthanc?.stop();
});

describe('priors from a PACS', () => {
  it('retrieves the prior the protocol wants and hangs it beside the current study', async () => {
    const { page } = room;
    await openStudy(page, studies.current!);
    await page.locator('.hanging-protocol').waitFor();
    expect(await page.locator('.hanging-protocol').innerText()).toBe('CT chest with prior');
    await expect.poll(() => viewportPane(page, 1).locator('.overlay-prior').innerText().catch(() => ''), { timeout: 30_000 }).toBe('PRIOR');
    expect(await viewportPane(page, 1).locator('.overlay-study').innerText()).toContain('2023-03-01');
    expect(await page.locator('.hanging-stage').innerText()).toBe('Current vs prior (1/2)');
    expect(await page.locator('.hanging-missing').count()).toBe(0);
    // Only the prior came: the other patient's study stayed on the PACS.
    const held = (await (await fetch(new URL('/api/studies', room.node.url), { headers: { authorization: `Bearer ${room.node.token}` } })).json()) as Array<{ studyUid: string }>;
    expect(held.map((s) => s.studyUid).sort()).toEqual([studies.current, studies.prior].sort());
    expect(room.problems).toEqual([]);
  });
});
