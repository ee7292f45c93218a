/**
 * transformForRoute as the delivery worker uses it: the copy's bytes, its
 * transfer syntax and UIDs for each transcode choice, alone and with
 * de-identification; pixels checked by our decoder and DCMTK's.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JPEG_LS_LOSSLESS } from '../../../../main/codec/jpeg-ls-encode.js';
import { DeidentifyRefusal } from '../../../../main/routing/deidentify.js';
import { replacementUid } from '../../../../main/routing/pseudonyms.js';
import { part10Of, transformForRoute, type RouteCopy, type RouteTransform } from '../../../../main/routing/route-transform.js';
import { readStoredHeader } from '../../../../main/store/stored-file.js';
import type { StoredInstance } from '../../../../main/dicom/stored-instance.js';
import { parseDataset } from '../../../../shared/dicom/dataset-parser.js';
import { readFileMeta } from '../../../../shared/dicom/file-meta.js';
import { EXPLICIT_VR_LE, IMPLICIT_VR_LE } from '../../../../shared/dicom/uid-registry.js';
import { writeGrayscaleImage } from '../../../fixtures/grayscale-image.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';
import { corpus, dcmtk, decodeAll, referencePixels } from '../codec/codec-helpers.js';

const dirs = tempDirsPerTest('viewbox-route-transform-', afterEach);
const secret = new Uint8Array(32).fill(3);

async function stored(path: string): Promise<StoredInstance> {
  const { meta } = await readStoredHeader(path);
  return { path, sopClassUid: meta.mediaStorageSopClassUid, sopInstanceUid: meta.mediaStorageSopInstanceUid, transferSyntaxUid: meta.transferSyntaxUid };
}

async function transformed(file: string, transform: RouteTransform): Promise<{ copy: RouteCopy; path: string; instance: StoredInstance }> {
  const instance = await stored(file);
  const copy = await transformForRoute(instance, transform, { secret });
  const path = join(await dirs.dataDir(), 'copy.dcm');
  await writeFile(path, part10Of(copy));
  return { copy, path, instance };
}

async function datasetOf(path: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(path));
  return bytes.subarray(readFileMeta(bytes)!.datasetOffset);
}

describe('transcode only', () => {
  it('as-stored (the default) is the stored dataset, byte for byte', async () => {
    for (const file of ['MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_jpeg_ls_lossless.dcm']) {
      const { copy, instance } = await transformed(corpus(file), {});
      expect(Buffer.from(copy.dataset).equals(Buffer.from(await datasetOf(corpus(file))))).toBe(true);
      expect(copy).toMatchObject({ transferSyntaxUid: instance.transferSyntaxUid, sopInstanceUid: instance.sopInstanceUid, sopClassUid: instance.sopClassUid });
    }
  });

  it('explicit-little decodes any stored syntax to the same pixels', async () => {
    const { copy, path } = await transformed(corpus('MR_small_RLE.dcm'), { transcode: 'explicit-little' });
    expect(copy.transferSyntaxUid).toBe(EXPLICIT_VR_LE);
    expect((await referencePixels(path)).equals(await referencePixels(corpus('MR_small.dcm')))).toBe(true);
  });

  it('jpeg-ls-lossless encodes what is not JPEG-LS yet and keeps what already is', async () => {
    const { copy, path } = await transformed(corpus('MR_small_bigendian.dcm'), { transcode: 'jpeg-ls-lossless' });
    expect(copy.transferSyntaxUid).toBe(JPEG_LS_LOSSLESS);
    expect((await decodeAll(path)).pixels.equals(await referencePixels(corpus('MR_small.dcm')))).toBe(true);
    const kept = await transformed(corpus('MR_small_jpeg_ls_lossless.dcm'), { transcode: 'jpeg-ls-lossless' });
    expect(Buffer.from(kept.copy.dataset).equals(Buffer.from(await datasetOf(corpus('MR_small_jpeg_ls_lossless.dcm'))))).toBe(true);
  });

  it('jpeg-ls-lossless sends what JPEG-LS cannot hold (a 1-bit SEG, an SR) in Explicit VR Little Endian, and says why', async () => {
    for (const [file, why] of [['liver_1frame.dcm', /Bits Allocated 1 /], ['test-SR.dcm', /has no Pixel Data/]] as const) {
      const { copy, path } = await transformed(corpus(file), { transcode: 'jpeg-ls-lossless' });
      expect(copy.transferSyntaxUid).toBe(EXPLICIT_VR_LE);
      expect(copy.notes.join()).toMatch(why);
      await dcmtk('dcmdump', ['+E', path]);
    }
    expect((await transformed(corpus('CT_small.dcm'), { transcode: 'jpeg-ls-lossless' })).copy.notes).toEqual([]);
  });
});

describe('de-identified', () => {
  it('as stored: implicit VR stays implicit, big endian becomes explicit little endian, pixels unchanged', async () => {
    const implicit = await transformed(corpus('MR_small_implicit.dcm'), { deidentify: { profile: 'basic' } });
    expect(implicit.copy.transferSyntaxUid).toBe(IMPLICIT_VR_LE);
    await dcmtk('dcmdump', ['+E', implicit.path]);
    expect((await referencePixels(implicit.path)).equals(await referencePixels(corpus('MR_small.dcm')))).toBe(true);
    const big = await transformed(corpus('MR_small_bigendian.dcm'), { deidentify: { profile: 'basic' } });
    expect(big.copy.transferSyntaxUid).toBe(EXPLICIT_VR_LE);
    expect((await referencePixels(big.path)).equals(await referencePixels(corpus('MR_small.dcm')))).toBe(true);
    expect(big.copy.sopInstanceUid).toBe(implicit.copy.sopInstanceUid);
    expect(big.copy.sopInstanceUid).toBe(replacementUid(secret, big.instance.sopInstanceUid));
  });

  it('encapsulated pixel data is carried over: its fragments decode to the same pixels', async () => {
    const { copy, path } = await transformed(corpus('MR_small_jpeg_ls_lossless.dcm'), { deidentify: { profile: 'basic' } });
    expect(copy.transferSyntaxUid).toBe(JPEG_LS_LOSSLESS);
    expect((await decodeAll(path)).pixels.equals(await referencePixels(corpus('MR_small.dcm')))).toBe(true);
  });

  it('with JPEG-LS: the copy is JPEG-LS, de-identified, and dcmdjpls gives back the CT pixels', async () => {
    const { copy, path, instance } = await transformed(corpus('CT_small.dcm'), { transcode: 'jpeg-ls-lossless', deidentify: { profile: 'basic', options: ['retain-dates'] } });
    expect(copy.transferSyntaxUid).toBe(JPEG_LS_LOSSLESS);
    expect(copy.sopInstanceUid).toBe(replacementUid(secret, instance.sopInstanceUid));
    expect(copy.sopClassUid).toBe(instance.sopClassUid);
    const json = parseDataset(copy.dataset, { transferSyntaxUid: JPEG_LS_LOSSLESS });
    expect(json['00080018']!.Value).toEqual([copy.sopInstanceUid]);
    expect(json['00100010']!.Value).not.toEqual([{ Alphabetic: 'CompressedSamples^CT1' }]);
    expect(json['00080020']!.Value).toEqual(['20040119']);
    const decoded = join(await dirs.dataDir(), 'decoded.dcm');
    await dcmtk('dcmdjpls', [path, decoded]);
    expect((await referencePixels(decoded)).equals(await referencePixels(corpus('CT_small.dcm')))).toBe(true);
  });

  it('an image with burned-in annotation is refused, naming its file', async () => {
    const path = join(await dirs.dataDir(), 'burned-in.dcm');
    const uid = await writeGrayscaleImage(path, { rows: 16, cols: 16, bitsAllocated: 8, bitsStored: 8, signed: false, pixels: Buffer.alloc(256), extra: [{ tag: 0x00280301, vr: 'CS', value: 'YES' }] });
    const error = await transformForRoute(await stored(path), { deidentify: { profile: 'basic' } }, { secret }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeidentifyRefusal);
    expect((error as Error).message).toContain(path);
    expect((await transformForRoute(await stored(path), {}, { secret })).sopInstanceUid).toBe(uid);
  });
});
