/**
 * DICOM JSON (PS3.18 F.2) → dataset bytes, little endian, explicit or
 * implicit VR (PS3.5 7.1): what a C-FIND answer or a C-MOVE/C-GET failure
 * list is sent as. Sequences and items get defined lengths; an element
 * without a value is written with length zero (C-FIND return keys).
 */
import { concatBytes } from '../bytes.js';
import { formatTag } from './data-dictionary.js';
import type { DicomJsonDataset, DicomJsonElement, PersonNameJson } from './json.js';
import { BINARY_VRS, FIXED_SIZE, isKnownVr } from './value-conversion.js';

export interface DatasetEncoding {
  explicitVr: boolean;
}

const SPECIFIC_CHARACTER_SET = '00080005';
const UTF8_CHARSET = 'ISO_IR 192';
/** Explicit VRs with a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2). */
const LONG_HEADER_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const ITEM_TAG = 0xfffee000;
const TAG_KEY = /^[0-9A-Fa-f]{8}$/;
const utf8 = new TextEncoder();

/**
 * Encode `dataset` little endian. Text is written as ASCII; when any text
 * value is not ASCII, all text is written as UTF-8 and (0008,0005) becomes
 * "ISO_IR 192" (also in items that declared their own set): the JSON holds
 * decoded strings, and a query answer may mix scripts that no single-byte or
 * ISO 2022 set can hold together. An all-ASCII dataset keeps its own
 * Specific Character Set. Throws, naming the tag, for an element that only
 * refers to its value (BulkDataURI) or holds a value its VR cannot carry.
 */
export function encodeDataset(dataset: DicomJsonDataset, syntax: DatasetEncoding): Uint8Array {
  const unicode = hasNonAscii(dataset);
  const writer = new ByteWriter();
  writeDataset(writer, unicode ? withUtf8Charset(dataset) : dataset, { explicitVr: syntax.explicitVr, unicode });
  return writer.bytes();
}

interface Context {
  explicitVr: boolean;
  unicode: boolean;
}

function writeDataset(writer: ByteWriter, dataset: DicomJsonDataset, context: Context): void {
  const entries = Object.entries(dataset).map(([key, element]) => {
    if (!TAG_KEY.test(key)) throw new Error(`DICOM JSON key "${key}" is not a tag (8 hex digits)`);
    return { tag: parseInt(key, 16), element };
  });
  entries.sort((a, b) => a.tag - b.tag);
  for (const { tag, element } of entries) writeElement(writer, tag, element, context);
}

function writeElement(writer: ByteWriter, tag: number, element: DicomJsonElement, context: Context): void {
  const vr = element.vr;
  if (!isKnownVr(vr)) throw new Error(`${formatTag(tag)}: VR "${vr}" cannot be encoded`);
  if (element.BulkDataURI !== undefined) {
    throw new Error(`${formatTag(tag)} refers to its value (BulkDataURI ${element.BulkDataURI}); only inline values can be encoded`);
  }
  if (vr === 'SQ') {
    const body = new ByteWriter();
    for (const item of element.Value ?? []) {
      if (item !== null && typeof item !== 'object') throw new Error(`${formatTag(tag)}: sequence item ${JSON.stringify(item)} is not a dataset`);
      const itemBody = new ByteWriter();
      writeDataset(itemBody, (item ?? {}) as DicomJsonDataset, context);
      body.u16(ITEM_TAG >>> 16);
      body.u16(ITEM_TAG & 0xffff);
      body.u32(itemBody.length);
      body.append(itemBody);
    }
    writeHeader(writer, tag, vr, body.length, context);
    writer.append(body);
    return;
  }
  const value = valueBytes(tag, element, context);
  writeHeader(writer, tag, vr, value.length, context);
  writer.raw(value);
}

function writeHeader(writer: ByteWriter, tag: number, vr: string, length: number, context: Context): void {
  writer.u16(tag >>> 16);
  writer.u16(tag & 0xffff);
  if (!context.explicitVr) {
    writer.u32(length);
    return;
  }
  writer.raw(new Uint8Array([vr.charCodeAt(0), vr.charCodeAt(1)]));
  if (LONG_HEADER_VRS.has(vr)) {
    writer.u16(0);
    writer.u32(length);
    return;
  }
  if (length > 0xffff) throw new Error(`${formatTag(tag)}: a ${vr} value of ${length} bytes does not fit explicit VR's 16-bit length`);
  writer.u16(length);
}

function valueBytes(tag: number, element: DicomJsonElement, context: Context): Uint8Array {
  const vr = element.vr;
  if (BINARY_VRS.has(vr)) {
    if (element.Value !== undefined && element.Value.length > 0) throw new Error(`${formatTag(tag)}: ${vr} needs InlineBinary, not Value`);
    const bytes = element.InlineBinary === undefined ? new Uint8Array(0) : decodeBase64(element.InlineBinary, tag);
    return padEven(bytes, 0);
  }
  const values = element.Value ?? [];
  if (FIXED_SIZE[vr] !== undefined) return numberBytes(tag, vr, values);
  const strings = values.map((v) => textOf(tag, vr, v));
  const text = strings.join('\\');
  return padEven(context.unicode ? utf8.encode(text) : asciiBytes(text), vr === 'UI' ? 0 : 0x20);
}

function textOf(tag: number, vr: string, value: NonNullable<DicomJsonElement['Value']>[number]): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (vr === 'DS') return decimalString(tag, value);
    if (vr === 'IS') {
      if (!Number.isInteger(value)) throw new Error(`${formatTag(tag)}: IS value ${value} is not an integer`);
      return String(value);
    }
    throw new Error(`${formatTag(tag)}: a number (${value}) is not a ${vr} value`);
  }
  if (vr === 'PN') return personName(value as PersonNameJson);
  throw new Error(`${formatTag(tag)}: an object is not a ${vr} value`);
}

