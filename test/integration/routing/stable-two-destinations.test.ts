/**
 * A series-stable rule forwarding to two destinations, one of them down for
 * a while: nothing goes while the series still grows; once it has been quiet
 * for the rule's seconds, the whole series goes to both, and the one that
 * was down gets it when it comes up.
 */
import { mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { freePort } from '../../helpers/net.js';
import { startStorescp, type Storescp } from '../../helpers/peers/storescp.js';
import { storescu } from '../../helpers/peers/storescu.js';
import type { Viewbox } from '../../helpers/peers/viewbox.js';
import { waitFor } from '../../helpers/peers/wait.js';
import { tempDir } from '../../helpers/tmp.js';
import { dimseNode, NODE_AET, orthancCount, queueOf, restartableOrthanc, startNode, waitForOrthancCount, writeNodeSetup, type RestartableOrthanc } from './routing-harness.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let orthanc: RestartableOrthanc;
let backup: Storescp | undefined;
let backupPort: number;
let node: Viewbox | undefined;
let series: GeneratedSeries;

beforeAll(async () => {
  home = await tempDir('viewbox-route-stable-');
  mkdirSync(join(home.path, 'series'));
  series = generateCtSeries({ dir: join(home.path, 'series'), count: 10, rows: 64, cols: 64, patientName: 'Stable^Series' });
  orthanc = await restartableOrthanc(home.path);
  await orthanc.start();
  backupPort = await freePort();
  const setup = await writeNodeSetup(home.path, {
    nodes: [dimseNode('pacs', orthanc.aet, orthanc.dicomPort), dimseNode('backup', 'BACKUP', backupPort)],
    rules: [{ id: 'stable-copy', match: { Modality: 'CT' }, trigger: { on: 'series-stable', seconds: 2 }, actions: [{ forward: ['pacs', 'backup'] }] }],
  });
  node = await startNode(setup);
}, 60_000);

afterAll(async () => {
  await node?.stop();
  await backup?.stop();
  await orthanc?.stop();
  await home?.cleanup();
});

describe('a series-stable rule with two destinations, one down', () => {
  it('waits for the series to stop growing, then sends all of it to both', { timeout: 90_000 }, async () => {
    const files = series.files.map((f) => f.path);
    expect((await storescu({ port: node!.dicomPort, calledAet: NODE_AET, files: files.slice(0, 5) })).stored).toHaveLength(5);
    await sleep(1_000);
    expect((await storescu({ port: node!.dicomPort, calledAet: NODE_AET, files: files.slice(5) })).stored).toHaveLength(5);
    const lastReceived = Date.now();
    // Had the first burst's wait not been pushed back, its 5 images would be at Orthanc by now.
    await sleep(1_300);
    expect(await orthancCount(orthanc.url)).toBe(0);

    await waitForOrthancCount(orthanc.url, 10, 20_000);
    expect(Date.now() - lastReceived).toBeGreaterThanOrEqual(2_000);
    await waitFor('failing sends to the backup', async () => {
      const summary = (await queueOf(node!)).destinations.find((d) => d.destination === 'backup');
      return (summary?.failing ?? 0) === 10;
    }, 20_000, 100);
    expect((await queueOf(node!)).destinations.find((d) => d.destination === 'backup')!.lastError?.message).toMatch(/backup/);

    backup = await startStorescp({ aet: 'BACKUP', port: backupPort, bitPreserving: true });
    await waitFor('the series at the backup', async () => (await readdir(backup!.dir)).length >= 10, 30_000, 100);
    expect((await readdir(backup.dir)).length).toBe(10);
    expect(await orthancCount(orthanc.url)).toBe(10);
  });
});
