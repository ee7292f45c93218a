/**
 * JPEG-LS lossless encoding, checked by two decoders: ours (decode-frame.ts,
 * CharLS's decoder) and DCMTK's dcmdjpls. Both must give back every sample
 * of the source, for 16-bit signed CT and MR, 12-bit signed data with
 * negative values, stray bits above Bits Stored, 8-bit colour and
 * multi-frame; what cannot be encoded is refused with its reason.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CodecError } from '../../../../main/codec/pixel-info.js';
import { datasetToJpegLs, JPEG_LS_LOSSLESS } from '../../../../main/codec/jpeg-ls-encode.js';
import { transcodeToExplicitLittle } from '../../../../main/codec/transcode.js';
import { parseDataset } from '../../../../shared/dicom/dataset-parser.js';
import { encodeFileMeta as encodeMeta, readFileMeta } from '../../../../shared/dicom/file-meta.js';
import { EXPLICIT_VR_LE } from '../../../../shared/dicom/uid-registry.js';
import { writeGrayscaleImage } from '../../../fixtures/grayscale-image.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';
import { corpus, dcmtk, decodeAll, referencePixels } from './codec-helpers.js';

const dirs = tempDirsPerTest('viewbox-jpegls-', afterEach);

/** The source encoded as JPEG-LS and written as a Part 10 file; its decoded pixels by us and by dcmdjpls. */
async function roundTrip(source: string) {
  const dir = await dirs.dataDir();
  const meta = readFileMeta(new Uint8Array(await readFile(source)))!.meta;
  const { dataset } = await transcodeToExplicitLittle(source);
  const outcome = await datasetToJpegLs(dataset, source);
  if (!('encoded' in outcome)) throw new Error(outcome.notEncoded);
  const { encoded } = outcome;
  const out = join(dir, 'jpeg-ls.dcm');
  await writeFile(out, Buffer.concat([encodeMeta({ transferSyntaxUid: JPEG_LS_LOSSLESS, mediaStorageSopClassUid: meta.mediaStorageSopClassUid, mediaStorageSopInstanceUid: meta.mediaStorageSopInstanceUid }), encoded]));
  const ours = await decodeAll(out);
  const dcmtkOut = join(dir, 'dcmdjpls.dcm');
  await dcmtk('dcmdjpls', [out, dcmtkOut]);
  const reference = join(dir, 'reference.dcm');
  await writeFile(reference, Buffer.concat([encodeMeta({ transferSyntaxUid: EXPLICIT_VR_LE, mediaStorageSopClassUid: meta.mediaStorageSopClassUid, mediaStorageSopInstanceUid: meta.mediaStorageSopInstanceUid }), dataset]));
  return { out, ours, byDcmtk: await referencePixels(dcmtkOut), source: await referencePixels(reference), sizes: { native: dataset.length, encoded: encoded.length } };
}

/** Samples compared as the image means them: the low Bits Stored bits (sign-extended when signed). */
function meaningful(pixels: Buffer, bitsStored: number, signed: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < pixels.length; i += 2) {
    const low = pixels.readUInt16LE(i) & ((1 << bitsStored) - 1);
    out.push(signed && low >> (bitsStored - 1) ? low - (1 << bitsStored) : low);
  }
  return out;
}

