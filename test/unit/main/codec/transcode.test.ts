import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CodecError } from '../../../../main/codec/pixel-info.js';
import { transcodeToExplicitLittle } from '../../../../main/codec/transcode.js';
import { parseDataset } from '../../../../shared/dicom/dataset-parser.js';
import { encodeFileMeta, readFileMeta } from '../../../../shared/dicom/file-meta.js';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { EXPLICIT_VR_LE, transferSyntax } from '../../../../shared/dicom/uid-registry.js';
import { run } from '../../../helpers/run.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';
import { corpus, dcmtk, difference, referencePixels } from './codec-helpers.js';
import { writeNoisyMultiframe } from './noisy-multiframe.js';

const dirs = tempDirsPerTest('viewbox-transcode-', afterEach);

interface Source {
  meta: NonNullable<ReturnType<typeof readFileMeta>>['meta'];
  dataset: Uint8Array;
}

async function sourceOf(path: string): Promise<Source> {
  const bytes = new Uint8Array(await readFile(path));
  const found = readFileMeta(bytes)!;
  const dataset = bytes.subarray(found.datasetOffset);
  return { meta: found.meta, dataset: transferSyntax(found.meta.transferSyntaxUid)?.deflated ? new Uint8Array(inflateRawSync(dataset)) : dataset };
}

/** Every value inline (nothing but Pixel Data as bulk data), Pixel Data's location dropped: what the attributes say. */
function attributes(dataset: Uint8Array, transferSyntaxUid: string): DicomJsonDataset {
  const json = parseDataset(dataset, { transferSyntaxUid, bulkDataThreshold: Number.MAX_SAFE_INTEGER });
  delete json['7FE00010'];
  for (const key of Object.keys(json)) if (key.endsWith('0000')) delete json[key];
  return json;
}

/** Transcode, write as a Part 10 file, check that DCMTK reads it, and return it with the source. */
async function transcoded(path: string) {
  const source = await sourceOf(path);
  const result = await transcodeToExplicitLittle(path);
  const out = join(await dirs.dataDir(), 'out.dcm');
  const meta = encodeFileMeta({ transferSyntaxUid: EXPLICIT_VR_LE, mediaStorageSopClassUid: source.meta.mediaStorageSopClassUid, mediaStorageSopInstanceUid: source.meta.mediaStorageSopInstanceUid });
  await writeFile(out, Buffer.concat([meta, result.dataset]));
  const dump = await run('dcmdump', ['+E', out]);
  expect(dump.code, dump.stderr).toBe(0);
  expect(dump.stderr, 'dcmdump reports no errors').not.toMatch(/^E:/m);
  return { ...result, out, source, json: attributes(result.dataset, EXPLICIT_VR_LE) };
}

