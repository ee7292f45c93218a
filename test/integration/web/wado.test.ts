/**
 * WADO-RS against a running server over a real archive: instances byte for
 * byte with exact multipart framing, metadata from the index with absolute
 * BulkDataURIs, bulk data limited to listed ranges, frames native and
 * compressed (checked with dicom-parser), rendered images and thumbnails,
 * and the 404/406 answers naming what is wrong.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decode as decodeJpeg } from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { readFileMeta } from '../../../shared/dicom/file-meta.js';
import { parseDataset } from '../../../shared/dicom/dataset-parser.js';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { generateMultiframe, type GeneratedMultiframe } from '../../fixtures/multiframe.js';
import { pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { tempDir } from '../../helpers/tmp.js';
import { boundaryOf, splitMultipart, startDicomWeb, storePart10, type DicomWebHarness } from './dicomweb-harness.js';
import { encapsulatedFrames, nativePixelData } from './dicom-parser-oracle.js';

const corpus = (name: string) => join(pydicomTestFiles, name);
const JPEG_LS = corpus('MR_small_jpeg_ls_lossless.dcm');
const RLE_2FRAME = corpus('SC_rgb_rle_2frame.dcm');
const RLE_15FRAME = corpus('rtdose_rle.dcm');
const JPEG_BASELINE = corpus('SC_rgb_jpeg_dcmtk.dcm');
const DEFLATED = corpus('image_dfl.dcm');
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

let work: { path: string; cleanup: () => Promise<void> };
let web: DicomWebHarness;
let ct: GeneratedSeries;
let mf: GeneratedMultiframe;
/** Corpus file -> its study/series/instance UIDs in the archive. */
const held = new Map<string, { studyUid: string; seriesUid: string; sopInstanceUid: string; path: string }>();

const instancePath = (uids: { studyUid: string; seriesUid: string; sopInstanceUid: string }) =>
  `/studies/${uids.studyUid}/series/${uids.seriesUid}/instances/${uids.sopInstanceUid}`;

async function bodyOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

async function errorOf(response: Response): Promise<string> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return ((await response.json()) as { error: string }).error;
}

beforeAll(async () => {
  work = await tempDir('viewbox-wado-');
  const fixtures = join(work.path, 'fixtures');
  await mkdir(fixtures);
  ct = generateCtSeries({ dir: fixtures, count: 5, rows: 64, cols: 64 });
  mf = await generateMultiframe({ path: join(fixtures, 'mf.dcm'), frames: 6, rows: 16, cols: 24 });
  web = await startDicomWeb(join(work.path, 'data'));
  for (const file of ct.files) await storePart10(web.archive, file.path);
  for (const path of [mf.path, JPEG_LS, RLE_2FRAME, RLE_15FRAME, JPEG_BASELINE, DEFLATED]) {
    const outcome = await storePart10(web.archive, path);
    const row = web.archive.index.getInstance(outcome.sopInstanceUid)!;
    held.set(path, { studyUid: row.studyUid, seriesUid: row.seriesUid, sopInstanceUid: row.sopInstanceUid, path: join(web.archive.dataDir, row.path) });
  }
});

afterAll(async () => {
  await web?.close();
  await work?.cleanup();
});

