/**
 * A decoded frame as an image for people: WADO-RS rendered and thumbnail
 * resources (PS3.18 8.3.5.1.3), JPEG or PNG, 8 bits, window/level and
 * viewport applied.
 */
import { encode as encodeJpeg } from 'jpeg-js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import type { DecodedFrame } from './decode-frame.js';
import { toDisplay, type DisplayImage } from './display-pixels.js';
import { CodecError } from './pixel-info.js';
import { encodePng } from './png-encode.js';
import { fitInto } from './resize.js';

export interface RenderOptions {
  format: 'jpeg' | 'png';
  /** Overrides the dataset's first Window Center/Width; without either, a window from the frame's histogram (render-window.ts). */
  window?: { center: number; width: number };
  /** Thumbnails: the dataset's window only when it shows the content, else the histogram's. */
  fitToContent?: boolean;
  /** The image is scaled to fit inside, aspect ratio kept, within the bounds of resize.ts (4096 px a side, 4× enlargement). */
  viewport?: { width: number; height: number };
  /** JPEG quality 1..100 (default 90). */
  quality?: number;
}

const DEFAULT_QUALITY = 90;

export async function renderFrame(decoded: DecodedFrame, json: DicomJsonDataset, options: RenderOptions): Promise<Uint8Array> {
  if (options.viewport) {
    const { width, height } = options.viewport;
    if (!(width >= 1 && height >= 1)) throw new CodecError(`viewport must be at least 1x1 (got ${width}x${height})`);
  }
  const image = fitInto(toDisplay(decoded, json, options.window, options.fitToContent), options.viewport);
  if (options.format === 'png') return encodePng(image.pixels, image.width, image.height, image.channels);
  const quality = options.quality ?? DEFAULT_QUALITY;
  if (!(quality >= 1 && quality <= 100)) throw new CodecError(`JPEG quality must be 1..100 (got ${quality})`);
  return new Uint8Array(encodeJpeg({ data: rgba(image), width: image.width, height: image.height }, quality).data);
}

/** jpeg-js takes RGBA only. */
function rgba(image: DisplayImage): Uint8Array {
  const count = image.width * image.height;
  const out = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    const source = i * image.channels;
    out[4 * i] = image.pixels[source]!;
    out[4 * i + 1] = image.pixels[source + (image.channels === 3 ? 1 : 0)]!;
    out[4 * i + 2] = image.pixels[source + (image.channels === 3 ? 2 : 0)]!;
    out[4 * i + 3] = 255;
  }
  return out;
}
