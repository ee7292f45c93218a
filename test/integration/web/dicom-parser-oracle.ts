/**
 * Frame and pixel bytes of a Part 10 file read with dicom-parser (npm), an
 * implementation independent of ours, to check what the server sends.
 */
import { readFileSync } from 'node:fs';
import dicomParser from 'dicom-parser';

function parsed(path: string) {
  const bytes = new Uint8Array(readFileSync(path));
  const dataSet = dicomParser.parseDicom(bytes);
  const pixelData = dataSet.elements['x7fe00010'];
  if (!pixelData) throw new Error(`${path}: no Pixel Data`);
  return { bytes, dataSet, pixelData };
}

/** The encoded bytes of each frame of an encapsulated file (one fragment per frame, or as its offset table says). */
export function encapsulatedFrames(path: string): Uint8Array[] {
  const { dataSet, pixelData } = parsed(path);
  const frames = Number(dataSet.string('x00280008') ?? '1');
  const fragments = pixelData.fragments ?? [];
  if ((pixelData.basicOffsetTable?.length ?? 0) > 0) {
    return Array.from({ length: frames }, (_, i) => new Uint8Array(dicomParser.readEncapsulatedImageFrame(dataSet, pixelData, i)));
  }
  if (fragments.length === frames) return fragments.map((_, i) => new Uint8Array(dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, i, 1)));
  if (frames === 1) return [new Uint8Array(dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, 0, fragments.length))];
  throw new Error(`${path}: ${fragments.length} fragments for ${frames} frames and no offset table`);
}

/** The native Pixel Data value of an uncompressed file. */
export function nativePixelData(path: string): Uint8Array {
  const { bytes, pixelData } = parsed(path);
  return bytes.subarray(pixelData.dataOffset, pixelData.dataOffset + pixelData.length);
}