describe('instances', () => {
  it('retrieves a series as multipart/related, each part the stored file byte for byte, framed exactly', async () => {
    const response = await web.get(`/studies/${ct.studyUid}/series/${ct.seriesUid}`, 'multipart/related; type="application/dicom"');
    expect(response.status).toBe(200);
    const contentType = response.headers.get('content-type')!;
    expect(contentType).toMatch(/^multipart\/related; type="application\/dicom"; boundary=[0-9a-f]{32}$/);
    const boundary = boundaryOf(contentType);
    const body = Buffer.from(await bodyOf(response));
    // Framing: first delimiter at byte 0, CRLF before each later delimiter, close delimiter and CRLF at the end.
    expect(body.subarray(0, boundary.length + 4).toString()).toBe(`--${boundary}\r\n`);
    expect(body.subarray(body.length - boundary.length - 8).toString()).toBe(`\r\n--${boundary}--\r\n`);
    const parts = splitMultipart(body, boundary);
    expect(parts).toHaveLength(5);
    const rows = web.archive.index.listInstances({ seriesUid: ct.seriesUid });
    for (const [i, part] of parts.entries()) {
      expect(part.headers).toEqual({ 'content-type': `application/dicom; transfer-syntax=${EXPLICIT_LE}` });
      expect(part.bytes.equals(await readFile(join(web.archive.dataDir, rows[i]!.path)))).toBe(true);
      // The dataset is the one the modality sent (the File Meta of a received instance is ours).
      const sent = await readFile(ct.files[i]!.path);
      expect(part.bytes.subarray(readFileMeta(part.bytes)!.datasetOffset).equals(sent.subarray(readFileMeta(sent)!.datasetOffset))).toBe(true);
    }
  });

  it('retrieves a study and one instance; a bare application/dicom gets the single file', async () => {
    const study = await web.get(`/studies/${ct.studyUid}`);
    expect(splitMultipart(await bodyOf(study), boundaryOf(study.headers.get('content-type')))).toHaveLength(5);
    const one = held.get(JPEG_LS)!;
    const single = await web.get(instancePath(one), 'application/dicom');
    expect(single.headers.get('content-type')).toBe('application/dicom; transfer-syntax=1.2.840.10008.1.2.4.80');
    expect(Buffer.from(await bodyOf(single)).equals(await readFile(one.path))).toBe(true);
  });

  it('answers 404 naming the UID that is not there, or not where the path says', async () => {
    const missing = await web.get('/studies/1.2.3.4.5');
    expect(missing.status).toBe(404);
    expect(await errorOf(missing)).toContain('study 1.2.3.4.5 is not in the archive');
    const elsewhere = held.get(JPEG_LS)!;
    const wrong = await web.get(`/studies/${ct.studyUid}/series/${ct.seriesUid}/instances/${elsewhere.sopInstanceUid}`);
    expect(wrong.status).toBe(404);
    expect(await errorOf(wrong)).toContain(`instance ${elsewhere.sopInstanceUid} is not in series ${ct.seriesUid}`);
  });

  it('answers 406 for a transfer syntax it cannot produce, naming the instance and what it can do', async () => {
    const response = await web.get(`/studies/${ct.studyUid}`, 'multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.50');
    expect(response.status).toBe(406);
    const error = await errorOf(response);
    expect(error).toContain(ct.files[0]!.sopInstanceUid);
    expect(error).toContain('transfer-syntax=*');
    expect((await web.get(`/studies/${ct.studyUid}`, 'application/dicom+json')).status).toBe(406);
  });

  it('converts a compressed instance to Explicit VR Little Endian when that syntax is asked for', async () => {
    const one = held.get(JPEG_LS)!;
    const response = await web.get(instancePath(one), `multipart/related; type="application/dicom"; transfer-syntax=${EXPLICIT_LE}`);
    expect(response.status).toBe(200);
    const [part] = splitMultipart(await bodyOf(response), boundaryOf(response.headers.get('content-type')));
    expect(part!.headers['content-type']).toBe(`application/dicom; transfer-syntax=${EXPLICIT_LE}`);
    const found = readFileMeta(part!.bytes)!;
    expect(found.meta.transferSyntaxUid).toBe(EXPLICIT_LE);
    expect(found.meta.mediaStorageSopInstanceUid).toBe(one.sopInstanceUid);
    // MR_small.dcm is the same image uncompressed: the decoded Pixel Data must equal it.
    const json = parseDataset(part!.bytes.subarray(found.datasetOffset), { transferSyntaxUid: EXPLICIT_LE, baseOffset: found.datasetOffset });
    const [, offset, length] = /^bulk\/(\d+)\/(\d+)$/.exec(json['7FE00010']!.BulkDataURI!)!.map(Number);
    expect(Buffer.from(part!.bytes.subarray(offset, offset! + length!)).equals(nativePixelData(corpus('MR_small.dcm')))).toBe(true);
  });
});

