/**
 * A rule that forwards each instance as received, with Orthanc as the
 * destination: what storescu sends us arrives at Orthanc byte for byte;
 * Orthanc stopped mid-queue and started again still gets everything, and the
 * queue shows the failures meanwhile.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
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
  type RestartableOrthanc,
} from './routing-harness.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let orthanc: RestartableOrthanc;
let node: Viewbox | undefined;
let first: GeneratedSeries;
let second: GeneratedSeries;

beforeAll(async () => {
  home = await tempDir('viewbox-route-orthanc-');
  mkdirSync(join(home.path, 'first'));
  mkdirSync(join(home.path, 'second'));
  first = generateCtSeries({ dir: join(home.path, 'first'), count: 20, rows: 128, cols: 128, patientName: 'Route^First' });
  second = generateCtSeries({ dir: join(home.path, 'second'), count: 12, rows: 128, cols: 128, patientName: 'Route^Second' });
  orthanc = await restartableOrthanc(home.path);
  await orthanc.start();
  const setup = await writeNodeSetup(home.path, { nodes: [dimseNode('pacs', orthanc.aet, orthanc.dicomPort)], rules: [forwardEach('to-pacs', ['pacs'])] });
  node = await startNode(setup);
}, 60_000);

afterAll(async () => {
  await node?.stop();
  await orthanc?.stop();
  await home?.cleanup();
});

describe('forwarding each instance to Orthanc', () => {
  it('20 images sent to the node arrive at Orthanc with the same dataset bytes', { timeout: 90_000 }, async () => {
    const sent = await storescu({ port: node!.dicomPort, calledAet: NODE_AET, dir: join(home.path, 'first') });
    expect(sent.stored).toHaveLength(20);
    await waitForOrthancCount(orthanc.url, 20);
    expect(await byteMismatches(orthanc.url, join(home.path, 'data'), first.files.map((f) => f.sopInstanceUid))).toEqual({ checked: 20, mismatched: [] });
    const queue = await queueOf(node!);
    const pacs = queue.destinations.find((d) => d.destination === 'pacs')!;
    expect(pacs).toMatchObject({ pending: 0, inFlight: 0, dead: 0, doneRecently: 20 });
  });

  it('Orthanc stopped mid-queue: the queue shows the failures, and once it is back everything arrives', { timeout: 120_000 }, async () => {
    await orthanc.stop();
    const sent = await storescu({ port: node!.dicomPort, calledAet: NODE_AET, dir: join(home.path, 'second') });
    expect(sent.stored).toHaveLength(12);
    await waitFor('the queue to show failing sends at pacs', async () => {
      const pacs = (await queueOf(node!)).destinations.find((d) => d.destination === 'pacs');
      return (pacs?.failing ?? 0) > 0;
    }, 30_000, 100);
    const failing = (await queueOf(node!)).destinations.find((d) => d.destination === 'pacs')!;
    expect(failing.lastError?.message).toMatch(/pacs/);
    expect(failing.dead).toBe(0);
    const study = (await queueOf(node!)).studies.find((s) => s.studyUid === second.studyUid)!;
    expect(study.counts.pending + study.counts['in-flight']).toBeGreaterThan(0);

    await orthanc.start();
    await waitForOrthancCount(orthanc.url, 32);
    expect(await orthancCount(orthanc.url)).toBe(32);
    expect(await byteMismatches(orthanc.url, join(home.path, 'data'))).toEqual({ checked: 32, mismatched: [] });
    await waitFor('the queue to settle', async () => {
      const pacs = (await queueOf(node!)).destinations.find((d) => d.destination === 'pacs')!;
      return pacs.pending === 0 && pacs.inFlight === 0;
    }, 10_000, 100);
  });
});
