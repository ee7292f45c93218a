/**
 * A streaming (push) parser from dataset bytes to DICOM JSON (PS3.18 F.2)
 * without bulk data. Bytes arrive in chunks split anywhere; bulk values are
 * skipped by counting, never buffered, so a 1 GB Pixel Data costs O(1)
 * memory. Only headers that straddle chunks and the (small) values that end
 * up in the JSON are copied.
 */
import type { CharsetWarning } from './charset.js';
import { dictionaryVr } from './data-dictionary.js';
import { DicomParseError } from './dicom-parse-error.js';
import type { DicomJsonDataset, DicomJsonElement } from './json.js';
import { transferSyntax } from './uid-registry.js';
import { BINARY_VRS, FIXED_SIZE, convertValue, isKnownVr } from './value-conversion.js';

export { DicomParseError } from './dicom-parse-error.js';

export interface DatasetParserOptions {
  /** Deflated syntaxes: the caller inflates and the bytes are parsed as explicit VR LE. */
  transferSyntaxUid: string;
  /** OB/OD/OF/OL/OV/OW/UN values longer than this become BulkDataURI (default 1024). */
  bulkDataThreshold?: number;
  /**
   * Values of every other VR (text, numbers) longer than this become BulkDataURI too
   * (default 65536): a 256 MB UT is never decoded into a string, only counted past.
   */
  textBulkDataThreshold?: number;
  /** Byte offset of the dataset's first byte in the stored file (added to BulkDataURI offsets and error offsets). */
  baseOffset?: number;
  /** Told about recoverable oddities (unknown character sets). */
  onWarning?: CharsetWarning;
}

/** Binary values above this many bytes are bulk data (kept in the file, referenced by BulkDataURI). */
export const DEFAULT_BULK_DATA_THRESHOLD = 1024;
/** Values of any other VR above this many bytes are bulk data too (no text VR needs more inline). */
export const DEFAULT_TEXT_BULK_DATA_THRESHOLD = 65536;

/**
 * Items nested in more sequences than this are refused (C-STORE: C000): the
 * JSON, the index and the encoders walk items recursively (10,000 levels
 * overflowed the stack), and real objects nest a handful.
 */
export const MAX_SEQUENCE_DEPTH = 64;

const UNDEFINED_LENGTH = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_DELIMITER = 0xfffee00d;
const SEQUENCE_DELIMITER = 0xfffee0dd;
/** Pixel Data, Float Pixel Data, Double Float Pixel Data: always bulk data. */
const PIXEL_DATA_TAGS = new Set([0x7fe00010, 0x7fe00008, 0x7fe00009]);
/** Explicit VRs with a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2). */
const LONG_HEADER_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

interface Encoding {
  explicit: boolean;
  little: boolean;
}

/** A dataset (top level or an item) being filled. */
interface DatasetFrame extends Encoding {
  kind: 'dataset';
  dataset: DicomJsonDataset;
  /** Absolute stream offset where a defined-length item ends. */
  end: number | undefined;
  charsets: readonly string[];
  pixelRepresentation: number | undefined;
  tag: number;
}

/** A sequence, or encapsulated pixel data (items are fragments, skipped). */
interface SequenceFrame extends Encoding {
  kind: 'sequence' | 'fragments';
  element: DicomJsonElement;
  end: number | undefined;
  tag: number;
  /** Absolute stream offset of the value's first byte. */
  valueStart: number;
  parent: DatasetFrame;
}

type Frame = DatasetFrame | SequenceFrame;

type State =
  | { kind: 'header' }
  | { kind: 'longLength'; tag: number; vr: string; headerStart: number }
  | {
      kind: 'value';
      tag: number;
      vr: string;
      little: boolean;
      length: number;
      /** Allocated only when the value straddles chunks. */
      buffer: Uint8Array | undefined;
      filled: number;
      element: DicomJsonElement;
      frame: DatasetFrame;
    }
  | { kind: 'skip'; remaining: number; tag: number }
  /** Zero bytes after the last element of the dataset (some writers pad files); only zeros may follow. */
  | { kind: 'padding'; start: number };

