/**
 * kill -9 the node while it delivers a queue to Orthanc, start it again on the
 * same data folder: the queue resumes and every instance we hold reaches
 * Orthanc with the same bytes (at least once: duplicates are harmless there).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../../fixtures/ct-series.js';
import { storescu } from '../../helpers/peers/storescu.js';
import type { Viewbox } from '../../helpers/peers/viewbox.js';
import { waitFor } from '../../helpers/peers/wait.js';
import { tempDir } from '../../helpers/tmp.js';
import {
  byteMismatches,
  dimseNode,
  forwardEach,
  NODE_AET,
  orthancCount,
  queueOf,
  restartableOrthanc,
  startNode,
  waitForOrthancCount,
  writeNodeSetup,
  type NodeSetup,
  type RestartableOrthanc,
} from './routing-harness.js';

const COUNT = 300;
let home: Awaited<ReturnType<typeof tempDir>>;
let orthanc: RestartableOrthanc;
let setup: NodeSetup;
const nodes: Viewbox[] = [];

beforeAll(async () => {
  home = await tempDir('viewbox-route-kill-');
  mkdirSync(join(home.path, 'series'));
  generateCtSeries({ dir: join(home.path, 'series'), count: COUNT, rows: 128, cols: 128, patientName: 'Kill^Nine' });
  orthanc = await restartableOrthanc(home.path);
  setup = await writeNodeSetup(home.path, { nodes: [dimseNode('pacs', orthanc.aet, orthanc.dicomPort)], rules: [forwardEach('to-pacs', ['pacs'])] });
}, 60_000);

afterAll(async () => {
  for (const node of nodes) await node.stop().catch(() => undefined);
  await orthanc?.stop();
  await home?.cleanup();
});

describe('kill -9 mid-delivery', () => {
  it('the queue resumes after the restart; nothing is missing at Orthanc', { timeout: 180_000 }, async () => {
    // Orthanc is down while the node receives: everything waits in the queue.
    const first = await startNode(setup);
    nodes.push(first);
    const sent = await storescu({ port: first.dicomPort, calledAet: NODE_AET, dir: join(home.path, 'series') });
    expect(sent.stored).toHaveLength(COUNT);
    await waitFor('failing sends', async () => ((await queueOf(first)).destinations[0]?.failing ?? 0) > 0, 30_000, 100);

    await orthanc.start();
    await waitFor('the first deliveries', async () => (await orthancCount(orthanc.url)) >= 10, 30_000, 10);
    await first.kill9();
    const atKill = await orthancCount(orthanc.url);
    expect(atKill, 'the node was killed before it had delivered everything').toBeLessThan(COUNT);

    const second = await startNode(setup);
    nodes.push(second);
    await waitForOrthancCount(orthanc.url, COUNT, 90_000);
    expect(await byteMismatches(orthanc.url, setup.dataDir)).toEqual({ checked: COUNT, mismatched: [] });
    await waitFor('the queue to settle', async () => {
      const pacs = (await queueOf(second)).destinations.find((d) => d.destination === 'pacs')!;
      return pacs.pending === 0 && pacs.inFlight === 0 && pacs.dead === 0;
    }, 30_000, 100);
  });
});
