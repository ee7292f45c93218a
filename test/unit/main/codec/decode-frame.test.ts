import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canDecode, decodeFrame } from '../../../../main/codec/decode-frame.js';
import { CodecError } from '../../../../main/codec/pixel-info.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';
import { encodeJ2k } from './j2k-encoders.js';
import { corpus, dcmtk, decodeAll, difference, encodedFrames, instanceOf, referencePixels } from './codec-helpers.js';

const dirs = tempDirsPerTest('viewbox-codec-', afterEach);

async function expectLosslessTwin(file: string, twin: string): Promise<void> {
  const { pixels } = await decodeAll(file);
  const reference = await referencePixels(twin);
  expect(pixels.length, file).toBe(reference.length);
  expect(pixels.equals(reference), `${file} decodes to ${twin}'s pixels`).toBe(true);
}

describe('lossless decoding equals the uncompressed twin byte for byte', () => {
  it.each([
    ['MR_small_RLE.dcm', 'MR_small.dcm'],
    ['MR_small_jpeg_ls_lossless.dcm', 'MR_small.dcm'],
    ['MR_small_jp2klossless.dcm', 'MR_small.dcm'],
    ['MR_small_implicit.dcm', 'MR_small.dcm'],
    ['MR_small_bigendian.dcm', 'MR_small.dcm'],
    ['MR_small_expb.dcm', 'MR_small.dcm'],
    ['rtdose_rle.dcm', 'rtdose.dcm'],
    ['rtdose_expb.dcm', 'rtdose.dcm'],
    ['rtdose_rle_1frame.dcm', 'rtdose_1frame.dcm'],
    ['liver_expb_1frame.dcm', 'liver_1frame.dcm'],
  ])('%s', async (file, twin) => {
    await expectLosslessTwin(corpus(file), corpus(twin));
  });

  it.each(['SC_rgb_rle.dcm', 'SC_rgb_rle_2frame.dcm', 'SC_rgb_rle_16bit.dcm', 'SC_rgb_rle_16bit_2frame.dcm', 'SC_rgb_rle_32bit_2frame.dcm'])(
    '%s equals dcmdrle output',
    async (file) => {
      const out = join(await dirs.dataDir(), 'plain.dcm');
      await dcmtk('dcmdrle', [corpus(file), out]);
      await expectLosslessTwin(corpus(file), out);
    },
  );

  it('JPEG Lossless SV1 (RGB, GDCM) equals dcmdjpeg output', async () => {
    const out = join(await dirs.dataDir(), 'plain.dcm');
    await dcmtk('dcmdjpeg', [corpus('SC_rgb_jpeg_gdcm.dcm'), out]);
    await expectLosslessTwin(corpus('SC_rgb_jpeg_gdcm.dcm'), out);
  });

  it('JPEG Lossless process 14 (selection value 3) and SV1 of signed and unsigned 16-bit images equal their source', async () => {
    const dir = await dirs.dataDir();
    for (const [source, options] of [
      ['CT_small.dcm', ['+el', '+sv', '3']],
      ['MR_small.dcm', ['+el', '+sv', '7']],
      ['MR_small.dcm', ['+e1']],
    ] as const) {
      const out = join(dir, `${source}-${options.join('')}.dcm`);
      await dcmtk('dcmcjpeg', [...options, corpus(source), out]);
      await expectLosslessTwin(out, corpus(source));
    }
  });

  it('JPEG-LS colour in every interleave mode equals its source', async () => {
    const dir = await dirs.dataDir();
    const rgb = join(dir, 'rgb.dcm');
    await dcmtk('dcmdrle', [corpus('SC_rgb_rle.dcm'), rgb]);
    for (const mode of ['+in', '+il', '+is']) {
      const out = join(dir, `ls${mode}.dcm`);
      await dcmtk('dcmcjpls', [mode, rgb, out]);
      await expectLosslessTwin(out, rgb);
    }
  });

  it('JPEG-LS near-lossless equals dcmdjpls output and is reported lossy', async () => {
    const dir = await dirs.dataDir();
    const rgb = join(dir, 'rgb.dcm');
    const near = join(dir, 'near.dcm');
    const plain = join(dir, 'plain.dcm');
    await dcmtk('dcmdrle', [corpus('SC_rgb_rle.dcm'), rgb]);
    await dcmtk('dcmcjpls', ['+en', '+md', '3', rgb, near]);
    await dcmtk('dcmdjpls', [near, plain]);
    await expectLosslessTwin(near, plain);
    const { frames } = await decodeAll(near);
    expect(frames[0]!.lossy).toBe(true);
    expect((await decodeAll(corpus('MR_small_jpeg_ls_lossless.dcm'))).frames[0]!.lossy).toBe(false);
  });
});

