/**
 * A stored instance in any transfer syntax to an Explicit VR Little Endian
 * dataset with native Pixel Data: for a peer that accepts only uncompressed
 * (C-STORE sub-operations) and for DICOMweb clients that ask for it.
 *
 * An element-level walk over the source bytes, not a parse into a model:
 * every element other than Pixel Data and the few attributes decoding
 * changes is copied byte for byte from an explicit VR little endian source
 * (all encapsulated syntaxes are), or re-encoded element by element from
 * implicit VR or big endian, so private tags and odd VRs survive. The file
 * and its decoded frames are held in memory: one instance at a time.
 */
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { concatBytes } from '../../shared/bytes.js';
import { dictionaryVr, formatTag } from '../../shared/dicom/data-dictionary.js';
import { readFileMeta } from '../../shared/dicom/file-meta.js';
import type { DicomJsonDataset, DicomJsonElement } from '../../shared/dicom/json.js';
import { transferSyntax, uidName } from '../../shared/dicom/uid-registry.js';
import { convertValue, isKnownVr } from '../../shared/dicom/value-conversion.js';
import { errorMessage } from '../../shared/error-message.js';
import { decodeFrame, type DecodedFrame } from './decode-frame.js';
import { locateFrames } from './frame-locator.js';
import { swapBytes } from './native-frame.js';
import { CodecError, pixelInfoOf } from './pixel-info.js';

export interface Transcoded {
  /** The dataset (no File Meta) in Explicit VR Little Endian. */
  dataset: Uint8Array;
  /** The pixels came from a lossy encoding (Lossy Image Compression is "01" in the output). */
  lossy: boolean;
  /** What was changed, for the log: frames decoded, attributes updated. */
  notes: string[];
}

const UNDEFINED = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_DELIMITER = 0xfffee00d;
const SEQUENCE_DELIMITER = 0xfffee0dd;
const PIXEL_DATA = 0x7fe00010;
const EXTENDED_OFFSET_TABLES = new Set([0x7fe00001, 0x7fe00002]);
const PHOTOMETRIC = 0x00280004;
const PLANAR_CONFIGURATION = 0x00280006;
const PIXEL_REPRESENTATION = 0x00280103;
const LOSSY_IMAGE_COMPRESSION = 0x00282110;
/** Explicit VRs with a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2). */
const LONG_HEADER_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
/** Big endian value byte order by VR: the word size to reverse (PS3.5 7.3). */
const SWAP_SIZE: Record<string, number> = { US: 2, SS: 2, OW: 2, AT: 2, UL: 4, SL: 4, FL: 4, OF: 4, OL: 4, FD: 8, OD: 8, SV: 8, UV: 8, OV: 8 };

export async function transcodeToExplicitLittle(path: string): Promise<Transcoded> {
  const file = new Uint8Array(await readFile(path));
  const found = readFileMeta(file);
  if (!found) throw new CodecError(`${path}: not a DICOM Part 10 file (no DICM prefix)`);
  const uid = found.meta.transferSyntaxUid;
  const syntax = transferSyntax(uid);
  if (!syntax) throw new CodecError(`${path}: unknown transfer syntax ${uid}`);
  const data = syntax.deflated ? new Uint8Array(inflateRawSync(file.subarray(found.datasetOffset))) : file.subarray(found.datasetOffset);
  const walker = new Walker(path, file, data, syntax.deflated ? undefined : found.datasetOffset, uid);
  const top = await walker.dataset(0, data.length, { explicit: syntax.explicitVr, little: syntax.littleEndian }, undefined);
  return { dataset: flatten(top.entries), lossy: walker.lossy, notes: walker.notes };
}

interface Encoding {
  explicit: boolean;
  little: boolean;
}

/** One element of the output, kept apart so that attributes can be replaced or inserted in tag order. */
interface Entry {
  tag: number;
  chunks: Uint8Array[];
}

interface Header {
  tag: number;
  vr: string;
  length: number;
  start: number;
  valueStart: number;
}

interface Level {
  entries: Entry[];
  /** Whether the output differs from the source bytes (else a sequence holding it is copied as is). */
  changed: boolean;
  /** Where the walk stopped: the end of the dataset, or after an item delimiter. */
  end: number;
}