/** PN groups joined with "=", trailing empty groups dropped (PS3.5 6.2.1.1). */
function personName(name: PersonNameJson): string {
  const groups = [name.Alphabetic ?? '', name.Ideographic ?? '', name.Phonetic ?? ''];
  while (groups.length > 0 && groups[groups.length - 1] === '') groups.pop();
  return groups.join('=');
}

/** DS holds at most 16 characters (PS3.5 6.2): shorten the precision until it fits. */
function decimalString(tag: number, value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${formatTag(tag)}: DS value ${value} is not finite`);
  const plain = String(value);
  if (plain.length <= 16) return plain;
  for (let digits = 15; digits > 0; digits--) {
    const shorter = String(Number(value.toPrecision(digits)));
    if (shorter.length <= 16) return shorter;
  }
  throw new Error(`${formatTag(tag)}: DS value ${value} does not fit 16 characters`);
}

function numberBytes(tag: number, vr: string, values: NonNullable<DicomJsonElement['Value']>): Uint8Array {
  const size = FIXED_SIZE[vr]!;
  const out = new Uint8Array(size * values.length);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => {
    const at = i * size;
    if (vr === 'AT') {
      if (typeof value !== 'string' || !TAG_KEY.test(value)) throw new Error(`${formatTag(tag)}: AT value ${JSON.stringify(value)} is not a tag`);
      const t = parseInt(value, 16);
      view.setUint16(at, t >>> 16, true);
      view.setUint16(at + 2, t & 0xffff, true);
      return;
    }
    if (vr === 'SV' || vr === 'UV') {
      if (typeof value !== 'number' && typeof value !== 'string') throw new Error(`${formatTag(tag)}: ${vr} value ${JSON.stringify(value)} is not a number`);
      const big = BigInt(value);
      if (vr === 'SV') view.setBigInt64(at, big, true);
      else view.setBigUint64(at, big, true);
      return;
    }
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (Number.isNaN(n)) throw new Error(`${formatTag(tag)}: ${vr} value ${JSON.stringify(value)} is not a number`);
    const range = INTEGER_RANGES[vr];
    if (range && !(Number.isInteger(n) && n >= range[0] && n <= range[1])) throw new Error(`${formatTag(tag)}: ${n} is not a ${vr} value`);
    NUMBER_SETTERS[vr]!(view, at, n);
  });
  return out;
}

const NUMBER_SETTERS: Record<string, (view: DataView, at: number, n: number) => void> = {
  US: (view, at, n) => view.setUint16(at, n, true),
  SS: (view, at, n) => view.setInt16(at, n, true),
  UL: (view, at, n) => view.setUint32(at, n, true),
  SL: (view, at, n) => view.setInt32(at, n, true),
  FL: (view, at, n) => view.setFloat32(at, n, true),
  FD: (view, at, n) => view.setFloat64(at, n, true),
};

const INTEGER_RANGES: Record<string, [number, number]> = {
  US: [0, 0xffff],
  SS: [-0x8000, 0x7fff],
  UL: [0, 0xffffffff],
  SL: [-0x80000000, 0x7fffffff],
};

function hasNonAscii(dataset: DicomJsonDataset): boolean {
  for (const element of Object.values(dataset)) {
    for (const value of element.Value ?? []) {
      if (typeof value === 'string' && !isAscii(value)) return true;
      if (value === null || typeof value !== 'object') continue;
      if (element.vr === 'SQ') {
        if (hasNonAscii(value as DicomJsonDataset)) return true;
      } else if (Object.values(value).some((part) => typeof part === 'string' && !isAscii(part))) {
        return true;
      }
    }
  }
  return false;
}

/** The dataset with every (0008,0005), its own and its items', set to UTF-8. */
function withUtf8Charset(dataset: DicomJsonDataset, top = true): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const [key, element] of Object.entries(dataset)) {
    out[key] =
      element.vr === 'SQ' && element.Value
        ? { ...element, Value: element.Value.map((item) => (item !== null && typeof item === 'object' ? withUtf8Charset(item as DicomJsonDataset, false) : item)) }
        : element;
  }
  if (top || out[SPECIFIC_CHARACTER_SET] !== undefined) out[SPECIFIC_CHARACTER_SET] = { vr: 'CS', Value: [UTF8_CHARSET] };
  return out;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function padEven(bytes: Uint8Array, pad: number): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = pad;
  return out;
}

const BASE64_VALUES = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));

/** Standard base64 (RFC 4648), without Buffer or atob so that it runs in Node and browsers alike. */
function decodeBase64(text: string, tag: number): Uint8Array {
  const clean = text.replace(/[\s=]+$/g, '').replace(/\s/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let count = 0;
  let at = 0;
  for (const c of clean) {
    const v = BASE64_VALUES.get(c);
    if (v === undefined) throw new Error(`${formatTag(tag)}: InlineBinary is not base64 (character "${c}")`);
    bits = ((bits << 6) | v) & 0xffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[at++] = (bits >>> count) & 0xff;
    }
  }
  return out.subarray(0, at);
}

/** Parts collected, then joined once: nested sequences need their length before their bytes. */
class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  length = 0;

  raw(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  append(other: ByteWriter): void {
    for (const part of other.parts) this.raw(part);
  }

  u16(value: number): void {
    this.raw(new Uint8Array([value & 0xff, (value >>> 8) & 0xff]));
  }

  u32(value: number): void {
    this.raw(new Uint8Array([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff]));
  }

  bytes(): Uint8Array {
    return concatBytes(this.parts, this.length);
  }
}
