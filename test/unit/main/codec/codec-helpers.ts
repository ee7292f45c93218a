import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeFrame, type DecodedFrame } from '../../../../main/codec/decode-frame.js';
import { locateFrames, type ByteRange } from '../../../../main/codec/frame-locator.js';
import { pixelInfoOf, type ImagePixelInfo } from '../../../../main/codec/pixel-info.js';
import { readStoredHeader } from '../../../../main/store/stored-file.js';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { run } from '../../../helpers/run.js';

export const corpus = (name: string): string => join('/usr/lib/python3/dist-packages/pydicom/data/test_files', name);

export interface Instance {
  path: string;
  transferSyntaxUid: string;
  json: DicomJsonDataset;
  info: ImagePixelInfo;
  pixelData: ByteRange;
}

/** What the index would hold for a file: its JSON and the Pixel Data value range. */
export async function instanceOf(path: string): Promise<Instance> {
  const { meta, json } = await readStoredHeader(path);
  const uri = json['7FE00010']?.BulkDataURI;
  const match = /^bulk\/(\d+)\/(\d+)$/.exec(uri ?? '');
  if (!match) throw new Error(`${path}: no Pixel Data BulkDataURI`);
  return { path, transferSyntaxUid: meta.transferSyntaxUid, json, info: pixelInfoOf(json), pixelData: { offset: Number(match[1]), length: Number(match[2]) } };
}

/** Every frame's encoded bytes, as a WADO-RS frame request would read them. */
export async function encodedFrames(instance: Instance): Promise<Uint8Array[]> {
  const bytes = await readFile(instance.path);
  const locations = await locateFrames(instance.path, instance.pixelData, instance.transferSyntaxUid, instance.info);
  return locations.map(({ ranges }) => Buffer.concat(ranges.map((r) => bytes.subarray(r.offset, r.offset + r.length))));
}

export async function decodeAll(path: string): Promise<{ frames: DecodedFrame[]; pixels: Buffer; instance: Instance }> {
  const instance = await instanceOf(path);
  const frames: DecodedFrame[] = [];
  for (const encoded of await encodedFrames(instance)) frames.push(await decodeFrame(instance.transferSyntaxUid, encoded, instance.info));
  return { frames, pixels: Buffer.concat(frames.map((f) => f.pixels)), instance };
}

/** The native pixel data of an uncompressed little-endian file, colour-by-pixel (DCMTK writes RLE output colour-by-plane). */
export async function referencePixels(path: string): Promise<Buffer> {
  const instance = await instanceOf(path);
  const bytes = await readFile(path);
  const { offset, length } = instance.pixelData;
  const { info } = instance;
  const frameBytes = Math.ceil((info.rows * info.columns * info.samplesPerPixel * info.bitsAllocated) / 8);
  const pixels = bytes.subarray(offset, offset + Math.min(length, frameBytes * info.numberOfFrames));
  if (info.planarConfiguration !== 1 || info.samplesPerPixel === 1) return Buffer.from(pixels);
  const out = Buffer.alloc(pixels.length);
  const bps = info.bitsAllocated / 8;
  const n = info.rows * info.columns;
  for (let f = 0; f < info.numberOfFrames; f++) {
    const base = f * frameBytes;
    for (let s = 0; s < info.samplesPerPixel; s++) {
      for (let p = 0; p < n; p++) pixels.copy(out, base + (p * info.samplesPerPixel + s) * bps, base + (s * n + p) * bps, base + (s * n + p + 1) * bps);
    }
  }
  return out;
}

/** Run a DCMTK tool; throws with its output when it fails. */
export async function dcmtk(tool: string, args: string[]): Promise<void> {
  const result = await run(tool, args, { timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${result.code}): ${result.stderr}${result.stdout}`);
}

/** Largest and mean absolute difference between two sample arrays. */
export function difference(a: ArrayLike<number>, b: ArrayLike<number>): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    sum += d;
    if (d > max) max = d;
  }
  return { max, mean: sum / a.length };
}