describe('lossless sources', () => {
  it.each(['MR_small_RLE.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'MR_small_jp2klossless.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_expb.dcm'])(
    '%s: pixel data equals MR_small, every other attribute equals the source',
    async (file) => {
      const t = await transcoded(corpus(file));
      expect((await referencePixels(t.out)).equals(await referencePixels(corpus('MR_small.dcm')))).toBe(true);
      expect(t.json).toEqual(attributes(t.source.dataset, t.source.meta.transferSyntaxUid));
      expect(t.lossy).toBe(false);
    },
  );

  it('re-encodes implicit VR and big endian sources exactly as dcmconv +te -e (undefined sequence lengths) does', async () => {
    const dir = await dirs.dataDir();
    for (const file of ['MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'ExplVR_BigEnd.dcm', 'rtplan.dcm', 'priv_SQ.dcm']) {
      const out = join(dir, file);
      await dcmtk('dcmconv', ['+te', '-e', corpus(file), out]);
      const dcmtkDataset = (await sourceOf(out)).dataset;
      expect(Buffer.from((await transcodeToExplicitLittle(corpus(file))).dataset).equals(Buffer.from(dcmtkDataset)), file).toBe(true);
    }
  });

  it('keeps every byte before Pixel Data of an explicit little endian source', async () => {
    const t = await transcoded(corpus('MR_small_jpeg_ls_lossless.dcm'));
    const pixelHeader = (bytes: Uint8Array) => Buffer.from(bytes).indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]));
    const before = t.source.dataset.subarray(0, pixelHeader(t.source.dataset));
    expect(Buffer.from(t.dataset.subarray(0, pixelHeader(t.dataset))).equals(before)).toBe(true);
    expect(t.notes).toEqual(['decoded 1 frame(s) of JPEG-LS Lossless Image Compression']);
  });

  it('big endian 32-bit multi-frame (RT Dose) and 1-bit (SEG) sources equal their little endian twins', async () => {
    for (const [file, twin] of [['rtdose_expb.dcm', 'rtdose.dcm'], ['liver_expb_1frame.dcm', 'liver_1frame.dcm']] as const) {
      const t = await transcoded(corpus(file));
      expect((await referencePixels(t.out)).equals(await referencePixels(corpus(twin))), file).toBe(true);
      expect(t.json, file).toEqual(attributes(t.source.dataset, t.source.meta.transferSyntaxUid));
    }
  });

  it('a deflated source is inflated; its pixels equal dcmconv output', async () => {
    const plain = join(await dirs.dataDir(), 'plain.dcm');
    await dcmtk('dcmconv', ['+te', corpus('image_dfl.dcm'), plain]);
    const t = await transcoded(corpus('image_dfl.dcm'));
    expect((await referencePixels(t.out)).equals(await referencePixels(plain))).toBe(true);
    expect(t.json).toEqual(attributes(t.source.dataset, EXPLICIT_VR_LE));
  });

  it('RLE colour comes out colour-by-pixel; multi-frame encapsulated without offset table keeps every frame', async () => {
    const plain = join(await dirs.dataDir(), 'plain.dcm');
    await dcmtk('dcmdrle', [corpus('SC_rgb_rle_2frame.dcm'), plain]);
    const rgb = await transcoded(corpus('SC_rgb_rle_2frame.dcm'));
    expect((await referencePixels(rgb.out)).equals(await referencePixels(plain))).toBe(true);
    expect(rgb.json['00280006']?.Value).toEqual([0]);

    const dir = await dirs.dataDir();
    const [source, encoded] = [join(dir, 'native.dcm'), join(dir, 'encoded.dcm')];
    const { frames } = await writeNoisyMultiframe(source, 3);
    await dcmtk('dcmcjpls', ['-ot', '+fs', '1', source, encoded]);
    const t = await transcoded(encoded);
    expect(await referencePixels(t.out)).toEqual(Buffer.concat(frames));
    expect(t.notes).toEqual(['decoded 3 frame(s) of JPEG-LS Lossless Image Compression']);
  });

  it('private sequences, UN of undefined length and odd groups survive', async () => {
    for (const file of ['UN_sequence.dcm', 'nested_priv_SQ.dcm', 'priv_SQ.dcm']) {
      const t = await transcoded(corpus(file));
      expect(t.json, file).toEqual(attributes(t.source.dataset, t.source.meta.transferSyntaxUid));
    }
    // Explicit LE source without pixel data: nothing to change, every byte kept.
    const t = await transcoded(corpus('UN_sequence.dcm'));
    expect(Buffer.from(t.dataset).equals(Buffer.from(t.source.dataset))).toBe(true);
  });
});

describe('lossy sources', () => {
  it('YBR_FULL_422 JPEG baseline becomes RGB, Lossy Image Compression 01, pixels near dcmdjpeg', async () => {
    const plain = join(await dirs.dataDir(), 'plain.dcm');
    await dcmtk('dcmdjpeg', [corpus('SC_rgb_dcmtk_+eb+cy+np.dcm'), plain]);
    const t = await transcoded(corpus('SC_rgb_dcmtk_+eb+cy+np.dcm'));
    expect(t.lossy).toBe(true);
    expect(t.json['00280004']?.Value).toEqual(['RGB']);
    expect(t.json['00282110']?.Value).toEqual(['01']);
    expect(difference(await referencePixels(t.out), await referencePixels(plain)).max).toBeLessThanOrEqual(4);
    const { ['00280004']: _p, ['00282110']: _l, ...rest } = t.json;
    const { ['00280004']: _sp, ['00282110']: _sl, ...sourceRest } = attributes(t.source.dataset, t.source.meta.transferSyntaxUid);
    expect(rest).toEqual(sourceRest);
    expect(t.notes).toEqual(['decoded 1 frame(s) of JPEG Baseline (Process 1)', 'Photometric Interpretation YBR_FULL_422 -> RGB']);
  });

  it('adds Lossy Image Compression 01, in tag order, when a lossy source lacks it', async () => {
    const source = join(await dirs.dataDir(), 'no-2110.dcm');
    // dcmodify edits in place: work on a copy.
    await writeFile(source, await readFile(corpus('SC_rgb_jpeg_dcmtk.dcm')));
    await dcmtk('dcmodify', ['-nb', '-e', '(0028,2110)', source]);
    expect(attributes((await sourceOf(source)).dataset, '1.2.840.10008.1.2.4.50')['00282110']).toBeUndefined();
    const t = await transcoded(source);
    expect(t.json['00282110']?.Value).toEqual(['01']);
    expect(t.notes).toContain('Lossy Image Compression set to 01');
    const tags = Object.keys(parseDataset(t.dataset, { transferSyntaxUid: EXPLICIT_VR_LE }));
    expect(tags).toEqual([...tags].sort());
  });

  it('fails with the file, the frame and the reason when a frame cannot be decoded', async () => {
    const error = await transcodeToExplicitLittle(corpus('JPEG-lossy.dcm')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as Error).message).toBe(
      `${corpus('JPEG-lossy.dcm')}: frame 1 of 1: JPEG Extended (Process 2 and 4): 12-bit JPEG (Extended, process 4) is not supported: the libjpeg-turbo decoder is 8-bit only`,
    );
  });
});