describe('JPEG 2000 and HTJ2K', () => {
  it('a Kakadu-encoded colour JPEG 2000 equals the RLE twin and a reversible codestream is not lossy', async () => {
    const rgb = join(await dirs.dataDir(), 'rgb.dcm');
    await dcmtk('dcmdrle', [corpus('SC_rgb_rle.dcm'), rgb]);
    await expectLosslessTwin(corpus('SC_rgb_gdcm_KY.dcm'), rgb);
    const { frames } = await decodeAll(corpus('693_J2KI.dcm'));
    expect(frames[0]!.lossy).toBe(false);
  });

  it('YBR_RCT comes out as RGB', async () => {
    const { frames } = await decodeAll(corpus('GDCMJ2K_TextGBR.dcm'));
    expect(frames[0]!.info.photometricInterpretation).toBe('RGB');
    expect(frames[0]!.pixels.length).toBe(400 * 400 * 3);
  });

  it.each([
    ['openjph', '1.2.840.10008.1.2.4.201'],
    ['openjph', '1.2.840.10008.1.2.4.202'],
    ['openjpeg', '1.2.840.10008.1.2.4.90'],
  ] as const)('a lossless %s codestream of signed 16-bit MR decodes to the source (%s)', async (kind, syntax) => {
    const { pixels, instance } = await decodeAll(corpus('MR_small.dcm'));
    const encoded = await encodeJ2k(kind, pixels, { width: 64, height: 64, bitsPerSample: 16, componentCount: 1, isSigned: true });
    const decoded = await decodeFrame(syntax, encoded, instance.info);
    expect(Buffer.from(decoded.pixels).equals(pixels)).toBe(true);
    expect(decoded.lossy).toBe(false);
  });

  it.each([
    ['openjph', '1.2.840.10008.1.2.4.203'],
    ['openjpeg', '1.2.840.10008.1.2.4.91'],
  ] as const)('an irreversible %s codestream decodes close to the source and is reported lossy (%s)', async (kind, syntax) => {
    const { pixels, instance } = await decodeAll(corpus('MR_small.dcm'));
    const encoded = await encodeJ2k(kind, pixels, { width: 64, height: 64, bitsPerSample: 16, componentCount: 1, isSigned: true, lossyStep: 0.001 });
    const decoded = await decodeFrame(syntax, encoded, instance.info);
    const int16 = (p: Uint8Array) => new Int16Array(p.buffer, p.byteOffset, p.length / 2);
    // MR_small spans about 0..4000: a mean error of a few tens is a lossy image, not a wrong one.
    expect(difference(int16(decoded.pixels), int16(pixels)).mean).toBeLessThan(40);
    expect(decoded.lossy).toBe(true);
  });

  it('a corrupt codestream fails with what OpenJPEG said', async () => {
    const instance = await instanceOf(corpus('JPEG2000-embedded-sequence-delimiter.dcm'));
    const [frame] = await encodedFrames(instance);
    await expect(decodeFrame(instance.transferSyntaxUid, frame!, instance.info)).rejects.toThrow(/^JPEG 2000 Image Compression: openjpeg could not decode the frame: .*tiles/);
  });
});

describe('lossy decoding', () => {
  // dcmdjpeg converts colour as the Photometric Interpretation says; GDCM's lossy file says RGB over YCbCr data
  // (its component ids 1,2,3 and subsampling say YCbCr, and we follow the stream), so DCMTK must be told to convert.
  it.each([
    ['SC_rgb_dcmtk_+eb+cy+np.dcm', []],
    ['SC_rgb_dcmtk_+eb+cy+s2.dcm', []],
    ['SC_rgb_dcmtk_+eb+cy+n1.dcm', []],
    ['SC_rgb_dcmtk_+eb+cr.dcm', []],
    ['SC_rgb_jpeg_dcmtk.dcm', []],
    ['SC_rgb_jpeg_lossy_gdcm.dcm', ['+ca']],
    ['SC_jpeg_no_color_transform.dcm', []],
    ['SC_jpeg_no_color_transform_2.dcm', []],
    ['SC_rgb_jpeg_app14_dcmd.dcm', []],
    ['SC_rgb_small_odd_jpeg.dcm', []],
  ])('JPEG baseline %s is within a few grey levels of dcmdjpeg %j and comes out RGB', async (file, options) => {
    const plain = join(await dirs.dataDir(), 'plain.dcm');
    await dcmtk('dcmdjpeg', [...options, corpus(file), plain]);
    const { pixels, frames } = await decodeAll(corpus(file));
    const reference = await referencePixels(plain);
    expect(pixels.length).toBe(reference.length);
    const diff = difference(pixels, reference);
    expect(diff.max, file).toBeLessThanOrEqual(4);
    expect(diff.mean, file).toBeLessThan(0.5);
    expect(frames[0]!.info.photometricInterpretation).toBe('RGB');
    expect(frames[0]!.lossy).toBe(true);
  });

  it('8-bit JPEG Extended (process 2) decodes like baseline', async () => {
    const dir = await dirs.dataDir();
    const [rgb, extended, plain] = ['rgb.dcm', 'extended.dcm', 'plain.dcm'].map((name) => join(dir, name)) as [string, string, string];
    await dcmtk('dcmdrle', [corpus('SC_rgb_rle.dcm'), rgb]);
    await dcmtk('dcmcjpeg', ['+ee', rgb, extended]);
    await dcmtk('dcmdjpeg', [extended, plain]);
    expect((await instanceOf(extended)).transferSyntaxUid).toBe('1.2.840.10008.1.2.4.51');
    expect(difference((await decodeAll(extended)).pixels, await referencePixels(plain)).max).toBeLessThanOrEqual(4);
  });

  it('refuses 12-bit JPEG Extended with a CodecError that says why', async () => {
    const instance = await instanceOf(corpus('JPEG-lossy.dcm'));
    const [frame] = await encodedFrames(instance);
    await expect(decodeFrame(instance.transferSyntaxUid, frame!, instance.info)).rejects.toThrow(/JPEG Extended.*12-bit JPEG/);
    await expect(decodeFrame(instance.transferSyntaxUid, frame!, instance.info)).rejects.toBeInstanceOf(CodecError);
  });
});

describe('what can be decoded', () => {
  it('names the transfer syntax it has no decoder for', async () => {
    expect(canDecode('1.2.840.10008.1.2.4.50')).toBe(true);
    expect(canDecode('1.2.840.10008.1.2.4.100')).toBe(false);
    const { info } = await instanceOf(corpus('MR_small.dcm'));
    await expect(decodeFrame('1.2.840.10008.1.2.4.100', new Uint8Array(8), info)).rejects.toThrow(/no decoder for MPEG2/);
  });
});