export class DatasetParser {
  private readonly threshold: number;
  private readonly textThreshold: number;
  private readonly base: number;
  private readonly warn: CharsetWarning | undefined;
  private readonly root: DatasetFrame;
  private readonly stack: Frame[];
  private state: State = { kind: 'header' };
  /** Bytes consumed so far (offset in the dataset stream). */
  private pos = 0;
  /** Partial header bytes carried across chunks. */
  private readonly scratch = new Uint8Array(8);
  private scratchLength = 0;
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  /** Where headerBytes() put the current header: the chunk or scratch. */
  private header: Uint8Array = this.scratch;

  constructor(options: DatasetParserOptions) {
    const ts = transferSyntax(options.transferSyntaxUid);
    // Unknown (private) syntaxes are explicit VR LE by PS3.5 10.1's rule for private syntaxes... or not at all;
    // explicit LE is the only safe guess, and a wrong guess fails loudly at the first header.
    const encoding: Encoding = ts ? { explicit: ts.explicitVr, little: ts.littleEndian } : { explicit: true, little: true };
    this.threshold = options.bulkDataThreshold ?? DEFAULT_BULK_DATA_THRESHOLD;
    this.textThreshold = options.textBulkDataThreshold ?? DEFAULT_TEXT_BULK_DATA_THRESHOLD;
    this.base = options.baseOffset ?? 0;
    this.warn = options.onWarning;
    this.root = { kind: 'dataset', dataset: {}, end: undefined, charsets: [], pixelRepresentation: undefined, tag: 0, ...encoding };
    this.stack = [this.root];
  }

  /** Feed the next bytes of the dataset. The chunk is not kept after the call returns. */
  push(chunk: Uint8Array): void {
    this.chunk = chunk;
    this.at = 0;
    while (this.at < chunk.length) {
      const state = this.state;
      switch (state.kind) {
        case 'header':
          this.readHeader();
          break;
        case 'longLength':
          this.readLongLength(state);
          break;
        case 'value':
          this.readValue(state);
          break;
        case 'padding': {
          const nonZero = chunk.subarray(this.at).findIndex((byte) => byte !== 0);
          if (nonZero >= 0) {
            throw new DicomParseError(`data after ${this.pos + nonZero - state.start} bytes of zero padding at the end of the dataset`, this.base + this.pos + nonZero);
          }
          this.pos += chunk.length - this.at;
          this.at = chunk.length;
          break;
        }
        case 'skip': {
          const n = Math.min(state.remaining, chunk.length - this.at);
          this.at += n;
          this.pos += n;
          state.remaining -= n;
          if (state.remaining === 0) this.finishElement();
          break;
        }
      }
    }
    this.chunk = new Uint8Array(0);
  }

  /** The parsed dataset; throws if the data ended inside an element, item or sequence. */
  end(): DicomJsonDataset {
    const top = this.stack[this.stack.length - 1]!;
    const at = this.base + this.pos;
    if (this.state.kind === 'value' || this.state.kind === 'skip' || this.state.kind === 'longLength') {
      const tag = this.state.tag;
      const missing = this.state.kind === 'value' ? this.state.length - this.state.filled : this.state.kind === 'skip' ? this.state.remaining : 4;
      throw new DicomParseError(`data ended ${missing} bytes before the end of the element's value (truncated file?)`, at, tag);
    }
    if (this.state.kind === 'padding') this.warn?.(`${this.pos - this.state.start} bytes of zero padding after the dataset were ignored`);
    else if (this.scratchLength > 0) throw new DicomParseError(`data ended inside an element header (${this.scratchLength} of 8 bytes)`, at);
    if (top !== this.root) {
      const what = top.kind === 'dataset' ? 'an item' : top.kind === 'fragments' ? 'encapsulated pixel data' : 'a sequence';
      throw new DicomParseError(`data ended inside ${what} (truncated file?)`, at, top.tag);
    }
    return this.root.dataset;
  }

