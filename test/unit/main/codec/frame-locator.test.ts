import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../../main/codec/decode-frame.js';
import { locateFrames } from '../../../../main/codec/frame-locator.js';
import { CodecError } from '../../../../main/codec/pixel-info.js';
import { generateMultiframe } from '../../../fixtures/multiframe.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';
import { corpus, dcmtk, encodedFrames, instanceOf, type Instance } from './codec-helpers.js';
import { writeNoisyMultiframe } from './noisy-multiframe.js';

const dirs = tempDirsPerTest('viewbox-frames-', afterEach);

async function decodedFrames(instance: Instance): Promise<Buffer[]> {
  const frames: Buffer[] = [];
  for (const encoded of await encodedFrames(instance)) frames.push(Buffer.from((await decodeFrame(instance.transferSyntaxUid, encoded, instance.info)).pixels));
  return frames;
}

/** Fragment items of the file's Pixel Data: how many, and whether the Basic Offset Table is filled. */
async function fragmentsOf(instance: Instance): Promise<{ fragments: number; botLength: number }> {
  const bytes = await readFile(instance.path);
  let at = instance.pixelData.offset;
  const botLength = bytes.readUInt32LE(at + 4);
  at += 8 + botLength;
  let fragments = 0;
  while (bytes.readUInt16LE(at + 2) === 0xe000) {
    fragments++;
    at += 8 + bytes.readUInt32LE(at + 4);
  }
  return { fragments, botLength };
}

describe('native frames', () => {
  it('gives one range of rows*columns*2 bytes per frame of a multi-frame file', async () => {
    const path = join(await dirs.dataDir(), 'mf.dcm');
    await generateMultiframe({ path, frames: 5, rows: 32, cols: 16 });
    const instance = await instanceOf(path);
    const locations = await locateFrames(path, instance.pixelData, instance.transferSyntaxUid, instance.info);
    expect(locations).toEqual(Array.from({ length: 5 }, (_, i) => ({ ranges: [{ offset: instance.pixelData.offset + i * 1024, length: 1024 }] })));
    // The fixture writes the frame number into each frame's first pixel.
    const frames = await encodedFrames(instance);
    expect(frames.map((f) => Buffer.from(f).readUInt16LE(0))).toEqual([0, 1, 2, 3, 4]);
  });

  it('packs 1-bit frames (a SEG) in rows*columns/8 bytes', async () => {
    const instance = await instanceOf(corpus('liver_1frame.dcm'));
    const [location] = await locateFrames(instance.path, instance.pixelData, instance.transferSyntaxUid, instance.info);
    expect(location!.ranges[0]!.length).toBe((512 * 512) / 8);
  });

  it('refuses a deflated dataset, whose offsets are not file offsets', async () => {
    const instance = await instanceOf(corpus('image_dfl.dcm'));
    await expect(locateFrames(instance.path, instance.pixelData, instance.transferSyntaxUid, instance.info)).rejects.toThrow(
      `${instance.path}: frames of a deflated dataset are not addressable in the file`,
    );
  });

  it('names the file when Pixel Data is shorter than its frames', async () => {
    const path = join(await dirs.dataDir(), 'mf.dcm');
    await generateMultiframe({ path, frames: 3, rows: 16, cols: 16 });
    const instance = await instanceOf(path);
    const info = { ...instance.info, numberOfFrames: 4 };
    await expect(locateFrames(path, instance.pixelData, instance.transferSyntaxUid, info)).rejects.toThrow(`${path}: Pixel Data holds 1536 bytes, 4 frame(s) of 512 bytes need 2048`);
  });
});

