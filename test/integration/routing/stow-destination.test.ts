/** A DICOMweb destination: a rule forwards each instance by STOW-RS to Orthanc's DICOMweb plugin, byte for byte. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { startOrthanc, type Orthanc } from '../../helpers/peers/orthanc.js';
import { storescu } from '../../helpers/peers/storescu.js';
import type { Viewbox } from '../../helpers/peers/viewbox.js';
import { tempDir } from '../../helpers/tmp.js';
import { byteMismatches, forwardEach, NODE_AET, queueOf, startNode, waitForOrthancCount, writeNodeSetup, type NodeSetup } from './routing-harness.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let orthanc: Orthanc;
let node: Viewbox | undefined;
let series: GeneratedSeries;
let setup: NodeSetup;

beforeAll(async () => {
  home = await tempDir('viewbox-route-stow-');
  mkdirSync(join(home.path, 'series'));
  series = generateCtSeries({ dir: join(home.path, 'series'), count: 10, rows: 128, cols: 128, patientName: 'Stow^Route' });
  orthanc = await startOrthanc({ aet: 'WEBPACS', dicomweb: true });
  setup = await writeNodeSetup(home.path, { dicomwebNodes: [{ name: 'web', url: `${orthanc.url}/dicom-web` }], rules: [forwardEach('to-web', ['web'])] });
  node = await startNode(setup);
}, 60_000);

afterAll(async () => {
  await node?.stop();
  await orthanc?.stop();
  await home?.cleanup();
});

describe('a STOW-RS destination', () => {
  it('receives every instance with our dataset bytes', { timeout: 60_000 }, async () => {
    expect((await storescu({ port: node!.dicomPort, calledAet: NODE_AET, dir: join(home.path, 'series') })).stored).toHaveLength(10);
    await waitForOrthancCount(orthanc.url, 10, 30_000);
    expect(await byteMismatches(orthanc.url, setup.dataDir, series.files.map((f) => f.sopInstanceUid))).toEqual({ checked: 10, mismatched: [] });
    const web = (await queueOf(node!)).destinations.find((d) => d.destination === 'web')!;
    expect(web).toMatchObject({ kind: 'dicomweb', pending: 0, dead: 0, doneRecently: 10 });
  });
});
