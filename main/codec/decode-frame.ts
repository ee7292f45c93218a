/**
 * One frame of pixel data, in any transfer syntax we can read, to native
 * little-endian samples: colour-by-pixel, signed values as stored (two's
 * complement), the photometric interpretation the decoder produced.
 */
import { createRequire } from 'node:module';
import { DEFLATED_EXPLICIT_VR_LE, EXPLICIT_VR_BE, EXPLICIT_VR_LE, IMPLICIT_VR_LE, uidName } from '../../shared/dicom/uid-registry.js';
import { errorMessage } from '../../shared/error-message.js';
import { interleave, nativeToDecoded } from './native-frame.js';
import { CodecError, type ImagePixelInfo } from './pixel-info.js';
import { decodeRle } from './rle-decode.js';
import { wasmDecode, type WasmCodec, type WasmDecoded } from './wasm-codecs.js';

export interface DecodedFrame {
  pixels: Uint8Array;
  /** The source's info with what decoding changed: Planar Configuration 0, e.g. YBR_FULL_422 JPEG -> RGB. */
  info: ImagePixelInfo;
  /** Decoded from a lossy encoding (JPEG baseline/extended, JPEG-LS near-lossless, irreversible JPEG 2000). */
  lossy?: boolean;
}

type Decoder = (encoded: Uint8Array, info: ImagePixelInfo) => Promise<DecodedFrame>;

const ENCAPSULATED_UNCOMPRESSED = '1.2.840.10008.1.2.1.98';
const RLE_LOSSLESS = '1.2.840.10008.1.2.5';

const native =
  (bigEndian: boolean): Decoder =>
  async (encoded, info) => ({ ...nativeToDecoded(encoded, info, bigEndian), lossy: false });

const jpegBaseline: Decoder = async (encoded, info) => {
  const header = jpegHeader(encoded);
  if (header.precision !== undefined && header.precision > 8) {
    throw new CodecError(`${header.precision}-bit JPEG (Extended, process 4) is not supported: the libjpeg-turbo decoder is 8-bit only`);
  }
  let stream = encoded;
  let converted = libjpegConvertsToRgb(header);
  if (converted && info.photometricInterpretation === 'RGB' && !header.jfif && header.adobeTransform === undefined && !isYcbcrIds(header.componentIds)) {
    // Nothing in the stream says YCbCr and the dataset says RGB (e.g. Aperio tiles with component ids 0,1,2):
    // libjpeg would guess YCbCr; an Adobe marker with transform 0 makes it keep the samples as they are.
    stream = withAdobeNoTransform(encoded);
    converted = false;
  }
  const decoded = await wasmDecode('libjpeg-turbo', stream);
  const photometric = info.samplesPerPixel !== 3 ? info.photometricInterpretation : converted ? 'RGB' : info.photometricInterpretation === 'YBR_FULL_422' ? 'YBR_FULL' : info.photometricInterpretation;
  return fromCodec(decoded, info, photometric, true);
};

const jpegLossless: Decoder = async (encoded, info) => {
  const decoder = new (losslessDecoder())();
  let samples: Uint8Array | Uint16Array;
  try {
    samples = decoder.decode(encoded.buffer, encoded.byteOffset, encoded.byteLength, info.bitsAllocated > 8 ? 2 : 1);
  } catch (error) {
    throw new CodecError(`jpeg-lossless-decoder-js could not decode the frame: ${errorMessage(error)}`);
  }
  const frameInfo = { width: decoder.xDim, height: decoder.yDim, bitsPerSample: samples.BYTES_PER_ELEMENT * 8, componentCount: decoder.numComp };
  const pixels = new Uint8Array(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength));
  return fromCodec({ pixels, frameInfo }, info, info.photometricInterpretation, false);
};

const jpegLs: Decoder = async (encoded, info) => {
  const decoded = await wasmDecode('charls', encoded);
  if (decoded.interleaveMode === 0 && info.samplesPerPixel > 1) {
    decoded.pixels = interleave(decoded.pixels, info.samplesPerPixel, decoded.frameInfo.bitsPerSample > 8 ? 2 : 1);
  }
  return fromCodec(decoded, info, info.photometricInterpretation, (decoded.nearLossless ?? 0) > 0);
};

const jpeg2000 =
  (codec: WasmCodec): Decoder =>
  async (encoded, info) => {
    const decoded = await wasmDecode(codec, encoded);
    // The decoders undo the multiple component transform (PS3.5 8.2.4), so YBR_ICT / YBR_RCT come out as RGB.
    const photometric = /^YBR_(ICT|RCT)$/.test(info.photometricInterpretation) ? 'RGB' : info.photometricInterpretation;
    return fromCodec(decoded, info, photometric, decoded.reversible === false);
  };

const rle: Decoder = async (encoded, info) => ({ pixels: decodeRle(encoded, info), info: { ...info, planarConfiguration: 0 }, lossy: false });

const DECODERS = new Map<string, Decoder>([
  [IMPLICIT_VR_LE, native(false)],
  [EXPLICIT_VR_LE, native(false)],
  [DEFLATED_EXPLICIT_VR_LE, native(false)],
  [ENCAPSULATED_UNCOMPRESSED, native(false)],
  [EXPLICIT_VR_BE, native(true)],
  [RLE_LOSSLESS, rle],
  ['1.2.840.10008.1.2.4.50', jpegBaseline],
  ['1.2.840.10008.1.2.4.51', jpegBaseline],
  ['1.2.840.10008.1.2.4.57', jpegLossless],
  ['1.2.840.10008.1.2.4.70', jpegLossless],
  ['1.2.840.10008.1.2.4.80', jpegLs],
  ['1.2.840.10008.1.2.4.81', jpegLs],
  ['1.2.840.10008.1.2.4.90', jpeg2000('openjpeg')],
  ['1.2.840.10008.1.2.4.91', jpeg2000('openjpeg')],
  ['1.2.840.10008.1.2.4.201', jpeg2000('openjph')],
  ['1.2.840.10008.1.2.4.202', jpeg2000('openjph')],
  ['1.2.840.10008.1.2.4.203', jpeg2000('openjph')],
]);

