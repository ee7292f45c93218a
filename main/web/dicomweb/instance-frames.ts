/**
 * Where an instance's frames are in its stored file (helper C's frame
 * locator over the Pixel Data range the index lists), and reading one
 * frame's encoded bytes; shared by the frames and rendered resources.
 */
import { open } from 'node:fs/promises';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { locateFrames, type FrameLocation } from '../../codec/frame-locator.js';
import { CodecError, pixelInfoOf, type ImagePixelInfo } from '../../codec/pixel-info.js';
import type { HeldInstance } from '../../store/archive-reader.js';
import { DicomWebError } from './dicomweb-error.js';
import { parseBulkReference } from './urls.js';

const PIXEL_DATA = '7FE00010';

export interface InstanceFrames {
  row: HeldInstance;
  json: DicomJsonDataset;
  /** Absolute path of the stored file. */
  path: string;
  info: ImagePixelInfo;
  locations: FrameLocation[];
}

export async function instanceFrames(row: HeldInstance, json: DicomJsonDataset, path: string): Promise<InstanceFrames> {
  const reference = json[PIXEL_DATA]?.BulkDataURI;
  const pixelData = reference === undefined ? undefined : parseBulkReference(reference);
  if (!pixelData) throw new DicomWebError(404, `instance ${row.sopInstanceUid} has no Pixel Data (7FE0,0010), so no frames`);
  if (row.deflated) {
    throw new DicomWebError(501, `instance ${row.sopInstanceUid} is stored deflated (Deflated Explicit VR Little Endian): its frames are not addressable in the file; retrieve the whole instance instead`);
  }
  try {
    const info = pixelInfoOf(json);
    return { row, json, path, info, locations: await locateFrames(path, pixelData, row.transferSyntaxUid, info) };
  } catch (error) {
    if (error instanceof CodecError) throw new DicomWebError(501, `frames of instance ${row.sopInstanceUid} cannot be located: ${error.message}`);
    throw error;
  }
}

/**
 * Frame numbers of a PS3.18 frame list ("1,3,5"), 1-based, in the order
 * given; absent means every frame. A number past the last frame is a 404
 * naming it.
 */
export function frameNumbers(list: string | undefined, frames: InstanceFrames): number[] {
  const count = frames.locations.length;
  if (list === undefined) return Array.from({ length: count }, (_, i) => i + 1);
  const numbers = list.split(',').map((text) => {
    if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1) throw new DicomWebError(400, `frame list "${list}": "${text}" is not a frame number (1, 2, ...)`);
    return Number(text);
  });
  const missing = numbers.filter((n) => n > count);
  if (missing.length > 0) {
    throw new DicomWebError(404, `frame${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of instance ${frames.row.sopInstanceUid} do${missing.length > 1 ? '' : 'es'} not exist: it has ${count} frame${count === 1 ? '' : 's'}`);
  }
  return numbers;
}

/** One frame's encoded bytes (its fragments joined), read from the file. */
export async function readFrame(frames: InstanceFrames, frameNumber: number): Promise<Uint8Array> {
  const location = frames.locations[frameNumber - 1];
  if (!location) throw new DicomWebError(404, `frame ${frameNumber} of instance ${frames.row.sopInstanceUid} does not exist`);
  const total = location.ranges.reduce((n, r) => n + r.length, 0);
  const out = Buffer.allocUnsafe(total);
  const handle = await open(frames.path, 'r');
  try {
    let at = 0;
    for (const range of location.ranges) {
      const { bytesRead } = await handle.read(out, at, range.length, range.offset);
      if (bytesRead !== range.length) throw new Error(`${frames.path}: ${range.length} bytes expected at offset ${range.offset}, ${bytesRead} read`);
      at += range.length;
    }
  } finally {
    await handle.close();
  }
  return out;
}