  /** Copy up to n header bytes into scratch; true when scratch holds n bytes. */
  private fill(n: number): boolean {
    const take = Math.min(n - this.scratchLength, this.chunk.length - this.at);
    this.scratch.set(this.chunk.subarray(this.at, this.at + take), this.scratchLength);
    this.scratchLength += take;
    this.at += take;
    return this.scratchLength === n;
  }

  /**
   * Make n header bytes available at this.header[returned index], in place
   * when the chunk holds them, else gathered in scratch; -1 until they have all arrived.
   */
  private headerBytes(n: number): number {
    if (this.scratchLength === 0 && this.chunk.length - this.at >= n) {
      this.header = this.chunk;
      this.at += n;
      return this.at - n;
    }
    if (!this.fill(n)) return -1;
    this.scratchLength = 0;
    this.header = this.scratch;
    return 0;
  }

  private encoding(): Encoding {
    return this.stack[this.stack.length - 1]!;
  }

  private readHeader(): void {
    const h = this.headerBytes(8);
    if (h < 0) return;
    const b = this.header;
    const { explicit, little } = this.encoding();
    const tagStart = this.pos;
    this.pos += 8;
    const tag = ((u16(b, h, little) << 16) | u16(b, h + 2, little)) >>> 0;
    if (tag >>> 16 === 0xfffe) {
      this.onItemTag(tag, u32(b, h + 4, little), tagStart);
      return;
    }
    if (tag === 0 && tagStart > 0 && this.stack.length === 1 && u32(b, h + 4, true) === 0) {
      // Eight zero bytes where an element should start, at the top level: the file is padded (DCMTK reads such files too).
      this.state = { kind: 'padding', start: tagStart };
      return;
    }
    const vr = explicit ? VR_NAMES[(b[h + 4]! << 8) | b[h + 5]!] ?? String.fromCharCode(b[h + 4]!, b[h + 5]!) : '';
    if (explicit && tagStart === 0 && !isKnownVr(vr) && little && looksLikeFirstElement(tag, u32(b, h + 4, true))) {
      // File Meta says explicit VR but the dataset is implicit VR LE (a known writer bug, e.g. pydicom's
      // SC_rgb_jpeg.dcm): read it as what it is, and say so.
      this.root.explicit = false;
      this.warn?.(`dataset is implicit VR little endian although its transfer syntax says explicit VR: read as implicit`);
    }
    if (!this.encoding().explicit) {
      this.onElement(tag, this.implicitVr(tag), u32(b, h + 4, true), tagStart);
      return;
    }
    if (!isKnownVr(vr)) {
      const shown = vr.replace(/[^\x20-\x7e]/g, '?');
      throw new DicomParseError(
        tagStart === 0 ? `not a DICOM dataset in this transfer syntax (first element has VR "${shown}")` : `invalid VR "${shown}"`,
        this.base + tagStart,
        tag,
      );
    }
    if (LONG_HEADER_VRS.has(vr)) {
      this.state = { kind: 'longLength', tag, vr, headerStart: tagStart };
      return;
    }
    this.onElement(tag, vr, u16(b, h + 6, little), tagStart);
  }

  private readLongLength(state: { tag: number; vr: string; headerStart: number }): void {
    const h = this.headerBytes(4);
    if (h < 0) return;
    this.pos += 4;
    this.state = { kind: 'header' };
    this.onElement(state.tag, state.vr, u32(this.header, h, this.encoding().little), state.headerStart);
  }

  private currentDataset(tag: number, offset: number): DatasetFrame {
    const top = this.stack[this.stack.length - 1]!;
    if (top.kind !== 'dataset') {
      throw new DicomParseError(`data element found where an item was expected (in ${top.kind === 'fragments' ? 'encapsulated pixel data' : 'a sequence'})`, this.base + offset, tag);
    }
    return top;
  }

