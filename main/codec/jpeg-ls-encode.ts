/**
 * Lossless JPEG-LS (1.2.840.10008.1.2.4.80) encoding with CharLS (the full
 * @cornerstonejs/codec-charls build; its _decode build has no encoder): one
 * frame at a time, and a whole Explicit VR Little Endian dataset with native
 * Pixel Data to the same dataset with encapsulated Pixel Data (an empty
 * Basic Offset Table, one fragment per frame, PS3.5 A.4).
 */
import { createRequire } from 'node:module';
import { concatBytes } from '../../shared/bytes.js';
import { parseDataset } from '../../shared/dicom/dataset-parser.js';
import { EXPLICIT_VR_LE } from '../../shared/dicom/uid-registry.js';
import { errorMessage } from '../../shared/error-message.js';
import { CodecError, pixelInfoOf, type ImagePixelInfo } from './pixel-info.js';

export const JPEG_LS_LOSSLESS = '1.2.840.10008.1.2.4.80';

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
}

interface CharlsEncoder {
  getDecodedBuffer(frameInfo: FrameInfo): Uint8Array;
  setNearLossless(near: number): void;
  /** 0 planes one after another, 1 line interleaved, 2 sample interleaved. */
  setInterleaveMode(mode: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}

type Factory = (options: { print: (line: string) => void; printErr: (line: string) => void }) => Promise<{ JpegLSEncoder?: new () => CharlsEncoder }>;

const PIXEL_DATA = 0x7fe00010;
const PLANAR_CONFIGURATION = '00280006';
/** Explicit VR LE header of OB/OW Pixel Data: tag, VR, reserved, 4-byte length. */
const LONG_HEADER = 12;
/** CharLS interleave modes: colour-by-plane input is encoded plane by plane (none), colour-by-pixel sample by sample. */
const PLANE_BY_PLANE = 0;
const SAMPLE_INTERLEAVED = 2;

let encoderClass: Promise<new () => CharlsEncoder> | undefined;

function loadEncoder(): Promise<new () => CharlsEncoder> {
  encoderClass ??= (async () => {
    const factory = createRequire(import.meta.url)('@cornerstonejs/codec-charls/wasmjs') as Factory;
    const module = await factory({ print: () => undefined, printErr: () => undefined });
    if (!module.JpegLSEncoder) throw new CodecError('@cornerstonejs/codec-charls/wasmjs has no JpegLSEncoder');
    return module.JpegLSEncoder;
  })();
  encoderClass.catch(() => (encoderClass = undefined));
  return encoderClass;
}

/** Why a native image cannot be encoded losslessly here; undefined when it can. */
export function jpegLsRefusal(info: ImagePixelInfo): string | undefined {
  if (info.bitsAllocated !== 8 && info.bitsAllocated !== 16) return `Bits Allocated ${info.bitsAllocated} (JPEG-LS holds 2 to 16 bits per sample; 8 or 16 allocated are encoded)`;
  if (info.samplesPerPixel !== 1 && info.samplesPerPixel !== 3) return `${info.samplesPerPixel} samples per pixel (1 or 3 are encoded)`;
  if (info.photometricInterpretation === 'YBR_FULL_422') return 'YBR_FULL_422 (sub-sampled chrominance) has no lossless JPEG-LS form';
  return undefined;
}

/**
 * One native frame (little endian, colour-by-pixel or by plane as
 * `info.planarConfiguration` says) as a JPEG-LS lossless
 * codestream. The sample precision is Bits Stored when every sample fits it
 * (for signed data, when the bits above are the sign's extension, which
 * decoders restore from Bits Stored and Pixel Representation); otherwise
 * Bits Allocated, so stray high bits are kept too.
 */
export async function encodeJpegLsFrame(frame: Uint8Array, info: ImagePixelInfo): Promise<Uint8Array> {
  const refusal = jpegLsRefusal(info);
  if (refusal) throw new CodecError(`cannot encode JPEG-LS: ${refusal}`);
  const samples = info.rows * info.columns * info.samplesPerPixel;
  const bytesPerSample = info.bitsAllocated / 8;
  if (frame.length < samples * bytesPerSample) throw new CodecError(`frame holds ${frame.length} bytes, ${samples * bytesPerSample} expected`);
  const precision = fitsBitsStored(frame, samples, info) ? Math.max(2, info.bitsStored) : info.bitsAllocated;
  const mask = (1 << precision) - 1;
  const Encoder = await loadEncoder();
  const encoder = new Encoder();
  try {
    const input = encoder.getDecodedBuffer({ width: info.columns, height: info.rows, bitsPerSample: precision, componentCount: info.samplesPerPixel });
    if (bytesPerSample === 1) for (let i = 0; i < samples; i++) input[i] = frame[i]! & mask;
    else {
      const words = new DataView(frame.buffer, frame.byteOffset, samples * 2);
      const out = new DataView(input.buffer, input.byteOffset, samples * 2);
      for (let i = 0; i < samples; i++) out.setUint16(i * 2, words.getUint16(i * 2, true) & mask, true);
    }
    if (info.samplesPerPixel > 1) encoder.setInterleaveMode(info.planarConfiguration === 1 ? PLANE_BY_PLANE : SAMPLE_INTERLEAVED);
    encoder.setNearLossless(0);
    encoder.encode();
    return new Uint8Array(encoder.getEncodedBuffer());
  } catch (error) {
    if (error instanceof CodecError) throw error;
    throw new CodecError(`CharLS could not encode a ${info.columns}x${info.rows} ${precision}-bit frame (${typeof error === 'number' ? 'aborted' : errorMessage(error)})`, { cause: error });
  } finally {
    encoder.delete();
  }
}

function fitsBitsStored(frame: Uint8Array, samples: number, info: ImagePixelInfo): boolean {
  const { bitsStored, bitsAllocated, pixelRepresentation } = info;
  if (bitsStored >= bitsAllocated) return true;
  const view = new DataView(frame.buffer, frame.byteOffset, samples * (bitsAllocated / 8));
  const extension = (bitsAllocated === 8 ? 0xff : 0xffff) >> bitsStored;
  for (let i = 0; i < samples; i++) {
    const value = bitsAllocated === 8 ? view.getUint8(i) : view.getUint16(i * 2, true);
    const high = value >> bitsStored;
    if (high === 0) continue;
    const negative = ((value >> (bitsStored - 1)) & 1) === 1;
    if (pixelRepresentation === 1 && negative && high === extension) continue;
    return false;
  }
  return true;
}

/** The dataset with its Pixel Data encoded, or why there was nothing JPEG-LS could hold (no Pixel Data, a refused format). */
export type JpegLsOutcome = { encoded: Uint8Array } | { notEncoded: string };

/**
 * An Explicit VR Little Endian dataset with native Pixel Data to the same
 * elements with every frame JPEG-LS encoded. `label` names the source in
 * errors (its file): broken pixel attributes and codec failures throw.
 */
export async function datasetToJpegLs(dataset: Uint8Array, label: string): Promise<JpegLsOutcome> {
  const json = parseDataset(dataset, { transferSyntaxUid: EXPLICIT_VR_LE });
  const uri = json['7FE00010']?.BulkDataURI;
  if (uri === undefined) return { notEncoded: `${label} has no Pixel Data` };
  const [offset, length] = uri.split('/').slice(1).map(Number) as [number, number];
  const headerStart = offset - LONG_HEADER;
  const view = new DataView(dataset.buffer, dataset.byteOffset, dataset.byteLength);
  if (length === 0xffffffff || headerStart < 0 || ((view.getUint16(headerStart, true) << 16) | view.getUint16(headerStart + 2, true)) >>> 0 !== PIXEL_DATA) {
    throw new CodecError(`${label}: Pixel Data is not native Explicit VR Little Endian`);
  }
  let info: ImagePixelInfo;
  try {
    info = pixelInfoOf(json);
  } catch (error) {
    throw new CodecError(`${label}: ${errorMessage(error)}`, { cause: error });
  }
  const refusal = jpegLsRefusal(info);
  if (refusal) return { notEncoded: `${label}: ${refusal}` };
  const frameBytes = info.rows * info.columns * info.samplesPerPixel * (info.bitsAllocated / 8);
  if (length < frameBytes * info.numberOfFrames) throw new CodecError(`${label}: Pixel Data holds ${length} bytes, ${info.numberOfFrames} frame(s) need ${frameBytes * info.numberOfFrames}`);
  const head = info.samplesPerPixel > 1 && info.planarConfiguration === 1 ? withPlanarConfigurationZero(dataset.subarray(0, headerStart), label) : dataset.subarray(0, headerStart);
  const parts: Uint8Array[] = [head, elementHeader(PIXEL_DATA, 'OB', 0xffffffff), item(0xe000, 0)];
  for (let i = 0; i < info.numberOfFrames; i++) {
    const start = offset + i * frameBytes;
    let encoded: Uint8Array;
    try {
      encoded = await encodeJpegLsFrame(dataset.subarray(start, start + frameBytes), info);
    } catch (error) {
      throw new CodecError(`${label}: frame ${i + 1} of ${info.numberOfFrames}: ${errorMessage(error)}`, { cause: error });
    }
    const padded = encoded.length % 2 === 0 ? encoded : concatBytes([encoded, new Uint8Array(1)]);
    parts.push(item(0xe000, padded.length), padded);
  }
  parts.push(item(0xe0dd, 0), dataset.subarray(offset + length));
  return { encoded: concatBytes(parts) };
}

/**
 * The elements before Pixel Data with Planar Configuration set to 0, as
 * PS3.5 8.2.3 wants for JPEG-LS (the codestream says how components are
 * interleaved). The value's offset comes from parsing every value as bulk data.
 */
function withPlanarConfigurationZero(head: Uint8Array, label: string): Uint8Array {
  const located = parseDataset(head, { transferSyntaxUid: EXPLICIT_VR_LE, bulkDataThreshold: 0, textBulkDataThreshold: 0 })[PLANAR_CONFIGURATION]?.BulkDataURI;
  const match = /^bulk\/(\d+)\/2$/.exec(located ?? '');
  if (!match) throw new CodecError(`${label}: Planar Configuration (0028,0006) is not a single US value`);
  const out = head.slice();
  out.fill(0, Number(match[1]), Number(match[1]) + 2);
  return out;
}

function elementHeader(tag: number, vr: string, length: number): Uint8Array {
  const out = new Uint8Array(LONG_HEADER);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag >>> 16, true);
  view.setUint16(2, tag & 0xffff, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  view.setUint32(8, length, true);
  return out;
}

function item(element: number, length: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfffe, true);
  view.setUint16(2, element, true);
  view.setUint32(4, length, true);
  return out;
}