describe('encapsulated frames', () => {
  it.each([
    ['RLE, Basic Offset Table', 'dcmcrle', ['+ot'], { fragmentsPerFrame: 1, bot: true }],
    ['RLE, empty offset table, one fragment per frame', 'dcmcrle', ['-ot'], { fragmentsPerFrame: 1, bot: false }],
    ['JPEG-LS, Basic Offset Table, several fragments per frame', 'dcmcjpls', ['+ot', '+fs', '1'], { fragmentsPerFrame: 2, bot: true }],
    ['JPEG-LS, empty offset table, several fragments per frame (found by SOI)', 'dcmcjpls', ['-ot', '+fs', '1'], { fragmentsPerFrame: 2, bot: false }],
    ['JPEG lossless, empty offset table, several fragments per frame (found by SOI)', 'dcmcjpeg', ['-ot', '+fs', '1'], { fragmentsPerFrame: 2, bot: false }],
  ])('%s', async (_name, tool, options, expected) => {
    const dir = await dirs.dataDir();
    const source = join(dir, 'native.dcm');
    const encoded = join(dir, 'encoded.dcm');
    const { frames } = await writeNoisyMultiframe(source, 4);
    await dcmtk(tool, [...options, source, encoded]);
    const instance = await instanceOf(encoded);
    const layout = await fragmentsOf(instance);
    expect(layout.botLength > 0).toBe(expected.bot);
    expect(layout.fragments).toBeGreaterThanOrEqual(4 * expected.fragmentsPerFrame);
    expect(await decodedFrames(instance)).toEqual(frames);
  });

  it('takes all fragments of a single-frame image without an offset table', async () => {
    const dir = await dirs.dataDir();
    const source = join(dir, 'native.dcm');
    const encoded = join(dir, 'encoded.dcm');
    const { frames } = await writeNoisyMultiframe(source, 1, 128, 128);
    await dcmtk('dcmcrle', ['-ot', '+fs', '4', source, encoded]);
    const instance = await instanceOf(encoded);
    expect((await fragmentsOf(instance)).fragments).toBeGreaterThan(1);
    expect(await decodedFrames(instance)).toEqual(frames);
  });

  it('refuses RLE with more fragments than frames and no offset table, naming the file', async () => {
    const dir = await dirs.dataDir();
    const source = join(dir, 'native.dcm');
    const encoded = join(dir, 'encoded.dcm');
    await writeNoisyMultiframe(source, 3);
    await dcmtk('dcmcrle', ['-ot', '+fs', '1', source, encoded]);
    const instance = await instanceOf(encoded);
    const error = await locateFrames(encoded, instance.pixelData, instance.transferSyntaxUid, instance.info).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as Error).message).toMatch(new RegExp(`^${encoded}: \\d+ fragments for 3 frames and no offset table`));
  });

  it('uses the Extended Offset Table (7FE0,0001/0002) and checks it', async () => {
    const dir = await dirs.dataDir();
    const source = join(dir, 'native.dcm');
    const encoded = join(dir, 'encoded.dcm');
    const { frames } = await writeNoisyMultiframe(source, 3);
    await dcmtk('dcmcrle', ['-ot', source, encoded]);
    const rle = await instanceOf(encoded);
    const withTable = async (offsets: bigint[], lengths: bigint[]): Promise<Instance> => {
      const bytes = await readFile(encoded);
      const ov = (tag: number, values: bigint[]): Buffer => {
        const element = Buffer.alloc(12 + 8 * values.length);
        element.writeUInt16LE(0x7fe0, 0);
        element.writeUInt16LE(tag & 0xffff, 2);
        element.write('OV', 4, 'latin1');
        element.writeUInt32LE(8 * values.length, 8);
        values.forEach((v, i) => element.writeBigUInt64LE(v, 12 + 8 * i));
        return element;
      };
      const header = rle.pixelData.offset - 12;
      const path = join(dir, `eot-${offsets.join('-')}.dcm`);
      await writeFile(path, Buffer.concat([bytes.subarray(0, header), ov(0x7fe00001, offsets), ov(0x7fe00002, lengths), bytes.subarray(header)]));
      return instanceOf(path);
    };
    const locations = await locateFrames(rle.path, rle.pixelData, rle.transferSyntaxUid, rle.info);
    const itemOffsets = locations.map((l) => BigInt(l.ranges[0]!.offset - 8 - (rle.pixelData.offset + 8)));
    const lengths = locations.map((l) => BigInt(l.ranges[0]!.length));
    expect(await decodedFrames(await withTable(itemOffsets, lengths))).toEqual(frames);
    const wrong = await withTable([itemOffsets[0]!, itemOffsets[1]! + 2n, itemOffsets[2]!], lengths);
    await expect(locateFrames(wrong.path, wrong.pixelData, wrong.transferSyntaxUid, wrong.info)).rejects.toThrow(/Extended Offset Table entry 1 \(offset \d+\) is not the start of a fragment/);
  });
});
