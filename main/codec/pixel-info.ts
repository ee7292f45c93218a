/**
 * The Image Pixel module attributes (PS3.3 C.7.6.3) that say how to read a
 * Pixel Data value, taken from an instance's DICOM JSON.
 */
import type { DicomJsonDataset } from '../../shared/dicom/json.js';

/** Pixel data that cannot be located, decoded, converted or rendered; the message says which file, tag or syntax. */
export class CodecError extends Error {
  override readonly name = 'CodecError';
}

export interface ImagePixelInfo {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: number;
  photometricInterpretation: string;
  /** 0 colour-by-pixel (RGBRGB...), 1 colour-by-plane (RR..GG..BB..). */
  planarConfiguration: number;
  numberOfFrames: number;
  /** VR of Pixel Data as stored: explicit big endian swaps OW words even when Bits Allocated is 8. */
  pixelDataVr?: string;
}

const ATTRIBUTES = {
  samplesPerPixel: ['00280002', 'Samples per Pixel (0028,0002)'],
  photometricInterpretation: ['00280004', 'Photometric Interpretation (0028,0004)'],
  planarConfiguration: ['00280006', 'Planar Configuration (0028,0006)'],
  numberOfFrames: ['00280008', 'Number of Frames (0028,0008)'],
  rows: ['00280010', 'Rows (0028,0010)'],
  columns: ['00280011', 'Columns (0028,0011)'],
  bitsAllocated: ['00280100', 'Bits Allocated (0028,0100)'],
  bitsStored: ['00280101', 'Bits Stored (0028,0101)'],
  highBit: ['00280102', 'High Bit (0028,0102)'],
  pixelRepresentation: ['00280103', 'Pixel Representation (0028,0103)'],
} as const;

type Name = keyof typeof ATTRIBUTES;

/**
 * Rows, Columns, Bits Allocated, Samples per Pixel and Photometric
 * Interpretation are required; the others default as PS3.3 implies
 * (Bits Stored = Bits Allocated, High Bit = Bits Stored - 1, unsigned,
 * colour-by-pixel, one frame).
 */
export function pixelInfoOf(json: DicomJsonDataset): ImagePixelInfo {
  const rows = positive(json, 'rows');
  const columns = positive(json, 'columns');
  const bitsAllocated = positive(json, 'bitsAllocated');
  if (![1, 8, 16, 32, 64].includes(bitsAllocated)) throw new CodecError(`${ATTRIBUTES.bitsAllocated[1]} is ${bitsAllocated}: only 1, 8, 16, 32 or 64 are readable`);
  const samplesPerPixel = positive(json, 'samplesPerPixel');
  const photometricInterpretation = text(json, 'photometricInterpretation');
  const bitsStored = optionalNumber(json, 'bitsStored') ?? bitsAllocated;
  if (bitsStored < 1 || bitsStored > bitsAllocated) throw new CodecError(`${ATTRIBUTES.bitsStored[1]} is ${bitsStored}, Bits Allocated ${bitsAllocated}`);
  const info: ImagePixelInfo = {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    highBit: optionalNumber(json, 'highBit') ?? bitsStored - 1,
    pixelRepresentation: optionalNumber(json, 'pixelRepresentation') ?? 0,
    photometricInterpretation,
    planarConfiguration: samplesPerPixel > 1 ? (optionalNumber(json, 'planarConfiguration') ?? 0) : 0,
    numberOfFrames: optionalNumber(json, 'numberOfFrames') ?? 1,
  };
  if (info.numberOfFrames < 1) throw new CodecError(`${ATTRIBUTES.numberOfFrames[1]} is ${info.numberOfFrames}`);
  const vr = json['7FE00010']?.vr;
  if (vr !== undefined) info.pixelDataVr = vr;
  return info;
}

function optionalNumber(json: DicomJsonDataset, name: Name): number | undefined {
  const [key, label] = ATTRIBUTES[name];
  const value = json[key]?.Value?.[0];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  if (!Number.isInteger(n)) throw new CodecError(`${label} is not an integer (${JSON.stringify(value)})`);
  return n;
}

function positive(json: DicomJsonDataset, name: Name): number {
  const n = optionalNumber(json, name);
  if (n === undefined) throw new CodecError(`${ATTRIBUTES[name][1]} is missing`);
  if (n < 1) throw new CodecError(`${ATTRIBUTES[name][1]} is ${n}`);
  return n;
}

function text(json: DicomJsonDataset, name: Name): string {
  const value = json[ATTRIBUTES[name][0]]?.Value?.[0];
  if (typeof value !== 'string' || value.trim() === '') throw new CodecError(`${ATTRIBUTES[name][1]} is missing`);
  return value.trim();
}

/** Bytes of one native (uncompressed) frame as stored; YBR_FULL_422 keeps two samples per pixel (PS3.3 C.7.6.3.1.2). */
export function nativeFrameBits(info: ImagePixelInfo): number {
  const samples = info.photometricInterpretation === 'YBR_FULL_422' && info.samplesPerPixel === 3 ? 2 : info.samplesPerPixel;
  return info.rows * info.columns * samples * info.bitsAllocated;
}
