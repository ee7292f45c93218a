/**
 * A native (uncompressed) frame to the decoded layout: little endian,
 * colour-by-pixel, three samples per pixel for YBR_FULL_422.
 */
import { CodecError, nativeFrameBits, type ImagePixelInfo } from './pixel-info.js';

export function nativeToDecoded(encoded: Uint8Array, info: ImagePixelInfo, bigEndian: boolean): { pixels: Uint8Array; info: ImagePixelInfo } {
  const length = Math.ceil(nativeFrameBits(info) / 8);
  if (encoded.length < length) throw new CodecError(`native frame holds ${encoded.length} bytes, ${length} expected`);
  let pixels: Uint8Array = encoded.slice(0, length);
  if (bigEndian) swapBytes(pixels, info.bitsAllocated > 8 ? info.bitsAllocated / 8 : info.pixelDataVr === 'OW' ? 2 : 1);
  const out = { ...info, planarConfiguration: 0 };
  if (info.photometricInterpretation === 'YBR_FULL_422' && info.samplesPerPixel === 3) {
    pixels = upsample422(pixels, info);
    out.photometricInterpretation = 'YBR_FULL';
  } else if (info.planarConfiguration === 1 && info.samplesPerPixel > 1) {
    pixels = interleave(pixels, info.samplesPerPixel, info.bitsAllocated / 8);
  }
  return { pixels, info: out };
}

/** Reverse the byte order of each `size`-byte word, in place. */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size <= 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/** Colour-by-plane (RR..GG..BB..) to colour-by-pixel (RGBRGB..). */
export function interleave(planar: Uint8Array, samples: number, bytesPerSample: number): Uint8Array {
  const pixels = planar.length / (samples * bytesPerSample);
  const out = new Uint8Array(planar.length);
  for (let s = 0; s < samples; s++) {
    for (let p = 0; p < pixels; p++) {
      for (let b = 0; b < bytesPerSample; b++) out[(p * samples + s) * bytesPerSample + b] = planar[(s * pixels + p) * bytesPerSample + b]!;
    }
  }
  return out;
}

/** Y1 Y2 Cb Cr for each horizontal pair of pixels (PS3.3 C.7.6.3.1.2) to Y Cb Cr per pixel. */
function upsample422(pairs: Uint8Array, info: ImagePixelInfo): Uint8Array {
  if (info.bitsAllocated !== 8 || info.columns % 2 !== 0) {
    throw new CodecError(`native YBR_FULL_422 with Bits Allocated ${info.bitsAllocated} and ${info.columns} columns is not supported`);
  }
  const out = new Uint8Array(info.rows * info.columns * 3);
  for (let i = 0, o = 0; o < out.length; i += 4, o += 6) {
    const cb = pairs[i + 2]!;
    const cr = pairs[i + 3]!;
    out[o] = pairs[i]!;
    out[o + 1] = cb;
    out[o + 2] = cr;
    out[o + 3] = pairs[i + 1]!;
    out[o + 4] = cb;
    out[o + 5] = cr;
  }
  return out;
}
