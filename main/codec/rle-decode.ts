/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one
 * PackBits-coded segment per byte of each sample, most significant byte
 * first. Written here because it is a screenful and no decoder is needed.
 */
import { CodecError, type ImagePixelInfo } from './pixel-info.js';

const HEADER = 64;

/** One frame to native little-endian, colour-by-pixel. */
export function decodeRle(encoded: Uint8Array, info: ImagePixelInfo): Uint8Array {
  if (info.bitsAllocated % 8 !== 0) throw new CodecError(`RLE Lossless with Bits Allocated ${info.bitsAllocated} is not supported`);
  if (encoded.length < HEADER) throw new CodecError(`RLE frame of ${encoded.length} bytes is shorter than its 64-byte header`);
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const segments = view.getUint32(0, true);
  const bytesPerSample = info.bitsAllocated / 8;
  const expected = info.samplesPerPixel * bytesPerSample;
  if (segments !== expected) throw new CodecError(`RLE frame has ${segments} segments, ${info.samplesPerPixel} sample(s) of ${info.bitsAllocated} bits need ${expected}`);
  const pixels = info.rows * info.columns;
  const out = new Uint8Array(pixels * expected);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : encoded.length;
    if (start < HEADER || end > encoded.length || end < start) throw new CodecError(`RLE segment ${s + 1} has offsets ${start}..${end} outside the ${encoded.length}-byte frame`);
    const sample = Math.floor(s / bytesPerSample);
    // Segments go most significant byte first; the output is little endian.
    const byte = bytesPerSample - 1 - (s % bytesPerSample);
    const produced = unpackBits(encoded, start, end, out, sample * bytesPerSample + byte, expected, pixels);
    if (produced < pixels) throw new CodecError(`RLE segment ${s + 1} decodes to ${produced} bytes, ${pixels} expected`);
  }
  return out;
}

/** PackBits: n in 0..127 copies n+1 literal bytes, -127..-1 repeats the next byte 1-n times, -128 is a no-op. */
function unpackBits(input: Uint8Array, start: number, end: number, out: Uint8Array, first: number, stride: number, count: number): number {
  let at = start;
  let n = 0;
  let o = first;
  while (at < end && n < count) {
    const control = (input[at++]! << 24) >> 24;
    if (control >= 0) {
      const run = Math.min(control + 1, count - n, end - at);
      for (let i = 0; i < run; i++, o += stride) out[o] = input[at + i]!;
      at += control + 1;
      n += run;
    } else if (control !== -128) {
      if (at >= end) break;
      const value = input[at++]!;
      const run = Math.min(1 - control, count - n);
      for (let i = 0; i < run; i++, o += stride) out[o] = value;
      n += run;
    }
  }
  return n;
}