describe('metadata and bulk data', () => {
  it('gives a series as a JSON array from the index, with absolute BulkDataURIs', async () => {
    const response = await web.get(`/studies/${ct.studyUid}/series/${ct.seriesUid}/metadata`, 'application/dicom+json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/dicom+json');
    const metadata = (await response.json()) as DicomJsonDataset[];
    expect(metadata.map((m) => m['00080018']?.Value?.[0])).toEqual(ct.files.map((f) => f.sopInstanceUid));
    const first = metadata[0]!;
    const instance = `${web.base}/studies/${ct.studyUid}/series/${ct.seriesUid}/instances/${ct.files[0]!.sopInstanceUid}`;
    expect(first['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: `${instance}/frames` });
    expect(first).toEqual(expect.objectContaining({ '0020000D': { vr: 'UI', Value: [ct.studyUid] } }));
  });

  it('serves a listed bulk data range and refuses any other range', async () => {
    const one = held.get(mf.path)!;
    const json = web.archive.index.getInstanceJson(one.sopInstanceUid)!;
    const reference = json['7FE00010']!.BulkDataURI!;
    const [, offset, length] = /^bulk\/(\d+)\/(\d+)$/.exec(reference)!.map(Number);
    const file = await readFile(one.path);

    const url = `${instancePath(one)}/${reference}`;
    const response = await web.get(url);
    expect(response.headers.get('content-type')).toMatch(/^multipart\/related; type="application\/octet-stream"; boundary=/);
    const [part] = splitMultipart(await bodyOf(response), boundaryOf(response.headers.get('content-type')));
    expect(part!.headers).toEqual({ 'content-type': 'application/octet-stream', 'content-location': `${web.base}${url}` });
    expect(part!.bytes.equals(file.subarray(offset, offset! + length!))).toBe(true);

    const bare = await web.get(url, 'application/octet-stream');
    expect(bare.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await bodyOf(bare)).equals(file.subarray(offset, offset! + length!))).toBe(true);

    const arbitrary = await web.get(`${instancePath(one)}/bulk/0/132`);
    expect(arbitrary.status).toBe(404);
    expect(await errorOf(arbitrary)).toContain(`instance ${one.sopInstanceUid} has no bulk data at bulk/0/132`);
  });

  it('says why bulk data and frames of a deflated instance are not served', async () => {
    const one = held.get(DEFLATED)!;
    const reference = web.archive.index.getInstanceJson(one.sopInstanceUid)!['7FE00010']!.BulkDataURI!;
    const bulk = await web.get(`${instancePath(one)}/${reference}`);
    expect(bulk.status).toBe(501);
    expect(await errorOf(bulk)).toContain('stored deflated');
    expect((await web.get(`${instancePath(one)}/frames/1`)).status).toBe(501);
  });
});

describe('frames', () => {
  it('gives native frames N as the slices of Pixel Data, in the order asked', async () => {
    const one = held.get(mf.path)!;
    const pixels = nativePixelData(mf.path);
    const frameBytes = 16 * 24 * 2;
    const response = await web.get(`${instancePath(one)}/frames/5,2`, 'multipart/related; type="application/octet-stream"');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^multipart\/related; type="application\/octet-stream"; boundary=[0-9a-f]{32}$/);
    const parts = splitMultipart(await bodyOf(response), boundaryOf(response.headers.get('content-type')));
    expect(parts.map((p) => p.headers['content-type'])).toEqual([`application/octet-stream; transfer-syntax=${EXPLICIT_LE}`, `application/octet-stream; transfer-syntax=${EXPLICIT_LE}`]);
    expect(parts[0]!.bytes.equals(pixels.subarray(4 * frameBytes, 5 * frameBytes))).toBe(true);
    expect(parts[1]!.bytes.equals(pixels.subarray(1 * frameBytes, 2 * frameBytes))).toBe(true);
    // The metadata's Pixel Data URI (all frames) gives every frame.
    const all = await web.get(`${instancePath(one)}/frames`);
    expect(splitMultipart(await bodyOf(all), boundaryOf(all.headers.get('content-type')))).toHaveLength(6);
  });

  it('answers 404 naming a frame past the last, 400 for a list that is not numbers', async () => {
    const one = held.get(mf.path)!;
    const response = await web.get(`${instancePath(one)}/frames/2,9`);
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toContain(`frame 9 of instance ${one.sopInstanceUid} does not exist: it has 6 frames`);
    expect((await web.get(`${instancePath(one)}/frames/0`)).status).toBe(400);
  });

  it('gives compressed frames in the stored syntax equal to the fragment bytes', async () => {
    for (const [file, accept] of [
      [RLE_15FRAME, 'multipart/related; type="application/octet-stream"; transfer-syntax=*'],
      [RLE_2FRAME, 'multipart/related; type="image/x-dicom-rle"; transfer-syntax=1.2.840.10008.1.2.5'],
      [JPEG_LS, 'multipart/related; type="image/jls"'],
    ] as const) {
      const one = held.get(file)!;
      const expected = encapsulatedFrames(file);
      const list = expected.map((_, i) => i + 1).join(',');
      const response = await web.get(`${instancePath(one)}/frames/${list}`, accept);
      expect(response.status, file).toBe(200);
      const parts = splitMultipart(await bodyOf(response), boundaryOf(response.headers.get('content-type')));
      expect(parts).toHaveLength(expected.length);
      parts.forEach((part, i) => expect(part.bytes.equals(expected[i]!), `${file} frame ${i + 1}`).toBe(true));
      expect(parts[0]!.headers['content-type']).toMatch(/; transfer-syntax=1\.2\.840\.10008\.1\.2\.(5|4\.80)$/);
    }
  });

  it('decodes a compressed frame when uncompressed is asked for, and refuses a syntax it cannot produce', async () => {
    const one = held.get(JPEG_LS)!;
    const response = await web.get(`${instancePath(one)}/frames/1`, 'multipart/related; type="application/octet-stream"');
    const [part] = splitMultipart(await bodyOf(response), boundaryOf(response.headers.get('content-type')));
    expect(part!.headers['content-type']).toBe(`application/octet-stream; transfer-syntax=${EXPLICIT_LE}`);
    expect(part!.bytes.equals(nativePixelData(corpus('MR_small.dcm')))).toBe(true);

    const refused = await web.get(`${instancePath(one)}/frames/1`, 'multipart/related; type="image/jp2"; transfer-syntax=1.2.840.10008.1.2.4.90');
    expect(refused.status).toBe(406);
    expect(await errorOf(refused)).toContain('stored in JPEG-LS Lossless');
  });
});