  /** VR for implicit VR: the dictionary's, ambiguous ones resolved (PS3.5 A.1 / C.7.6.3.1.2). */
  private implicitVr(tag: number): string {
    const vr = dictionaryVr(tag);
    if (vr === undefined) return 'UN';
    if (vr.length === 2) return vr;
    if (vr === 'US/SS') return this.pixelRepresentation() === 1 ? 'SS' : 'US';
    // OB/OW, US/OW, US/SS/OW: implicit VR LE encodes these as OW (PS3.5 A.1 c).
    return 'OW';
  }

  private pixelRepresentation(): number | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const frame = this.stack[i]!;
      if (frame.kind === 'dataset' && frame.pixelRepresentation !== undefined) return frame.pixelRepresentation;
    }
    return undefined;
  }

  private onItemTag(tag: number, length: number, offset: number): void {
    const top = this.stack[this.stack.length - 1]!;
    if (tag === ITEM) {
      if (top.kind === 'fragments') {
        if (length === UNDEFINED_LENGTH) throw new DicomParseError('encapsulated pixel data fragment with undefined length', this.base + offset, top.tag);
        this.startSkip(length, top.tag);
        return;
      }
      if (top.kind !== 'sequence') throw new DicomParseError('item (FFFE,E000) outside a sequence', this.base + offset, tag);
      // The stack alternates dataset and sequence frames: top is the (length / 2)-th nested sequence.
      if (this.stack.length / 2 > MAX_SEQUENCE_DEPTH) {
        throw new DicomParseError(`sequences nested deeper than ${MAX_SEQUENCE_DEPTH} levels`, this.base + offset, top.tag);
      }
      const item: DicomJsonDataset = {};
      (top.element.Value ??= []).push(item);
      const end = length === UNDEFINED_LENGTH ? undefined : this.pos + length;
      this.checkFits(end, offset, tag);
      this.stack.push({
        kind: 'dataset',
        dataset: item,
        end,
        charsets: top.parent.charsets,
        pixelRepresentation: undefined,
        tag: top.tag,
        explicit: top.explicit,
        little: top.little,
      });
      this.closeFrames();
      return;
    }
    if (tag === ITEM_DELIMITER) {
      if (top.kind !== 'dataset' || top === this.root || top.end !== undefined) {
        throw new DicomParseError('item delimitation item outside an item of undefined length', this.base + offset, tag);
      }
      this.stack.pop();
      this.closeFrames();
      return;
    }
    if (tag === SEQUENCE_DELIMITER) {
      if (top.kind === 'dataset' || top.end !== undefined) {
        throw new DicomParseError('sequence delimitation item outside a sequence of undefined length', this.base + offset, tag);
      }
      this.stack.pop();
      if (top.kind === 'fragments') {
        // The real length of the value: its items and this delimiter.
        top.element.BulkDataURI = `bulk/${this.base + top.valueStart}/${this.pos - top.valueStart}`;
      }
      this.closeFrames();
      return;
    }
    throw new DicomParseError('unknown item tag', this.base + offset, tag);
  }

  private onElement(tag: number, vr: string, length: number, headerStart: number): void {
    const frame = this.currentDataset(tag, headerStart);
    if (headerStart === 0 && !looksLikeFirstElement(tag, length)) {
      throw new DicomParseError('not a DICOM dataset in this transfer syntax (implausible first element)', this.base, tag);
    }
    const key = tagKey(tag);
    const valueStart = this.pos;

    if (length === UNDEFINED_LENGTH) {
      if (vr === 'SQ' || vr === 'UN') {
        // UN of undefined length is a sequence in implicit VR LE (PS3.5 6.2.2).
        const element: DicomJsonElement = { vr: 'SQ' };
        frame.dataset[key] = element;
        const encoding = vr === 'UN' ? { explicit: false, little: true } : { explicit: frame.explicit, little: frame.little };
        this.stack.push({ kind: 'sequence', element, end: undefined, tag, valueStart, parent: frame, ...encoding });
        return;
      }
      if (vr === 'OB' || vr === 'OW') {
        // Encapsulated pixel data is OB (PS3.5 A.4) when an implicit-VR dictionary lookup had to guess.
        const element: DicomJsonElement = { vr: frame.explicit ? vr : 'OB' };
        frame.dataset[key] = element;
        this.stack.push({ kind: 'fragments', element, end: undefined, tag, valueStart, parent: frame, explicit: frame.explicit, little: frame.little });
        return;
      }
      throw new DicomParseError(`undefined length is not allowed for VR ${vr}`, this.base + headerStart, tag);
    }

    const end = this.pos + length;
    this.checkFits(end, headerStart, tag);
    const dictVr = vr === 'UN' && (tag >>> 16) % 2 === 0 ? dictionaryVr(tag) : undefined;
    if (dictVr === 'SQ') {
      // A defined-length sequence sent as UN (e.g. relayed by a system that did not know it): still implicit VR LE.
      const element: DicomJsonElement = { vr: 'SQ' };
      frame.dataset[key] = element;
      this.stack.push({ kind: 'sequence', element, end, tag, valueStart, parent: frame, explicit: false, little: true });
      this.closeFrames();
      return;
    }
    if (vr === 'SQ') {
      const element: DicomJsonElement = { vr };
      frame.dataset[key] = element;
      this.stack.push({ kind: 'sequence', element, end, tag, valueStart, parent: frame, explicit: frame.explicit, little: frame.little });
      this.closeFrames();
      return;
    }
    const size = FIXED_SIZE[vr];
    if (size !== undefined && length % size !== 0) {
      throw new DicomParseError(`length ${length} is not a multiple of ${size} for VR ${vr}`, this.base + headerStart, tag);
    }
    const element: DicomJsonElement = { vr };
    frame.dataset[key] = element;
    if (PIXEL_DATA_TAGS.has(tag) || length > (BINARY_VRS.has(vr) ? this.threshold : this.textThreshold)) {
      if (length > 0) element.BulkDataURI = `bulk/${this.base + valueStart}/${length}`;
      this.startSkip(length, tag);
      return;
    }
    // A UN value of a known public tag is decoded with the dictionary's VR (its bytes are implicit VR LE, PS3.5 6.2.2).
    const valueVr = dictVr !== undefined && dictVr.length === 2 && dictVr !== 'UN' ? dictVr : vr;
    if (valueVr !== vr) element.vr = valueVr;
    const little = valueVr === vr ? frame.little : true;
    const state: Extract<State, { kind: 'value' }> = { kind: 'value', tag, vr: valueVr, little, length, buffer: undefined, filled: 0, element, frame };
    if (length === 0) this.completeValue(state, EMPTY);
    else this.state = state;
  }

  private startSkip(length: number, tag: number): void {
    if (length === 0) {
      this.finishElement();
      return;
    }
    this.state = { kind: 'skip', remaining: length, tag };
  }

  private readValue(state: Extract<State, { kind: 'value' }>): void {
    const available = this.chunk.length - this.at;
    if (state.filled === 0 && available >= state.length) {
      // The whole value is in this chunk: use it in place.
      const value = this.chunk.subarray(this.at, this.at + state.length);
      this.at += state.length;
      this.pos += state.length;
      this.completeValue(state, value);
      return;
    }
    state.buffer ??= new Uint8Array(state.length);
    const n = Math.min(state.length - state.filled, available);
    state.buffer.set(this.chunk.subarray(this.at, this.at + n), state.filled);
    state.filled += n;
    this.at += n;
    this.pos += n;
    if (state.filled === state.length) this.completeValue(state, state.buffer);
  }

  private completeValue(state: Extract<State, { kind: 'value' }>, value: Uint8Array): void {
    const { frame, element, tag, vr, little } = state;
    convertValue(element, vr, value, little, frame.charsets, this.warn);
    if (tag === 0x00080005) frame.charsets = (element.Value ?? []).map((v) => (typeof v === 'string' ? v : ''));
    if (tag === 0x00280103 && typeof element.Value?.[0] === 'number') frame.pixelRepresentation = element.Value[0];
    this.finishElement();
  }

  private finishElement(): void {
    this.state = { kind: 'header' };
    this.closeFrames();
  }

  /** Pop every defined-length item/sequence that ends here. */
  private closeFrames(): void {
    for (;;) {
      const top = this.stack[this.stack.length - 1]!;
      if (top === this.root || top.end === undefined || this.pos < top.end) return;
      if (this.pos > top.end) throw new DicomParseError('element runs past the end of its item or sequence', this.base + this.pos, top.tag);
      this.stack.pop();
    }
  }

  private checkFits(end: number | undefined, offset: number, tag: number): void {
    if (end === undefined) return;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const frameEnd = this.stack[i]!.end;
      if (frameEnd !== undefined && end > frameEnd) {
        throw new DicomParseError(`value length runs ${end - frameEnd} bytes past the end of the enclosing item or sequence`, this.base + offset, tag);
      }
    }
  }
}

