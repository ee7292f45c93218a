/**
 * The SCU operations against Orthanc as the remote PACS: echo, store (what
 * Orthanc holds is what we sent), find at several levels on a few patients,
 * C-GET into an archive and C-MOVE to our own DICOM listener, both
 * byte-exact against Orthanc's files, a cancelled C-MOVE, a move to an AE
 * Orthanc does not know, and an association rejected for a wrong called AE.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echo } from '../../../main/dicom/scu/echo.js';
import { find } from '../../../main/dicom/scu/find.js';
import { get } from '../../../main/dicom/scu/get.js';
import { move } from '../../../main/dicom/scu/move.js';
import type { RetrieveProgress } from '../../../main/dicom/scu/retrieve-result.js';
import { AssociationRejectedError } from '../../../main/dicom/scu/scu-error.js';
import { store, type StoreInstanceResult } from '../../../main/dicom/scu/store.js';
import { DicomServer } from '../../../main/dicom/scp/server.js';
import { silentLogger } from '../../../main/log.js';
import { openArchive, type Archive } from '../../../main/store/archive.js';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { CT_IMAGE_STORAGE, generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { splitPart10 } from '../../fixtures/part10-split.js';
import { EXPLICIT_VR_LE } from '../../fixtures/part10-writer.js';
import { startOrthanc, type Orthanc } from '../../helpers/peers/orthanc.js';
import { tempDir } from '../../helpers/tmp.js';
import { testPeer, type TestPeer } from './scu-peer.js';

const limits = { maxAssociations: 8, maxPduLength: 65536, artimTimeoutSeconds: 10, idleTimeoutSeconds: 10, maxObjectBytes: 1 << 30 };

let home: Awaited<ReturnType<typeof tempDir>>;
let orthanc: Orthanc;
let receiver: { server: DicomServer; archive: Archive; port: number };
let getArchive: Archive;
let client: TestPeer;
let stored: StoreInstanceResult[];
const series: Record<'jane' | 'john' | 'hans' | 'big', GeneratedSeries> = {} as never;

beforeAll(async () => {
  home = await tempDir('viewbox-scu-orthanc-');
  const moveArchive = await openArchive({ dataDir: join(home.path, 'moved'), duplicates: 'keep-first', maxObjectBytes: limits.maxObjectBytes, logger: silentLogger });
  const server = new DicomServer({ aet: 'VIEWBOX', host: '127.0.0.1', port: 0, limits, acceptUnknownCallers: true, nodes: [], sink: moveArchive, logger: silentLogger });
  receiver = { server, archive: moveArchive, port: await server.listen() };
  getArchive = await openArchive({ dataDir: join(home.path, 'got'), duplicates: 'keep-first', maxObjectBytes: limits.maxObjectBytes, logger: silentLogger });
  orthanc = await startOrthanc({ modalities: [{ name: 'viewbox', aet: 'VIEWBOX', host: '127.0.0.1', port: receiver.port }], config: { DicomCheckCalledAet: true } });
  const dir = (name: string) => mkdirSync(join(home.path, 'source', name), { recursive: true })!;
  series.jane = generateCtSeries({ dir: dir('jane'), count: 3, rows: 64, cols: 64, patientName: 'Doe^Jane', patientId: 'PID-1', studyDate: '20200615' });
  series.john = generateCtSeries({ dir: dir('john'), count: 2, rows: 64, cols: 64, patientName: 'Doe^John', patientId: 'PID-2', studyDate: '20190101' });
  series.hans = generateCtSeries({ dir: dir('hans'), count: 2, rows: 64, cols: 64, patientName: 'Müller^Hans', patientId: 'PID-3', studyDate: '20210301' });
  series.big = generateCtSeries({ dir: dir('big'), count: 40, rows: 256, cols: 256, patientName: 'Big^Series', patientId: 'PID-4', studyDate: '20220101' });
  client = testPeer({ aet: orthanc.aet, port: orthanc.dicomPort, name: 'orthanc' }, { limits: { maxPduLength: 65536 } });
  const instances = Object.values(series).flatMap((s) => s.files.map((f) => ({ path: f.path, sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: f.sopInstanceUid, transferSyntaxUid: EXPLICIT_VR_LE })));
  stored = await store(client, { instances });
}, 60_000);

afterAll(async () => {
  await receiver?.server.close(0);
  await receiver?.archive.close();
  await getArchive?.close();
  await orthanc?.stop();
  await home?.cleanup();
});

/** The dataset bytes of the file Orthanc holds for `sopInstanceUid`. */
async function orthancDataset(sopInstanceUid: string): Promise<Buffer> {
  const lookup = (await (await fetch(`${orthanc.url}/tools/lookup`, { method: 'POST', body: sopInstanceUid })).json()) as Array<{ ID: string; Type: string }>;
  const id = lookup.find((r) => r.Type === 'Instance')?.ID;
  if (!id) throw new Error(`Orthanc does not hold ${sopInstanceUid}`);
  const file = Buffer.from(await (await fetch(`${orthanc.url}/instances/${id}/file`)).arrayBuffer());
  return Buffer.from(splitPart10(file).dataset);
}