describe('rendered and thumbnails', () => {
  it('renders an instance as JPEG by default and PNG on request, with viewport and window', async () => {
    const one = held.get(JPEG_BASELINE)!;
    const jpeg = await web.get(`${instancePath(one)}/rendered?viewport=50,50`);
    expect(jpeg.status).toBe(200);
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    const image = decodeJpeg(await bodyOf(jpeg));
    expect([image.width, image.height]).toEqual([50, 50]);

    const ctPath = `/studies/${ct.studyUid}/series/${ct.seriesUid}/instances/${ct.files[2]!.sopInstanceUid}`;
    const png = await web.get(`${ctPath}/frames/1/rendered?window=40,400`, 'image/png');
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await bodyOf(png));
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([64, 64]);

    expect((await web.get(`${ctPath}/rendered`, 'image/gif')).status).toBe(406);
    const badWindow = await web.get(`${ctPath}/rendered?window=40,400,sigmoid`);
    expect(badWindow.status).toBe(400);
    expect(await errorOf(badWindow)).toContain('sigmoid');
  });

  it('makes series and study thumbnails from the middle image, 128 pixels unless asked', async () => {
    const series = await web.get(`/studies/${ct.studyUid}/series/${ct.seriesUid}/thumbnail`);
    expect(series.status).toBe(200);
    const bytes = Buffer.from(await bodyOf(series));
    const thumb = decodeJpeg(bytes);
    expect([thumb.width, thumb.height]).toEqual([128, 128]);
    // Rendering is deterministic: the series thumbnail is the middle (3rd of 5) instance's thumbnail.
    const middle = await web.get(`/studies/${ct.studyUid}/series/${ct.seriesUid}/instances/${ct.files[2]!.sopInstanceUid}/thumbnail`);
    expect(Buffer.from(await bodyOf(middle)).equals(bytes)).toBe(true);
    const study = await web.get(`/studies/${ct.studyUid}/thumbnail?viewport=32,32`);
    expect(decodeJpeg(await bodyOf(study)).width).toBe(32);
  });
});
