/**
 * A decoded frame to 8-bit display values: the grayscale pipeline of PS3.3
 * C.11 (Modality LUT by rescale slope/intercept, linear VOI window,
 * MONOCHROME1 inverted) or colour as RGB (YBR_FULL converted, palettes
 * looked up).
 */
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import type { DecodedFrame } from './decode-frame.js';
import { CodecError, type ImagePixelInfo } from './pixel-info.js';
import { chooseWindow, contentRange, valueRange, type VoiWindow } from './render-window.js';

export interface DisplayImage {
  /** width*height*channels bytes, row by row. */
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}


/** `fitToContent`: use the file's window only when it shows the content, else one from the histogram (render-window.ts). */
export function toDisplay(decoded: DecodedFrame, json: DicomJsonDataset, window?: VoiWindow, fitToContent = false): DisplayImage {
  const { info } = decoded;
  const photometric = info.photometricInterpretation;
  const base = { width: info.columns, height: info.rows };
  if (photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2') {
    return { ...base, channels: 1, pixels: grayscale(decoded, json, window, fitToContent) };
  }
  if (photometric === 'RGB' || photometric === 'YBR_FULL') return { ...base, channels: 3, pixels: colour(decoded) };
  if (photometric === 'PALETTE COLOR') return { ...base, channels: 3, pixels: palette(decoded, json) };
  throw new CodecError(`rendering ${photometric} is not supported`);
}

/** Stored value of sample i: the Bits Stored bits below High Bit, sign-extended when Pixel Representation is 1. */
function storedReader(pixels: Uint8Array, info: ImagePixelInfo): (i: number) => number {
  const { bitsAllocated, bitsStored, highBit, pixelRepresentation } = info;
  const view = new DataView(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const raw: (i: number) => number =
    bitsAllocated === 1
      ? (i) => (pixels[i >> 3]! >> (i & 7)) & 1
      : bitsAllocated === 8
        ? (i) => pixels[i]!
        : bitsAllocated === 16
          ? (i) => view.getUint16(2 * i, true)
          : bitsAllocated === 32
            ? (i) => view.getUint32(4 * i, true)
            : () => {
                throw new CodecError(`rendering Bits Allocated ${bitsAllocated} is not supported`);
              };
  if (bitsAllocated === 1) return raw;
  const shift = Math.max(0, highBit + 1 - bitsStored);
  const range = 2 ** bitsStored;
  const signBit = range / 2;
  // Arithmetic rather than bit operators: Bits Stored may be 32.
  return (i) => {
    const value = Math.floor(raw(i) / 2 ** shift) % range;
    return pixelRepresentation === 1 && value >= signBit ? value - range : value;
  };
}

function firstNumber(json: DicomJsonDataset, key: string): number | undefined {
  const value = json[key]?.Value?.[0];
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function grayscale(decoded: DecodedFrame, json: DicomJsonDataset, requested: VoiWindow | undefined, fitToContent: boolean): Uint8Array {
  const { info, pixels } = decoded;
  const count = info.rows * info.columns;
  const stored = storedReader(pixels, info);
  const slope = firstNumber(json, '00281053') ?? 1;
  const intercept = firstNumber(json, '00281052') ?? 0;
  const modality = (i: number): number => stored(i) * slope + intercept;
  if (requested !== undefined && !(requested.width >= 1)) throw new CodecError(`window width must be at least 1 (got ${requested.width})`);
  const fileCenter = firstNumber(json, '00281050');
  const fileWidth = firstNumber(json, '00281051');
  const file = fileCenter !== undefined && fileWidth !== undefined && fileWidth >= 1 ? { center: fileCenter, width: fileWidth } : undefined;
  // Pixel Padding Value marks pixels outside the scanned body: not content (min..max keeps them, as dcm2pnm +Wm does).
  const padding = firstNumber(json, '00280120');
  const content = (i: number) => (stored(i) === padding ? NaN : modality(i));
  const window = chooseWindow({ requested, file, fitToContent }, { minMax: () => valueRange(count, modality), content: () => contentRange(count, content) });
  const invert = info.photometricInterpretation === 'MONOCHROME1';
  const { center, width } = window;
  const lower = center - 0.5 - (width - 1) / 2;
  const upper = center - 0.5 + (width - 1) / 2;
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const x = modality(i);
    // PS3.3 C.11.2.1.2.1, linear VOI function, output range 0..255.
    const y = x <= lower ? 0 : x > upper ? 255 : Math.round(((x - (center - 0.5)) / (width - 1) + 0.5) * 255);
    out[i] = invert ? 255 - y : y;
  }
  return out;
}

function colour(decoded: DecodedFrame): Uint8Array {
  const { info, pixels } = decoded;
  const samples = info.rows * info.columns * 3;
  let rgb = pixels;
  if (info.bitsAllocated !== 8) {
    const stored = storedReader(pixels, { ...info, pixelRepresentation: 0 });
    const shift = 2 ** Math.max(0, info.bitsStored - 8);
    rgb = new Uint8Array(samples);
    for (let i = 0; i < samples; i++) rgb[i] = Math.min(255, Math.floor(stored(i) / shift));
  }
  if (info.photometricInterpretation !== 'YBR_FULL') return rgb.subarray(0, samples);
  // PS3.3 C.7.6.3.1.2: YBR_FULL to RGB.
  const out = new Uint8Array(samples);
  for (let i = 0; i < samples; i += 3) {
    const y = rgb[i]!;
    const cb = rgb[i + 1]! - 128;
    const cr = rgb[i + 2]! - 128;
    out[i] = clamp(y + 1.402 * cr);
    out[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
    out[i + 2] = clamp(y + 1.772 * cb);
  }
  return out;
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** PALETTE COLOR with its LUTs inline in the JSON (they are small: 256 or 4096 entries of 16 bits). */
function palette(decoded: DecodedFrame, json: DicomJsonDataset): Uint8Array {
  const { info, pixels } = decoded;
  const luts = (['1101', '1102', '1103'] as const).map((descriptor, channel) => {
    const values = json[`0028${descriptor}`]?.Value;
    const data = json[`002812${['01', '02', '03'][channel]}`];
    if (!values || values.length < 3) throw new CodecError(`palette LUT descriptor (0028,${descriptor}) is missing`);
    if (data?.InlineBinary === undefined) {
      throw new CodecError(`palette LUT data (0028,12${['01', '02', '03'][channel]}) is ${data?.BulkDataURI ? 'bulk data, not in the metadata' : 'missing (segmented palettes are not supported)'}`);
    }
    const entries = (values[0] as number) || 65536;
    const first = values[1] as number;
    const bits = values[2] as number;
    const bytes = Buffer.from(data.InlineBinary, 'base64');
    // 8-bit entries come packed or one per 16-bit word, depending on the writer.
    const entry = (k: number): number => (bits === 8 ? (bytes.length >= 2 * entries ? bytes[2 * k]! : bytes[k]!) : bytes.readUInt16LE(2 * k) >> 8);
    return { entries, first, entry };
  });
  const count = info.rows * info.columns;
  const stored = storedReader(pixels, info);
  const out = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    const v = stored(i);
    for (let c = 0; c < 3; c++) {
      const lut = luts[c]!;
      out[3 * i + c] = lut.entry(Math.min(lut.entries - 1, Math.max(0, v - lut.first)));
    }
  }
  return out;
}
