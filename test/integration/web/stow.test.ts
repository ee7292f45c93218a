/**
 * STOW-RS into a real archive: Part 10 files in multipart/related parts are
 * stored byte for byte (dataset as sent), the response lists what was stored
 * and what failed with PS3.18 failure reasons and a readable Warning, and
 * a wrong Content-Type is a 415 that says what is accepted.
 */
import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { readFileMeta } from '../../../shared/dicom/file-meta.js';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { generateMultiframe } from '../../fixtures/multiframe.js';
import { tempDir } from '../../helpers/tmp.js';
import { startDicomWeb, type DicomWebHarness } from './dicomweb-harness.js';

const DATA_SET_DOES_NOT_MATCH = 0xa900;
const CANNOT_UNDERSTAND = 0xc000;

let work: { path: string; cleanup: () => Promise<void> };
let web: DicomWebHarness;
let a: GeneratedSeries;
let b: GeneratedSeries;
let fixtures: string;

/** A multipart/related body framed by hand (independently of the server's writer). */
function multipart(boundary: string, parts: Array<{ type?: string; bytes: Uint8Array }>): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    pieces.push(Buffer.from(`--${boundary}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`), Buffer.from(part.bytes), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}

function post(path: string, body: NonNullable<RequestInit['body']>, contentType: string): Promise<Response> {
  return fetch(`${web.base}${path}`, { method: 'POST', body, headers: { ...web.auth, 'content-type': contentType, accept: 'application/dicom+json' }, duplex: 'half' } as RequestInit);
}

const STOW_TYPE = 'multipart/related; type="application/dicom"; boundary=XyZ';
const datasetOf = (bytes: Uint8Array) => Buffer.from(bytes.subarray(readFileMeta(bytes)!.datasetOffset));
const items = (answer: DicomJsonDataset, tag: string) => (answer[tag]?.Value ?? []) as DicomJsonDataset[];

beforeAll(async () => {
  work = await tempDir('viewbox-stow-');
  fixtures = join(work.path, 'fixtures');
  await mkdir(join(fixtures, 'a'), { recursive: true });
  await mkdir(join(fixtures, 'b'), { recursive: true });
  a = generateCtSeries({ dir: join(fixtures, 'a'), count: 3, rows: 32, cols: 32 });
  b = generateCtSeries({ dir: join(fixtures, 'b'), count: 2, rows: 32, cols: 32 });
  web = await startDicomWeb(join(work.path, 'data'));
});

afterAll(async () => {
  await web?.close();
  await work?.cleanup();
});

describe('STOW-RS', () => {
  it('stores every part and answers 200 with the Referenced SOP Sequence and retrieve URLs', async () => {
    const files = await Promise.all(a.files.map((f) => readFile(f.path)));
    const response = await post('/studies', multipart('XyZ', files.map((bytes) => ({ type: 'application/dicom', bytes }))), STOW_TYPE);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/dicom+json');
    const answer = (await response.json()) as DicomJsonDataset;
    expect(answer['00081190']).toEqual({ vr: 'UR', Value: [`${web.base}/studies/${a.studyUid}`] });
    expect(answer['00081198']).toBeUndefined();
    const referenced = items(answer, '00081199');
    expect(referenced.map((i) => i['00081155']?.Value?.[0])).toEqual(a.files.map((f) => f.sopInstanceUid));
    expect(referenced[0]!['00081150']).toEqual({ vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] });
    expect(referenced[0]!['00081190']!.Value![0]).toBe(`${web.base}/studies/${a.studyUid}/series/${a.seriesUid}/instances/${a.files[0]!.sopInstanceUid}`);
    // Stored through the archive: the dataset bytes are the ones sent.
    for (const [i, file] of a.files.entries()) {
      const row = web.archive.index.getInstance(file.sopInstanceUid)!;
      expect(row.source).toMatch(/^web:(::ffff:)?127\.0\.0\.1$/);
      expect(datasetOf(await readFile(join(web.archive.dataDir, row.path))).equals(datasetOf(files[i]!))).toBe(true);
    }
  });

  it('fails a part of another study than the URL names (202), with the reason in a Warning header', async () => {
    const target = b.studyUid;
    const good = await readFile(b.files[0]!.path);
    const other = await readFile(a.files[0]!.path);
    const response = await post(`/studies/${target}`, multipart('XyZ', [{ bytes: good }, { type: 'application/dicom', bytes: other }]), STOW_TYPE);
    expect(response.status).toBe(202);
    const answer = (await response.json()) as DicomJsonDataset;
    expect(items(answer, '00081199').map((i) => i['00081155']?.Value?.[0])).toEqual([b.files[0]!.sopInstanceUid]);
    expect(items(answer, '00081198')).toEqual([
      { '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] }, '00081155': { vr: 'UI', Value: [a.files[0]!.sopInstanceUid] }, '00081197': { vr: 'US', Value: [DATA_SET_DOES_NOT_MATCH] } },
    ]);
    expect(response.headers.get('warning')).toContain(`belongs to study ${a.studyUid}, not to study ${target}`);
  });

  it('answers 409 when nothing was stored: not DICOM, a cut-off body', async () => {
    const response = await post('/studies', multipart('XyZ', [{ type: 'application/dicom', bytes: Buffer.from('not a DICOM file at all') }]), STOW_TYPE);
    expect(response.status).toBe(409);
    const answer = (await response.json()) as DicomJsonDataset;
    expect(items(answer, '00081198')[0]!['00081197']).toEqual({ vr: 'US', Value: [CANNOT_UNDERSTAND] });
    expect(response.headers.get('warning')).toContain('part 1');

    const whole = await readFile(b.files[1]!.path);
    const cut = Buffer.concat([Buffer.from('--XyZ\r\nContent-Type: application/dicom\r\n\r\n'), whole.subarray(0, whole.length - 100)]);
    const truncated = await post('/studies', cut, STOW_TYPE);
    expect(truncated.status).toBe(409);
    expect(truncated.headers.get('warning')).toContain('ended inside part 1');
    expect(web.archive.index.getInstance(b.files[1]!.sopInstanceUid)).toBeUndefined();
  });

  it('answers 415 for anything but multipart/related; type="application/dicom", saying what it accepts', async () => {
    for (const type of ['application/dicom', 'multipart/related; type="application/dicom+json"; boundary=XyZ', 'application/json']) {
      const response = await post('/studies', Buffer.from('{}'), type);
      expect(response.status, type).toBe(415);
      expect(((await response.json()) as { error: string }).error).toContain('accepts multipart/related; type="application/dicom"');
    }
    const noBoundary = await post('/studies', Buffer.from(''), 'multipart/related; type="application/dicom"');
    expect(noBoundary.status).toBe(400);
  });

  it('streams a large part into the archive as it arrives', async () => {
    const mf = await generateMultiframe({ path: join(fixtures, 'big.dcm'), frames: 40, rows: 512, cols: 512 });
    const file = await readFile(mf.path);
    const body = multipart('XyZ', [{ type: 'application/dicom', bytes: file }]);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= body.length) return controller.close();
        controller.enqueue(body.subarray(sent, sent + 65536));
        sent += 65536;
      },
    });
    const response = await post('/studies', stream, STOW_TYPE);
    expect(response.status).toBe(200);
    const row = web.archive.index.getInstance(mf.sopInstanceUid)!;
    expect(row.size).toBeGreaterThan(20 * 1024 * 1024);
    expect(datasetOf(await readFile(join(web.archive.dataDir, row.path))).equals(datasetOf(file))).toBe(true);
  });
});