/** Whether frames in this transfer syntax can be decoded at all (a given image may still fail, e.g. 12-bit JPEG). */
export function canDecode(transferSyntaxUid: string): boolean {
  return DECODERS.has(transferSyntaxUid);
}

export async function decodeFrame(transferSyntaxUid: string, encoded: Uint8Array, info: ImagePixelInfo): Promise<DecodedFrame> {
  const name = uidName(transferSyntaxUid) ?? transferSyntaxUid;
  const decoder = DECODERS.get(transferSyntaxUid);
  if (decoder === undefined) throw new CodecError(`no decoder for ${name}`);
  try {
    return await decoder(encoded, info);
  } catch (error) {
    if (error instanceof CodecError) throw new CodecError(`${name}: ${error.message}`);
    throw error;
  }
}

/** Check a codec's output against the dataset and widen 8-bit samples when Bits Allocated is 16. */
function fromCodec(decoded: Pick<WasmDecoded, 'pixels' | 'frameInfo'>, info: ImagePixelInfo, photometricInterpretation: string, lossy: boolean): DecodedFrame {
  const { pixels, frameInfo } = decoded;
  if (frameInfo.width !== info.columns || frameInfo.height !== info.rows || frameInfo.componentCount !== info.samplesPerPixel) {
    throw new CodecError(
      `the codestream is ${frameInfo.width}x${frameInfo.height} with ${frameInfo.componentCount} component(s), the dataset says ${info.columns}x${info.rows} with ${info.samplesPerPixel}`,
    );
  }
  const samples = info.rows * info.columns * info.samplesPerPixel;
  const decodedBytes = pixels.length / samples;
  const targetBytes = info.bitsAllocated / 8;
  let out = pixels;
  if (decodedBytes === 1 && targetBytes === 2) {
    out = new Uint8Array(samples * 2);
    for (let i = 0; i < samples; i++) out[2 * i] = pixels[i]!;
  } else if (decodedBytes !== targetBytes) {
    throw new CodecError(`decoded ${frameInfo.bitsPerSample}-bit samples (${pixels.length} bytes) do not fit Bits Allocated ${info.bitsAllocated}`);
  }
  return { pixels: out, info: { ...info, photometricInterpretation, planarConfiguration: 0 }, lossy };
}

interface JpegHeader {
  precision?: number;
  componentIds: number[];
  jfif: boolean;
  /** The Adobe APP14 colour transform flag, when the marker is there. */
  adobeTransform?: number;
}

/** The markers before the first scan that decide libjpeg's colour handling (and the sample precision). */
function jpegHeader(jpeg: Uint8Array): JpegHeader {
  const header: JpegHeader = { componentIds: [], jfif: false };
  const text = (at: number, length: number): string => String.fromCharCode(...jpeg.subarray(at, at + length));
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xda) break;
    const length = (jpeg[at + 2]! << 8) | jpeg[at + 3]!;
    const body = at + 4;
    if (marker === 0xe0 && text(body, 5) === 'JFIF\0') header.jfif = true;
    if (marker === 0xee && text(body, 5) === 'Adobe' && length >= 14) header.adobeTransform = jpeg[body + 11];
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      header.precision = jpeg[body];
      const components = jpeg[body + 5] ?? 0;
      for (let i = 0; i < components; i++) header.componentIds.push(jpeg[body + 6 + 3 * i] ?? 0);
    }
    at += 2 + length;
  }
  return header;
}

const isYcbcrIds = (ids: number[]): boolean => ids.length === 3 && ids[0] === 1 && ids[1] === 2 && ids[2] === 3;

/** libjpeg's rule (jdapimin.c) for three components: YCbCr, hence converted to RGB, unless the stream says RGB. */
function libjpegConvertsToRgb(header: JpegHeader): boolean {
  if (header.componentIds.length !== 3) return false;
  if (header.jfif) return true;
  if (header.adobeTransform !== undefined) return header.adobeTransform !== 0;
  const [r, g, b] = header.componentIds;
  return !(r === 0x52 && g === 0x47 && b === 0x42);
}

/** The stream with an Adobe APP14 segment (transform 0: no colour conversion) right after SOI. */
function withAdobeNoTransform(jpeg: Uint8Array): Uint8Array {
  const app14 = [0xff, 0xee, 0x00, 0x0e, ...Array.from('Adobe', (c) => c.charCodeAt(0)), 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00];
  const out = new Uint8Array(jpeg.length + app14.length);
  out.set(jpeg.subarray(0, 2));
  out.set(app14, 2);
  out.set(jpeg.subarray(2), 2 + app14.length);
  return out;
}

interface LosslessDecoder {
  decode(buffer: ArrayBufferLike, offset: number, length: number, numBytes: number): Uint8Array | Uint16Array;
  xDim: number;
  yDim: number;
  numComp: number;
}

let LosslessDecoderClass: (new () => LosslessDecoder) | undefined;
/** jpeg-lossless-decoder-js ships no type declarations; its CommonJS build is loaded once, on first use. */
function losslessDecoder(): new () => LosslessDecoder {
  LosslessDecoderClass ??= (createRequire(import.meta.url)('jpeg-lossless-decoder-js') as { Decoder: new () => LosslessDecoder }).Decoder;
  return LosslessDecoderClass;
}