const datasetOf = async (path: string) => Buffer.from(splitPart10(await readFile(path), path).dataset);
const first = (answer: DicomJsonDataset, tag: string) => answer[tag]?.Value?.[0];

/** What arrived in `archive` for a series equals Orthanc's copy and our source file, byte for byte. */
async function expectSameBytes(archive: Archive, source: GeneratedSeries): Promise<void> {
  const rows = archive.index.listInstances({ seriesUid: source.seriesUid });
  expect(rows.map((r) => r.sopInstanceUid).sort()).toEqual(source.files.map((f) => f.sopInstanceUid).sort());
  for (const file of source.files) {
    const row = rows.find((r) => r.sopInstanceUid === file.sopInstanceUid)!;
    const ours = await datasetOf(join(archive.dataDir, row.path));
    expect(ours.equals(await orthancDataset(file.sopInstanceUid)), file.sopInstanceUid).toBe(true);
    expect(ours.equals(await datasetOf(file.path)), file.sopInstanceUid).toBe(true);
  }
}

describe('SCU against Orthanc', () => {
  it('echoes', async () => {
    expect(await echo(client)).toBeGreaterThan(0);
  });

  it('stored every instance, and Orthanc holds exactly the bytes sent', async () => {
    expect(stored.filter((r) => r.outcome !== 'completed')).toEqual([]);
    expect(stored).toHaveLength(47);
    for (const file of series.jane.files) expect((await orthancDataset(file.sopInstanceUid)).equals(await datasetOf(file.path))).toBe(true);
  });

  it('finds studies of several patients, patients, series and images', async () => {
    const studies = await find(client, { level: 'STUDY', keys: { '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe*' }] }, '0020000D': { vr: 'UI' }, '00080020': { vr: 'DA' }, '00100020': { vr: 'LO' } } });
    expect(studies.map((s) => first(s, '00100020')).sort()).toEqual(['PID-1', 'PID-2']);
    expect(studies.find((s) => first(s, '00100020') === 'PID-1')?.['0020000D']?.Value).toEqual([series.jane.studyUid]);
    const ranged = await find(client, { level: 'STUDY', keys: { '00080020': { vr: 'DA', Value: ['20200101-'] }, '0020000D': { vr: 'UI' } } });
    expect(ranged.map((s) => first(s, '0020000D')).sort()).toEqual([series.jane.studyUid, series.hans.studyUid, series.big.studyUid].sort());
    const patients = await find(client, { level: 'PATIENT', keys: { '00100010': { vr: 'PN' }, '00100020': { vr: 'LO' } } });
    expect(patients.map((p) => first(p, '00100010'))).toContainEqual({ Alphabetic: 'Müller^Hans' });
    expect(patients).toHaveLength(4);
    const seriesAnswers = await find(client, { level: 'SERIES', keys: { '0020000D': { vr: 'UI', Value: [series.jane.studyUid] }, '0020000E': { vr: 'UI' }, '00080060': { vr: 'CS' } } });
    expect(seriesAnswers.map((s) => [first(s, '0020000E'), first(s, '00080060')])).toEqual([[series.jane.seriesUid, 'CT']]);
    const images = await find(client, { level: 'IMAGE', keys: { '0020000D': { vr: 'UI', Value: [series.jane.studyUid] }, '0020000E': { vr: 'UI', Value: [series.jane.seriesUid] }, '00080018': { vr: 'UI' } } });
    expect(images.map((i) => first(i, '00080018')).sort()).toEqual(series.jane.files.map((f) => f.sopInstanceUid).sort());
  });

  it('retrieves a study by C-GET into the archive, byte-exact', async () => {
    const progress: RetrieveProgress[] = [];
    const result = await get(client, { level: 'STUDY', keys: { '0020000D': { vr: 'UI', Value: [series.jane.studyUid] } }, sink: getArchive, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ status: 0, completed: 3, failed: 0, warning: 0, stored: 3, cancelled: false, failedSopInstanceUids: [] });
    expect(result.error).toBeUndefined();
    expect(progress.map((p) => p.remaining)).toEqual([2, 1, 0]); // Orthanc sends a Pending after every sub-operation
    await expectSameBytes(getArchive, series.jane);
  });

  it('retrieves a series by C-MOVE to our listener, byte-exact', async () => {
    const progress: RetrieveProgress[] = [];
    const keys = { '0020000D': { vr: 'UI', Value: [series.john.studyUid] }, '0020000E': { vr: 'UI', Value: [series.john.seriesUid] } };
    const result = await move(client, { level: 'SERIES', keys, destination: 'VIEWBOX', onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ status: 0, completed: 2, failed: 0, cancelled: false });
    expect(progress.at(-1)).toMatchObject({ remaining: 1, completed: 1 });
    await expectSameBytes(receiver.archive, series.john);
  });

  it('a C-MOVE to an AE Orthanc does not know fails with the status in words', async () => {
    const result = await move(client, { level: 'STUDY', keys: { '0020000D': { vr: 'UI', Value: [series.hans.studyUid] } }, destination: 'NOWHERE' });
    // Orthanc 1.10 answers an unknown destination with C000 rather than A801.
    expect(result.error).toMatch(/node "orthanc" \(ORTHANC at 127\.0\.0\.1:\d+\): C-MOVE failed with status 0xC000 \(unable to process\)/);
    expect(result.completed).toBe(0);
  });

  it('cancels a C-MOVE part-way: C-CANCEL, then the final response with the counts so far', async () => {
    const controller = new AbortController();
    const result = await move(client, {
      level: 'STUDY',
      keys: { '0020000D': { vr: 'UI', Value: [series.big.studyUid] } },
      destination: 'VIEWBOX',
      signal: controller.signal,
      onProgress: (p) => {
        if (p.completed >= 2) controller.abort();
      },
    });
    expect(result.cancelled).toBe(true);
    expect(result.status).toBe(0xfe00);
    expect(result.completed).toBeGreaterThanOrEqual(2);
    expect(result.completed).toBeLessThan(40);
    expect(client.lines.some((l) => l.msg === 'sending C-CANCEL')).toBe(true);
    // What arrived is complete and stays.
    expect(receiver.archive.index.listInstances({ seriesUid: series.big.seriesUid }).length).toBeGreaterThanOrEqual(2);
  });

  it('reports a rejection for a wrong called AE title with the reason', async () => {
    const wrong = testPeer({ aet: 'NOT-ORTHANC', port: orthanc.dicomPort, name: 'orthanc' });
    const error = await echo(wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssociationRejectedError);
    expect((error as Error).message).toMatch(/node "orthanc" \(NOT-ORTHANC at 127\.0\.0\.1:\d+\): association rejected permanently by the service user: called AE title not recognised/);
  });
});
