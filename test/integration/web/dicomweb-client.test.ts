/**
 * A real third-party DICOMweb client, dicomweb-client (npm), against a
 * running server with bearer-token auth: metadata, instances, frames, bulk
 * data, rendered images and STOW-RS. It speaks XMLHttpRequest; Node has
 * none, so fetch-xhr.ts supplies the small part of it the client uses.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { api } from 'dicomweb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { readFileMeta } from '../../../shared/dicom/file-meta.js';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { generateMultiframe, type GeneratedMultiframe } from '../../fixtures/multiframe.js';
import { tempDir } from '../../helpers/tmp.js';
import { startDicomWeb, storePart10, type DicomWebHarness } from './dicomweb-harness.js';
import { nativePixelData } from './dicom-parser-oracle.js';
import { installFetchXhr } from './fetch-xhr.js';

let work: { path: string; cleanup: () => Promise<void> };
let web: DicomWebHarness;
/**
 * The calls this test makes, as the client's documentation describes them:
 * its shipped declarations are generated from JSDoc and mark every option as
 * required, so they cannot type a normal call.
 */
interface DicomWebClient {
  retrieveStudyMetadata(options: { studyInstanceUID: string }): Promise<DicomJsonDataset[]>;
  retrieveSeriesMetadata(options: { studyInstanceUID: string; seriesInstanceUID: string }): Promise<DicomJsonDataset[]>;
  retrieveInstanceMetadata(options: InstanceUids): Promise<DicomJsonDataset[]>;
  retrieveInstance(options: InstanceUids): Promise<ArrayBuffer>;
  retrieveSeries(options: { studyInstanceUID: string; seriesInstanceUID: string }): Promise<ArrayBuffer[]>;
  retrieveInstanceFrames(options: InstanceUids & { frameNumbers: number[] }): Promise<ArrayBuffer[]>;
  retrieveInstanceRendered(options: InstanceUids & { mediaTypes: Array<{ mediaType: string }> }): Promise<ArrayBuffer[]>;
  retrieveBulkData(options: { BulkDataURI: string }): Promise<ArrayBuffer[]>;
  storeInstances(options: { studyInstanceUID?: string; datasets: ArrayBuffer[] }): Promise<string>;
}
type InstanceUids = { studyInstanceUID: string; seriesInstanceUID: string; sopInstanceUID: string };

let client: DicomWebClient;
let stored: GeneratedSeries;
let sent: GeneratedSeries;
let mf: GeneratedMultiframe;
let mfSeriesUid: string;
let uninstall: () => void;

const datasetOf = (bytes: Uint8Array) => Buffer.from(bytes.subarray(readFileMeta(bytes)!.datasetOffset));

beforeAll(async () => {
  uninstall = installFetchXhr();
  work = await tempDir('viewbox-dwc-');
  const fixtures = join(work.path, 'fixtures');
  await mkdir(join(fixtures, 'stored'), { recursive: true });
  await mkdir(join(fixtures, 'sent'), { recursive: true });
  stored = generateCtSeries({ dir: join(fixtures, 'stored'), count: 4, rows: 32, cols: 32 });
  sent = generateCtSeries({ dir: join(fixtures, 'sent'), count: 2, rows: 32, cols: 32 });
  mf = await generateMultiframe({ path: join(fixtures, 'mf.dcm'), frames: 3, rows: 8, cols: 8 });
  web = await startDicomWeb(join(work.path, 'data'));
  for (const file of stored.files) await storePart10(web.archive, file.path);
  await storePart10(web.archive, mf.path);
  mfSeriesUid = web.archive.index.getInstance(mf.sopInstanceUid)!.seriesUid;
  client = new api.DICOMwebClient({ url: web.base, headers: web.auth, verbose: false, singlepart: false }) as unknown as DicomWebClient;
});

afterAll(async () => {
  uninstall?.();
  await web?.close();
  await work?.cleanup();
});

