/**
 * A PACS that dies in the middle of a C-GET: the operation rejects with an
 * error that names the node and says what happened, and the instances that
 * were committed before stay in the archive, complete.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { get } from '../../../main/dicom/scu/get.js';
import { ScuConnectionError } from '../../../main/dicom/scu/scu-error.js';
import { store } from '../../../main/dicom/scu/store.js';
import { silentLogger } from '../../../main/log.js';
import { openArchive, type Archive } from '../../../main/store/archive.js';
import { CT_IMAGE_STORAGE, generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { splitPart10 } from '../../fixtures/part10-split.js';
import { EXPLICIT_VR_LE } from '../../fixtures/part10-writer.js';
import { startOrthanc, type Orthanc } from '../../helpers/peers/orthanc.js';
import { tempDir } from '../../helpers/tmp.js';
import { testPeer } from './scu-peer.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let orthanc: Orthanc;
let archive: Archive;
let source: GeneratedSeries;

beforeAll(async () => {
  home = await tempDir('viewbox-scu-loss-');
  orthanc = await startOrthanc({ modalities: [{ name: 'viewbox', aet: 'VIEWBOX', host: '127.0.0.1', port: 1 }] });
  archive = await openArchive({ dataDir: join(home.path, 'data'), duplicates: 'keep-first', maxObjectBytes: 1 << 30, logger: silentLogger });
  const dir = join(home.path, 'source');
  mkdirSync(dir);
  source = generateCtSeries({ dir, count: 30 });
  const instances = source.files.map((f) => ({ path: f.path, sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: f.sopInstanceUid, transferSyntaxUid: EXPLICIT_VR_LE }));
  const results = await store(testPeer({ aet: orthanc.aet, port: orthanc.dicomPort }), { instances });
  expect(results.every((r) => r.outcome === 'completed')).toBe(true);
}, 60_000);

afterAll(async () => {
  await archive?.close();
  await orthanc?.stop();
  await home?.cleanup();
});

it('rejects with a clear error when the peer is killed mid-C-GET; what was committed stays', async () => {
  const client = testPeer({ aet: orthanc.aet, port: orthanc.dicomPort, name: 'pacs' });
  let received = 0;
  const outcome = await get(client, {
    level: 'SERIES',
    keys: { '0020000D': { vr: 'UI', Value: [source.studyUid] }, '0020000E': { vr: 'UI', Value: [source.seriesUid] } },
    sink: archive,
    onInstance: () => {
      if (++received === 2) orthanc.service.child.kill('SIGKILL');
    },
  }).catch((error: unknown) => error);
  expect(outcome).toBeInstanceOf(ScuConnectionError);
  const message = (outcome as Error).message;
  expect(message).toMatch(/^node "pacs" \(ORTHANC at 127\.0\.0\.1:\d+\): connection closed by the peer during C-GET/);
  expect(message).toMatch(/\d+ instance\(s\) received before that stay in the archive/);
  const rows = archive.index.listInstances({ seriesUid: source.seriesUid });
  expect(rows.length).toBeGreaterThanOrEqual(2);
  expect(rows.length).toBeLessThan(30);
  for (const row of rows) {
    const original = source.files.find((f) => f.sopInstanceUid === row.sopInstanceUid)!;
    const ours = splitPart10(await readFile(join(archive.dataDir, row.path))).dataset;
    expect(Buffer.from(ours).equals(Buffer.from(splitPart10(await readFile(original.path)).dataset))).toBe(true);
  }
});