class Walker {
  lossy = false;
  readonly notes: string[] = [];
  private readonly view: DataView;

  constructor(
    private readonly path: string,
    private readonly file: Uint8Array,
    private readonly data: Uint8Array,
    /** Offset of data[0] in the file; undefined when the data was inflated. */
    private readonly fileOffset: number | undefined,
    private readonly transferSyntaxUid: string,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  /**
   * The elements from `pos` to `end` (or to an item delimiter when `end` is
   * undefined, inside an item). The inherited Pixel Representation resolves
   * US/SS in implicit VR.
   */
  async dataset(pos: number, end: number | undefined, encoding: Encoding, inherited: { pixelRepresentation: number | undefined } | undefined): Promise<Level> {
    const entries: Entry[] = [];
    const verbatim = encoding.explicit && encoding.little;
    let changed = !verbatim;
    let pixelRepresentation = inherited?.pixelRepresentation;
    /** Image Pixel attributes met so far at this level, for decoding Pixel Data. */
    const pixelJson: DicomJsonDataset = {};
    const limit = end ?? this.data.length;
    while (pos < limit) {
      const header = this.header(pos, encoding, pixelRepresentation);
      if (header.tag === ITEM_DELIMITER && end === undefined) return { entries, changed, end: header.valueStart };
      const { tag, vr, length, valueStart } = header;
      if (tag >>> 16 === 0xfffe) this.fail(`unexpected ${formatTag(tag)}`, pos);

      if (tag === PIXEL_DATA && length === UNDEFINED) {
        const decoded = await this.decodePixelData(header, pixelJson);
        entries.push(decoded.entry);
        this.afterDecoding(entries, pixelJson, decoded.frames[0]!);
        changed = true;
        pos = decoded.end;
        continue;
      }
      if (vr === 'UN' && length === UNDEFINED) {
        // Its items are implicit VR LE whatever the transfer syntax (PS3.5 6.2.2): copied as they are.
        const contentEnd = this.skipItems(valueStart, tag);
        entries.push({ tag, chunks: verbatim ? [this.data.subarray(pos, contentEnd)] : [explicitHeader(tag, 'UN', UNDEFINED), this.data.subarray(valueStart, contentEnd)] });
        pos = contentEnd;
        continue;
      }
      if (vr === 'SQ') {
        const sequence = await this.sequence(header, encoding, pixelRepresentation);
        if (verbatim && !sequence.changed) entries.push({ tag, chunks: [this.data.subarray(pos, sequence.end)] });
        else {
          entries.push({ tag, chunks: [explicitHeader(tag, 'SQ', UNDEFINED), ...sequence.chunks, itemTag(SEQUENCE_DELIMITER, 0)] });
          changed = true;
        }
        pos = sequence.end;
        continue;
      }
      if (length === UNDEFINED) this.fail(`undefined length is not allowed for VR ${vr} of ${formatTag(tag)}`, pos);
      const valueEnd = valueStart + length;
      if (valueEnd > this.data.length) this.fail(`value of ${formatTag(tag)} (${length} bytes) runs past the end of the data`, pos);
      const value = this.data.subarray(valueStart, valueEnd);
      if (tag >>> 16 === 0x0028 || tag === PIXEL_DATA) {
        const element: DicomJsonElement = { vr };
        if (tag !== PIXEL_DATA) convertValue(element, vr, value, encoding.little, []);
        pixelJson[tagKeyOf(tag)] = element;
        if (tag === PIXEL_REPRESENTATION && typeof element.Value?.[0] === 'number') pixelRepresentation = element.Value[0];
      }
      if (EXTENDED_OFFSET_TABLES.has(tag) && transferSyntax(this.transferSyntaxUid)?.encapsulated) {
        changed = true; // it describes the encapsulated fragments, which are going
        pos = valueEnd;
        continue;
      }
      if (verbatim) entries.push({ tag, chunks: [this.data.subarray(pos, valueEnd)] });
      else entries.push(this.reencode(tag, vr, value, encoding, pixelJson));
      pos = valueEnd;
    }
    if (end !== undefined && pos !== end) this.fail(`element runs ${pos - end} bytes past the end of its item`, pos);
    if (end === undefined && inherited !== undefined) this.fail('item of undefined length has no delimiter', pos);
    if (changed) fixGroupLengths(entries);
    return { entries, changed, end: pos };
  }

  /** A sequence's items, each re-encoded as an item of undefined length; `changed` says whether that differs from the source. */
  private async sequence(header: Header, encoding: Encoding, pixelRepresentation: number | undefined): Promise<{ chunks: Uint8Array[]; changed: boolean; end: number }> {
    const { tag, length, valueStart } = header;
    const end = length === UNDEFINED ? undefined : valueStart + length;
    const chunks: Uint8Array[] = [];
    let changed = false;
    let pos = valueStart;
    for (;;) {
      if (end !== undefined && pos >= end) break;
      if (pos + 8 > this.data.length) this.fail(`sequence ${formatTag(tag)} has no end`, pos);
      const item = this.itemHeader(pos, encoding.little);
      if (item.tag === SEQUENCE_DELIMITER && end === undefined) {
        pos += 8;
        break;
      }
      if (item.tag !== ITEM) this.fail(`expected an item in sequence ${formatTag(tag)}, found ${formatTag(item.tag)}`, pos);
      const contentStart = pos + 8;
      const content = await this.dataset(contentStart, item.length === UNDEFINED ? undefined : contentStart + item.length, encoding, { pixelRepresentation });
      changed ||= content.changed;
      chunks.push(itemTag(ITEM, UNDEFINED), ...flattenChunks(content.entries), itemTag(ITEM_DELIMITER, 0));
      pos = content.end;
    }
    return { chunks, changed, end: pos };
  }

  /** The end of a UN sequence of undefined length: its items and nested sequences walked in implicit VR LE. */
  private skipItems(pos: number, tag: number): number {
    for (;;) {
      if (pos + 8 > this.data.length) this.fail(`sequence ${formatTag(tag)} has no end`, pos);
      const item = this.itemHeader(pos, true);
      pos += 8;
      if (item.tag === SEQUENCE_DELIMITER) return pos;
      if (item.tag !== ITEM) this.fail(`expected an item in sequence ${formatTag(tag)}, found ${formatTag(item.tag)}`, pos - 8);
      if (item.length !== UNDEFINED) {
        pos += item.length;
        continue;
      }
      for (;;) {
        if (pos + 8 > this.data.length) this.fail(`item in sequence ${formatTag(tag)} has no end`, pos);
        const element = this.itemHeader(pos, true);
        pos += 8;
        if (element.tag === ITEM_DELIMITER) break;
        pos = element.length === UNDEFINED ? this.skipItems(pos, element.tag) : pos + element.length;
      }
    }
  }

  /** An element of an implicit VR or big endian source as explicit VR little endian. */
  private reencode(tag: number, vr: string, value: Uint8Array, encoding: Encoding, pixelJson: DicomJsonDataset): Entry {
    let outVr = vr;
    let bytes = value;
    if (!encoding.little) {
      let size = SWAP_SIZE[vr] ?? 1;
      if (tag === PIXEL_DATA) {
        // Samples wider than a word are swapped as samples (as the implicit VR twins of pydicom's big endian files show).
        const bitsAllocated = numberIn(pixelJson, 0x00280100) ?? 16;
        size = bitsAllocated > 8 ? bitsAllocated / 8 : vr === 'OW' ? 2 : 1;
      }
      if (size > 1) {
        bytes = value.slice();
        swapBytes(bytes, size);
      }
    }
    if (tag === PIXEL_DATA) outVr = (numberIn(pixelJson, 0x00280100) ?? 16) > 8 ? 'OW' : 'OB';
    // A value too long for a 2-byte length can only be written as UN.
    if (!LONG_HEADER_VRS.has(outVr) && bytes.length > 0xffff) outVr = 'UN';
    return { tag, chunks: [explicitHeader(tag, outVr, bytes.length), bytes] };
  }

  /** Every frame of encapsulated Pixel Data, decoded, as one native OB/OW element. */
  private async decodePixelData(header: Header, pixelJson: DicomJsonDataset): Promise<{ entry: Entry; frames: DecodedFrame[]; end: number }> {
    const { path } = this;
    if (this.fileOffset === undefined) this.fail('encapsulated Pixel Data in a deflated dataset', header.start);
    let pos = header.valueStart;
    for (;;) {
      if (pos + 8 > this.data.length) this.fail('encapsulated Pixel Data has no sequence delimiter', pos);
      const item = this.itemHeader(pos, true);
      pos += 8;
      if (item.tag === SEQUENCE_DELIMITER) break;
      if (item.tag !== ITEM || item.length === UNDEFINED) this.fail(`unexpected ${formatTag(item.tag)} in encapsulated Pixel Data`, pos - 8);
      pos += item.length;
    }
    pixelJson[tagKeyOf(PIXEL_DATA)] = { vr: header.vr };
    let info;
    try {
      info = pixelInfoOf(pixelJson);
    } catch (error) {
      throw new CodecError(`${path}: ${errorMessage(error)}`);
    }
    const range = { offset: this.fileOffset + header.valueStart, length: pos - header.valueStart };
    const locations = await locateFrames(path, range, this.transferSyntaxUid, info);
    const frames: DecodedFrame[] = [];
    for (const [i, location] of locations.entries()) {
      const encoded = location.ranges.length === 1 ? this.file.subarray(location.ranges[0]!.offset, location.ranges[0]!.offset + location.ranges[0]!.length) : concatBytes(location.ranges.map((r) => this.file.subarray(r.offset, r.offset + r.length)));
      try {
        frames.push(await decodeFrame(this.transferSyntaxUid, encoded, info));
      } catch (error) {
        throw new CodecError(`${path}: frame ${i + 1} of ${locations.length}: ${errorMessage(error)}`);
      }
    }
    const length = frames.reduce((n, f) => n + f.pixels.length, 0);
    const chunks = [explicitHeader(PIXEL_DATA, info.bitsAllocated > 8 ? 'OW' : 'OB', length + (length % 2)), ...frames.map((f) => f.pixels)];
    if (length % 2 === 1) chunks.push(new Uint8Array(1));
    this.lossy ||= frames.some((f) => f.lossy);
    this.notes.push(`decoded ${frames.length} frame(s) of ${uidName(this.transferSyntaxUid) ?? this.transferSyntaxUid}`);
    return { entry: { tag: PIXEL_DATA, chunks }, frames, end: pos };
  }

  /** Photometric Interpretation, Planar Configuration and Lossy Image Compression as the decoded pixels are. */
  private afterDecoding(entries: Entry[], pixelJson: DicomJsonDataset, decoded: DecodedFrame): void {
    const source = pixelInfoOf(pixelJson);
    if (decoded.info.photometricInterpretation !== source.photometricInterpretation) {
      replace(entries, PHOTOMETRIC, textElement(PHOTOMETRIC, 'CS', decoded.info.photometricInterpretation));
      this.notes.push(`Photometric Interpretation ${source.photometricInterpretation} -> ${decoded.info.photometricInterpretation}`);
    }
    if (source.planarConfiguration !== 0 && entries.some((e) => e.tag === PLANAR_CONFIGURATION)) {
      const value = new Uint8Array(2);
      replace(entries, PLANAR_CONFIGURATION, { tag: PLANAR_CONFIGURATION, chunks: [explicitHeader(PLANAR_CONFIGURATION, 'US', 2), value] });
      this.notes.push('Planar Configuration 1 -> 0');
    }
    if (decoded.lossy && pixelJson[tagKeyOf(LOSSY_IMAGE_COMPRESSION)]?.Value?.[0] !== '01') {
      replace(entries, LOSSY_IMAGE_COMPRESSION, textElement(LOSSY_IMAGE_COMPRESSION, 'CS', '01'));
      this.notes.push('Lossy Image Compression set to 01');
    }
  }

  private header(pos: number, encoding: Encoding, pixelRepresentation: number | undefined): Header {
    if (pos + 8 > this.data.length) this.fail('data ends inside an element header', pos);
    const { little, explicit } = encoding;
    const tag = ((this.view.getUint16(pos, little) << 16) | this.view.getUint16(pos + 2, little)) >>> 0;
    if (tag >>> 16 === 0xfffe) return { tag, vr: '', length: this.view.getUint32(pos + 4, little), start: pos, valueStart: pos + 8 };
    if (!explicit) return { tag, vr: implicitVr(tag, pixelRepresentation), length: this.view.getUint32(pos + 4, true), start: pos, valueStart: pos + 8 };
    const vr = String.fromCharCode(this.data[pos + 4]!, this.data[pos + 5]!);
    if (!isKnownVr(vr)) this.fail(`invalid VR "${vr.replace(/[^\x20-\x7e]/g, '?')}" in ${formatTag(tag)}`, pos);
    if (!LONG_HEADER_VRS.has(vr)) return { tag, vr, length: this.view.getUint16(pos + 6, little), start: pos, valueStart: pos + 8 };
    if (pos + 12 > this.data.length) this.fail('data ends inside an element header', pos);
    return { tag, vr, length: this.view.getUint32(pos + 8, little), start: pos, valueStart: pos + 12 };
  }

  private itemHeader(pos: number, little: boolean): { tag: number; length: number } {
    return { tag: ((this.view.getUint16(pos, little) << 16) | this.view.getUint16(pos + 2, little)) >>> 0, length: this.view.getUint32(pos + 4, little) };
  }

  private fail(reason: string, pos: number): never {
    const where = this.fileOffset === undefined ? `at offset ${pos} of the inflated dataset` : `at offset ${this.fileOffset + pos}`;
    throw new CodecError(`${this.path}: ${reason} (${where})`);
  }
}

/** The VR an implicit VR reader uses: the dictionary's, US/SS by Pixel Representation, other choices OW (PS3.5 A.1). */
function implicitVr(tag: number, pixelRepresentation: number | undefined): string {
  const vr = dictionaryVr(tag);
  if (vr === undefined) return 'UN';
  if (vr.length === 2) return vr;
  if (vr === 'US/SS') return pixelRepresentation === 1 ? 'SS' : 'US';
  return 'OW';
}

function numberIn(json: DicomJsonDataset, tag: number): number | undefined {
  const value = json[tagKeyOf(tag)]?.Value?.[0];
  return typeof value === 'number' ? value : undefined;
}

function tagKeyOf(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(8, '0');
}

function explicitHeader(tag: number, vr: string, length: number): Uint8Array {
  const long = LONG_HEADER_VRS.has(vr);
  const out = new Uint8Array(long ? 12 : 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag >>> 16, true);
  view.setUint16(2, tag & 0xffff, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, length, true);
  else view.setUint16(6, length, true);
  return out;
}

function itemTag(tag: number, length: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfffe, true);
  view.setUint16(2, tag & 0xffff, true);
  view.setUint32(4, length, true);
  return out;
}

