/**
 * Where each frame's bytes are in a stored file, from the Pixel Data value
 * range the index keeps. Encapsulated pixel data is walked by item headers
 * only; fragment data is never read (beyond the first two bytes of a
 * fragment when frame starts must be found by their markers).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { formatTag } from '../../shared/dicom/data-dictionary.js';
import { transferSyntax } from '../../shared/dicom/uid-registry.js';
import { CodecError, nativeFrameBits, type ImagePixelInfo } from './pixel-info.js';

export interface ByteRange {
  offset: number;
  length: number;
}

/** The byte ranges (in the file) that make up one frame: one for native data, the fragment values for encapsulated. */
export interface FrameLocation {
  ranges: ByteRange[];
}

const ITEM = 0xfffee000;
const SEQUENCE_DELIMITER = 0xfffee0dd;
/** Explicit VR LE header of encapsulated Pixel Data: tag, "OB", reserved, 0xFFFFFFFF. */
const PIXEL_DATA_HEADER = 12;
const EXTENDED_OFFSET_TABLE = 0x7fe00001;
const EXTENDED_OFFSET_TABLE_LENGTHS = 0x7fe00002;

interface Fragment {
  /** Offset of the item header relative to the first fragment's item header (what offset tables count). */
  itemOffset: number;
  value: ByteRange;
}

export async function locateFrames(path: string, pixelData: ByteRange, transferSyntaxUid: string, info: ImagePixelInfo): Promise<FrameLocation[]> {
  const syntax = transferSyntax(transferSyntaxUid);
  if (syntax?.deflated) {
    throw new CodecError(`${path}: frames of a deflated dataset are not addressable in the file (its offsets are in the inflated stream); convert the instance instead`);
  }
  if (syntax && !syntax.encapsulated) return nativeFrames(path, pixelData, info);
  const file = new WindowedReader(path, await open(path, 'r'));
  try {
    return await encapsulatedFrames(file, pixelData, transferSyntaxUid, info);
  } finally {
    await file.close();
  }
}

function nativeFrames(path: string, pixelData: ByteRange, info: ImagePixelInfo): FrameLocation[] {
  const frameBits = nativeFrameBits(info);
  if (frameBits % 8 !== 0 && info.numberOfFrames > 1) {
    throw new CodecError(`${path}: frames of ${frameBits} bits do not start on byte boundaries (Bits Allocated 1); not addressable as byte ranges`);
  }
  const frameBytes = Math.ceil(frameBits / 8);
  const needed = frameBytes * info.numberOfFrames;
  if (pixelData.length < needed) {
    throw new CodecError(`${path}: Pixel Data holds ${pixelData.length} bytes, ${info.numberOfFrames} frame(s) of ${frameBytes} bytes need ${needed}`);
  }
  return Array.from({ length: info.numberOfFrames }, (_, i) => ({ ranges: [{ offset: pixelData.offset + i * frameBytes, length: frameBytes }] }));
}

async function encapsulatedFrames(file: WindowedReader, pixelData: ByteRange, transferSyntaxUid: string, info: ImagePixelInfo): Promise<FrameLocation[]> {
  const { path } = file;
  const end = pixelData.offset + pixelData.length;
  let at = pixelData.offset;
  const readItem = async (): Promise<{ tag: number; length: number; start: number } | undefined> => {
    if (at + 8 > end) return undefined;
    const header = await file.read(at, 8);
    const tag = ((header.readUInt16LE(0) << 16) | header.readUInt16LE(2)) >>> 0;
    const item = { tag, length: header.readUInt32LE(4), start: at };
    at += 8;
    return item;
  };
  const bot = await readItem();
  if (bot?.tag !== ITEM) throw new CodecError(`${path}: encapsulated Pixel Data at offset ${pixelData.offset} does not start with the Basic Offset Table item`);
  if (bot.length % 4 !== 0 || at + bot.length > end) throw new CodecError(`${path}: Basic Offset Table of ${bot.length} bytes is malformed`);
  const botBytes = bot.length > 0 ? await file.read(at, bot.length) : Buffer.alloc(0);
  at += bot.length;
  const firstFragment = at;
  const fragments: Fragment[] = [];
  for (;;) {
    const item = await readItem();
    if (item === undefined || item.tag === SEQUENCE_DELIMITER) break;
    if (item.tag !== ITEM) throw new CodecError(`${path}: unexpected tag ${formatTag(item.tag)} at offset ${item.start} inside encapsulated Pixel Data`);
    if (item.length === 0xffffffff || at + item.length > end) throw new CodecError(`${path}: fragment at offset ${item.start} runs past the end of Pixel Data`);
    fragments.push({ itemOffset: item.start - firstFragment, value: { offset: at, length: item.length } });
    at += item.length;
  }
  const frames = info.numberOfFrames;
  if (fragments.length === 0) throw new CodecError(`${path}: encapsulated Pixel Data has no fragments`);
  if (fragments.length < frames) throw new CodecError(`${path}: ${fragments.length} fragment(s) for ${frames} frames`);

  if (botBytes.length > 0) {
    const offsets = Array.from({ length: botBytes.length / 4 }, (_, i) => botBytes.readUInt32LE(i * 4));
    return framesFromOffsets(path, 'Basic Offset Table', offsets, fragments, frames);
  }
  if (frames > 1) {
    const extended = await readExtendedOffsetTable(file, pixelData.offset - PIXEL_DATA_HEADER, frames);
    if (extended) return framesFromOffsets(path, 'Extended Offset Table', extended, fragments, frames);
  }
  if (fragments.length === frames) return fragments.map((f) => ({ ranges: [f.value] }));
  if (frames === 1) return [{ ranges: fragments.map((f) => f.value) }];
  const marker = FRAME_START_MARKERS[transferSyntaxUid];
  if (marker === undefined) {
    throw new CodecError(`${path}: ${fragments.length} fragments for ${frames} frames and no offset table: cannot tell which fragments make each frame`);
  }
  const starts: number[] = [];
  for (let i = 0; i < fragments.length; i++) {
    const value = fragments[i]!.value;
    if (value.length >= 2 && (await file.read(value.offset, 2)).readUInt16BE(0) === marker) starts.push(i);
  }
  if (starts.length !== frames || starts[0] !== 0) {
    throw new CodecError(`${path}: no offset table, and ${starts.length} of ${fragments.length} fragments start a codestream for ${frames} frames`);
  }
  return starts.map((start, i) => ({ ranges: fragments.slice(start, starts[i + 1] ?? fragments.length).map((f) => f.value) }));
}