describe('lossless: both decoders give back every sample', () => {
  it.each(['CT_small.dcm', 'MR_small.dcm', 'MR_small_implicit.dcm', 'SC_rgb_small_odd.dcm', 'SC_rgb_jpeg_dcmd.dcm', 'SC_rgb_rle_2frame.dcm', 'SC_rgb_rle_16bit_2frame.dcm', 'MR_small_RLE.dcm'])('%s', async (file) => {
    const t = await roundTrip(corpus(file));
    expect(t.ours.instance.transferSyntaxUid).toBe(JPEG_LS_LOSSLESS);
    expect(t.ours.frames.every((f) => f.lossy === false)).toBe(true);
    expect(t.ours.pixels.equals(t.source)).toBe(true);
    expect(t.byDcmtk.equals(t.source)).toBe(true);
    expect(t.ours.frames).toHaveLength(t.ours.instance.info.numberOfFrames);
  });

  it('colour-by-plane pixels are encoded plane by plane, and the copy says Planar Configuration 0 (PS3.5 8.2.3)', async () => {
    const source = await transcodeToExplicitLittle(corpus('ExplVR_BigEnd.dcm'));
    expect(parseDataset(source.dataset, { transferSyntaxUid: EXPLICIT_VR_LE })['00280006']!.Value).toEqual([1]);
    const t = await roundTrip(corpus('ExplVR_BigEnd.dcm'));
    expect(t.ours.instance.json['00280006']!.Value).toEqual([0]);
    expect(t.ours.pixels.equals(t.source)).toBe(true);
    expect(t.byDcmtk.equals(t.source)).toBe(true);
  });

  it('compresses a CT to less than its native size', async () => {
    const t = await roundTrip(corpus('CT_small.dcm'));
    expect(t.sizes.encoded).toBeLessThan(t.sizes.native * 0.8);
  });

  it('12-bit signed with negative values (sign-extended) and 12-bit unsigned with stray high bits', async () => {
    const dir = await dirs.dataDir();
    const rows = 32;
    const cols = 48;
    for (const [name, signed, sample] of [
      ['signed.dcm', true, (i: number) => ((i * 37) % 4096) - 2048],
      ['stray.dcm', false, (i: number) => ((i * 13) % 4096) | (i % 7 === 0 ? 0x8000 : 0)],
    ] as const) {
      const pixels = Buffer.alloc(rows * cols * 2);
      for (let i = 0; i < rows * cols; i++) pixels.writeUInt16LE(sample(i) & 0xffff, i * 2);
      const path = join(dir, name);
      await writeGrayscaleImage(path, { rows, cols, bitsAllocated: 16, bitsStored: 12, signed, pixels });
      const t = await roundTrip(path);
      if (signed) {
        // Precision 12: the decoders give the low 12 bits, which mean the same values.
        expect(meaningful(t.ours.pixels, 12, true)).toEqual(meaningful(pixels, 12, true));
        expect(meaningful(t.byDcmtk, 12, true)).toEqual(meaningful(pixels, 12, true));
        expect(Math.min(...meaningful(t.ours.pixels, 12, true))).toBe(-2048);
      } else {
        // The bits above Bits Stored do not fit 12 bits: encoded at 16, every bit comes back.
        expect(t.ours.pixels.equals(pixels)).toBe(true);
        expect(t.byDcmtk.equals(pixels)).toBe(true);
      }
    }
  });
});

describe('what JPEG-LS cannot hold', () => {
  it.each([
    ['SC_ybr_full_422_uncompressed.dcm', /YBR_FULL_422/],
    ['rtdose.dcm', /Bits Allocated 32/],
    ['liver_1frame.dcm', /Bits Allocated 1 /],
    ['test-SR.dcm', /has no Pixel Data/],
  ])('%s is not encoded, with its reason and the file named', async (file, reason) => {
    const { dataset } = await transcodeToExplicitLittle(corpus(file));
    const outcome = await datasetToJpegLs(dataset, corpus(file));
    expect('notEncoded' in outcome && outcome.notEncoded).toMatch(reason);
    expect('notEncoded' in outcome && outcome.notEncoded).toContain(file);
  });

  it('broken pixel attributes are an error naming the file', async () => {
    const { dataset } = await transcodeToExplicitLittle(corpus('CT_small.dcm'));
    const rows = Buffer.from([0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 0x02, 0x00]);
    const at = Buffer.from(dataset).indexOf(rows);
    const broken = Uint8Array.from(dataset);
    broken.set([0, 0], at + rows.length);
    const error = await datasetToJpegLs(broken, 'CT_small.dcm').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as Error).message).toMatch(/CT_small\.dcm: Rows \(0028,0010\) is 0/);
  });
});