function textElement(tag: number, vr: string, text: string): Entry {
  const padded = text.length % 2 === 0 ? text : `${text} `;
  return { tag, chunks: [explicitHeader(tag, vr, padded.length), Uint8Array.from(padded, (c) => c.charCodeAt(0))] };
}

/** Replace the element with this tag, or insert it in tag order. */
function replace(entries: Entry[], tag: number, entry: Entry): void {
  const at = entries.findIndex((e) => e.tag >= tag);
  if (at === -1) entries.push(entry);
  else if (entries[at]!.tag === tag) entries[at] = entry;
  else entries.splice(at, 0, entry);
}

/** Group Length (gggg,0000) elements, retired but still met, recomputed over the re-encoded group. */
function fixGroupLengths(entries: Entry[]): void {
  for (const [i, entry] of entries.entries()) {
    if ((entry.tag & 0xffff) !== 0) continue;
    const group = entry.tag >>> 16;
    let length = 0;
    for (const other of entries) if (other.tag >>> 16 === group && other !== entry) length += other.chunks.reduce((n, c) => n + c.length, 0);
    const value = new Uint8Array(4);
    new DataView(value.buffer).setUint32(0, length, true);
    entries[i] = { tag: entry.tag, chunks: [explicitHeader(entry.tag, 'UL', 4), value] };
  }
}

function flattenChunks(entries: Entry[]): Uint8Array[] {
  return entries.flatMap((e) => e.chunks);
}

function flatten(entries: Entry[]): Uint8Array {
  return concatBytes(flattenChunks(entries));
}