/**
 * Whether a first element is plausible: a public or private group between 0002 and 7FE0, sane length;
 * or a stray command group length (0000,0000), 4 bytes, which some writers leave in a dataset (DCMTK
 * re-encodes a file's trailing zero padding so).
 */
function looksLikeFirstElement(tag: number, length: number): boolean {
  if (tag === 0) return length === 4;
  const group = tag >>> 16;
  return group >= 0x0001 && group <= 0x7fe0 && (length === UNDEFINED_LENGTH || length < 0x10000000);
}

const keys = new Map<number, string>();
/** "GGGGEEEE", memoised: the same few hundred tags recur in every dataset. */
function tagKey(tag: number): string {
  let key = keys.get(tag);
  if (key === undefined) {
    key = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
    if (keys.size < 65536) keys.set(tag, key);
  }
  return key;
}

const EMPTY = new Uint8Array(0);

/** Every two-letter VR by its two bytes, so a header's VR costs no string building. */
const VR_NAMES: Record<number, string> = {};
for (const vr of ['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV']) {
  VR_NAMES[(vr.charCodeAt(0) << 8) | vr.charCodeAt(1)] = vr;
}

function u16(b: Uint8Array, i: number, little: boolean): number {
  return little ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!;
}

function u32(b: Uint8Array, i: number, little: boolean): number {
  return little
    ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0
    : ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

/** Parse a whole dataset held in memory. */
export function parseDataset(bytes: Uint8Array, options: DatasetParserOptions): DicomJsonDataset {
  const parser = new DatasetParser(options);
  parser.push(bytes);
  return parser.end();
}

/**
 * Guess the encoding of a raw dataset (no File Meta, no preamble) from its
 * first element: implicit VR LE, explicit VR LE or explicit VR BE; undefined
 * if it does not look like DICOM.
 */
export function sniffTransferSyntax(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vr = String.fromCharCode(bytes[4]!, bytes[5]!);
  // Groups are small numbers: the byte order that reads the first group as the smaller plausible one wins.
  const littleGroup = view.getUint16(0, true);
  const bigGroup = view.getUint16(0, false);
  const plausible = (g: number): boolean => g >= 0x0001 && g <= 0x7fe0;
  const little = plausible(littleGroup) && (!plausible(bigGroup) || littleGroup <= bigGroup);
  if (!little && !plausible(bigGroup)) return undefined;
  if (isKnownVr(vr)) return little ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2.2';
  if (!little) return undefined;
  // Implicit VR: the first element must be one the dictionary knows (or private, or a group length) with a short value.
  const tag = ((littleGroup << 16) | view.getUint16(2, true)) >>> 0;
  const length = view.getUint32(4, true);
  return dictionaryVr(tag) !== undefined && (length === UNDEFINED_LENGTH || length <= 0x10000) ? '1.2.840.10008.1.2' : undefined;
}