describe('dicomweb-client', () => {
  it('retrieves study and series metadata', async () => {
    const study = await client.retrieveStudyMetadata({ studyInstanceUID: stored.studyUid });
    expect(study.map((m) => m['00080018']?.Value?.[0]).sort()).toEqual(stored.files.map((f) => f.sopInstanceUid).sort());
    const series = await client.retrieveSeriesMetadata({ studyInstanceUID: stored.studyUid, seriesInstanceUID: stored.seriesUid });
    expect(series).toHaveLength(4);
    expect(series[0]!['7FE00010']!.BulkDataURI).toMatch(/\/frames$/);
  });

  it('retrieves an instance and a series, byte for byte', async () => {
    const file = stored.files[1]!;
    const instance = await client.retrieveInstance({ studyInstanceUID: stored.studyUid, seriesInstanceUID: stored.seriesUid, sopInstanceUID: file.sopInstanceUid });
    expect(datasetOf(new Uint8Array(instance)).equals(datasetOf(await readFile(file.path)))).toBe(true);
    const series = await client.retrieveSeries({ studyInstanceUID: stored.studyUid, seriesInstanceUID: stored.seriesUid });
    expect(series).toHaveLength(4);
    for (const [i, bytes] of series.entries()) expect(datasetOf(new Uint8Array(bytes)).equals(datasetOf(await readFile(stored.files[i]!.path)))).toBe(true);
  });

  it('retrieves frames (uncompressed by default) and the Pixel Data bulk data URI', async () => {
    const frameBytes = 8 * 8 * 2;
    const pixels = nativePixelData(mf.path);
    const frames = await client.retrieveInstanceFrames({ studyInstanceUID: mf.studyUid, seriesInstanceUID: mfSeriesUid, sopInstanceUID: mf.sopInstanceUid, frameNumbers: [3, 1] });
    expect(frames.map((f) => Buffer.from(f))).toEqual([Buffer.from(pixels.subarray(2 * frameBytes)), Buffer.from(pixels.subarray(0, frameBytes))]);
    const [metadata] = await client.retrieveInstanceMetadata({ studyInstanceUID: mf.studyUid, seriesInstanceUID: mfSeriesUid, sopInstanceUID: mf.sopInstanceUid });
    const all = await client.retrieveBulkData({ BulkDataURI: metadata!['7FE00010']!.BulkDataURI! });
    expect(Buffer.concat(all.map((f) => Buffer.from(f))).equals(Buffer.from(pixels))).toBe(true);
  });

  it('retrieves a rendered image', async () => {
    // A single-part answer comes back as a one-element array.
    const [rendered] = await client.retrieveInstanceRendered({
      studyInstanceUID: stored.studyUid,
      seriesInstanceUID: stored.seriesUid,
      sopInstanceUID: stored.files[0]!.sopInstanceUid,
      mediaTypes: [{ mediaType: 'image/png' }],
    });
    expect(Buffer.from(rendered!).subarray(1, 4).toString()).toBe('PNG');
  });

  it('stores instances (STOW-RS) that can then be retrieved', async () => {
    const datasets = await Promise.all(sent.files.map(async (f) => new Uint8Array(await readFile(f.path)).buffer));
    const response = await client.storeInstances({ studyInstanceUID: sent.studyUid, datasets });
    const answer = JSON.parse(response) as DicomJsonDataset;
    expect((answer['00081199']!.Value as DicomJsonDataset[]).map((i) => i['00081155']!.Value![0])).toEqual(sent.files.map((f) => f.sopInstanceUid));
    const back = await client.retrieveInstance({ studyInstanceUID: sent.studyUid, seriesInstanceUID: sent.seriesUid, sopInstanceUID: sent.files[1]!.sopInstanceUid });
    expect(datasetOf(new Uint8Array(back)).equals(datasetOf(await readFile(sent.files[1]!.path)))).toBe(true);
  });
});
