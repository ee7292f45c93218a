/**
 * An instance sent by a real modality (DCMTK storescu) into the node's DICOM
 * listener comes back over WADO-RS with the dataset bytes it was sent with
 * (the File Meta of a network-received instance is ours), and its metadata
 * and frames are there without any further step.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileMeta } from '../../../shared/dicom/file-meta.js';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { tempDir } from '../../helpers/tmp.js';
import { boundaryOf, splitMultipart, startDicomWeb, type DicomWebHarness } from './dicomweb-harness.js';
import { nativePixelData } from './dicom-parser-oracle.js';

let work: { path: string; cleanup: () => Promise<void> };
let web: DicomWebHarness;
let ct: GeneratedSeries;
const CT_SMALL = join(pydicomTestFiles, 'CT_small.dcm');

const datasetOf = (bytes: Uint8Array) => Buffer.from(bytes.subarray(readFileMeta(bytes)!.datasetOffset));

beforeAll(async () => {
  work = await tempDir('viewbox-wado-scu-');
  const dir = join(work.path, 'sent');
  await mkdir(dir);
  ct = generateCtSeries({ dir, count: 3, rows: 64, cols: 64 });
  web = await startDicomWeb(join(work.path, 'data'), { dimse: true });
  // Explicit VR Little Endian only, so storescu sends the files' datasets unchanged.
  const sent = await storescu({ port: web.dicomPort!, calledAet: web.aet, files: [...ct.files.map((f) => f.path), CT_SMALL], extraArgs: ['-xe'] });
  expect(sent.results.map((r) => r.outcome)).toEqual(['success', 'success', 'success', 'success']);
});

afterAll(async () => {
  await web?.close();
  await work?.cleanup();
});

it('retrieves what storescu sent: the same dataset bytes, with our File Meta', async () => {
  const response = await web.get(`/studies/${ct.studyUid}`, 'multipart/related; type="application/dicom"; transfer-syntax=*');
  expect(response.status).toBe(200);
  const parts = splitMultipart(new Uint8Array(await response.arrayBuffer()), boundaryOf(response.headers.get('content-type')));
  expect(parts).toHaveLength(3);
  for (const [i, part] of parts.entries()) {
    const meta = readFileMeta(part.bytes)!.meta;
    expect(meta.mediaStorageSopInstanceUid).toBe(ct.files[i]!.sopInstanceUid);
    expect(meta.sourceApplicationEntityTitle).toBe('STORESCU');
    expect(datasetOf(part.bytes).equals(datasetOf(await readFile(ct.files[i]!.path)))).toBe(true);
  }
});

it('serves a real CT sent by storescu: the instance, its metadata and its frame', async () => {
  const sentBytes = await readFile(CT_SMALL);
  const row = web.archive.index.getInstance('1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322')!;
  const base = `/studies/${row.studyUid}/series/${row.seriesUid}/instances/${row.sopInstanceUid}`;
  const instance = await web.get(base, 'application/dicom');
  const received = datasetOf(new Uint8Array(await instance.arrayBuffer()));
  // storescu sends the file's dataset without its Data Set Trailing Padding (FFFC,FFFC): all else arrives as it is in the file.
  const file = datasetOf(sentBytes);
  expect(received.equals(file.subarray(0, received.length))).toBe(true);
  expect(file.subarray(received.length, received.length + 4).toString('hex')).toBe('fcfffcff');
  const [metadata] = (await (await web.get(`${base}/metadata`)).json()) as DicomJsonDataset[];
  expect(metadata!['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'CompressedSamples^CT1' }] });
  const frame = await web.get(`${base}/frames/1`);
  const [part] = splitMultipart(new Uint8Array(await frame.arrayBuffer()), boundaryOf(frame.headers.get('content-type')));
  expect(part!.bytes.equals(nativePixelData(CT_SMALL))).toBe(true);
});