/** Each offset must be a fragment's start; a frame is the fragments from its offset to the next one's. */
function framesFromOffsets(path: string, table: string, offsets: number[], fragments: Fragment[], frames: number): FrameLocation[] {
  if (offsets.length !== frames) throw new CodecError(`${path}: ${table} has ${offsets.length} entries for ${frames} frames`);
  const indexByOffset = new Map(fragments.map((f, i) => [f.itemOffset, i]));
  const starts = offsets.map((offset, frame) => {
    const index = indexByOffset.get(offset);
    if (index === undefined) throw new CodecError(`${path}: ${table} entry ${frame} (offset ${offset}) is not the start of a fragment`);
    return index;
  });
  return starts.map((start, i) => {
    const next = starts[i + 1] ?? fragments.length;
    if (next <= start) throw new CodecError(`${path}: ${table} offsets are not increasing at entry ${i + 1}`);
    return { ranges: fragments.slice(start, next).map((f) => f.value) };
  });
}

/**
 * The Extended Offset Table (7FE0,0001) and its Lengths (7FE0,0002), OV of 8
 * bytes per frame, are the last two elements before Pixel Data: read them
 * backwards from the Pixel Data header, checking their tags.
 */
async function readExtendedOffsetTable(file: WindowedReader, pixelHeader: number, frames: number): Promise<number[] | undefined> {
  const element = PIXEL_DATA_HEADER + 8 * frames;
  const start = pixelHeader - 2 * element;
  if (start < 0) return undefined;
  const bytes = await file.read(start, 2 * element);
  const isElement = (at: number, tag: number): boolean =>
    (((bytes.readUInt16LE(at) << 16) | bytes.readUInt16LE(at + 2)) >>> 0) === tag && bytes.toString('latin1', at + 4, at + 6) === 'OV' && bytes.readUInt32LE(at + 8) === 8 * frames;
  if (!isElement(0, EXTENDED_OFFSET_TABLE) || !isElement(element, EXTENDED_OFFSET_TABLE_LENGTHS)) return undefined;
  return Array.from({ length: frames }, (_, i) => Number(bytes.readBigUInt64LE(PIXEL_DATA_HEADER + 8 * i)));
}

/** First two bytes of each frame's codestream: SOI for the JPEG family and JPEG-LS, SOC for JPEG 2000 and HTJ2K. */
const SOI = 0xffd8;
const SOC = 0xff4f;
const FRAME_START_MARKERS: Record<string, number> = {
  '1.2.840.10008.1.2.4.50': SOI,
  '1.2.840.10008.1.2.4.51': SOI,
  '1.2.840.10008.1.2.4.57': SOI,
  '1.2.840.10008.1.2.4.70': SOI,
  '1.2.840.10008.1.2.4.80': SOI,
  '1.2.840.10008.1.2.4.81': SOI,
  '1.2.840.10008.1.2.4.90': SOC,
  '1.2.840.10008.1.2.4.91': SOC,
  '1.2.840.10008.1.2.4.201': SOC,
  '1.2.840.10008.1.2.4.202': SOC,
  '1.2.840.10008.1.2.4.203': SOC,
};

/**
 * Reads through a 64 KiB window: small fragments (many frames of a small
 * image) cost one read per window, not one per item header.
 */
class WindowedReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < this.windowStart || offset + length > this.windowStart + this.window.length) {
      const size = Math.max(length, 1 << 16);
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await this.handle.read(buffer, 0, size, offset);
      this.window = buffer.subarray(0, bytesRead);
      this.windowStart = offset;
      if (bytesRead < length) throw new CodecError(`${this.path}: file ends at ${offset + bytesRead}, before the ${length} bytes at offset ${offset}`);
    }
    return this.window.subarray(offset - this.windowStart, offset - this.windowStart + length);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
