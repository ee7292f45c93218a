/**
 * Element value bytes → DICOM JSON values (PS3.18 F.2.3).
 */
import { decodePersonNames, decodeString, type CharsetWarning } from './charset.js';
import type { DicomJsonElement, PersonNameJson } from './json.js';

/** VRs holding one value that may contain "\" (not split). */
const SINGLE_VALUED_TEXT = new Set(['LT', 'ST', 'UT', 'UR']);
/** VRs whose leading spaces are significant (PS3.5 6.2); for the others they are padding too. */
const LEADING_SPACE_SIGNIFICANT = new Set(['LT', 'ST', 'UT', 'UC', 'SH', 'LO', 'PN']);
const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);

/** Byte size of one value of each fixed-size binary VR. */
export const FIXED_SIZE: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, SV: 8, UV: 8, AT: 4 };

/** VRs whose values are raw bytes (InlineBinary or BulkDataURI). */
export const BINARY_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);

const ALL_VRS = new Set([...TEXT_VRS, ...Object.keys(FIXED_SIZE), ...BINARY_VRS, 'SQ']);

export function isKnownVr(vr: string): boolean {
  return ALL_VRS.has(vr);
}

function trimEnd(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0x20 || s.charCodeAt(end - 1) === 0)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * IS and DS become numbers (F.2.3.1). A value that is not a valid number
 * (e.g. IS "1A" in pydicom's badVR.dcm) is kept as its string: losing it
 * would hide data from the user, and QIDO still matches it as text.
 */
function toNumberOrString(s: string, vr: 'IS' | 'DS'): number | string {
  const pattern = vr === 'IS' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  return pattern.test(s) ? Number(s) : s;
}

/** Convert a collected value to the JSON element's content (sets Value or InlineBinary on `element`). */
export function convertValue(
  element: DicomJsonElement,
  vr: string,
  bytes: Uint8Array,
  littleEndian: boolean,
  charsets: readonly string[],
  warn?: CharsetWarning,
): void {
  if (bytes.length === 0) return;
  if (BINARY_VRS.has(vr)) {
    element.InlineBinary = base64(bytes);
    return;
  }
  const size = FIXED_SIZE[vr];
  if (size !== undefined) {
    element.Value = readNumbers(vr, bytes, littleEndian);
    return;
  }
  if (vr === 'PN') {
    const names = decodePersonNames(bytes, charsets, warn);
    const values: Array<PersonNameJson | null> = names.map((n) => (Object.keys(n).length === 0 ? null : n));
    if (values.length === 1 && values[0] === null) return;
    element.Value = values;
    return;
  }
  const text = decodeString(bytes, charsets, vr, warn);
  const parts = SINGLE_VALUED_TEXT.has(vr) ? [text] : text.split('\\');
  const values = parts.map((part) => {
    let v = trimEnd(part);
    if (!LEADING_SPACE_SIGNIFICANT.has(vr)) v = v.trimStart();
    if (v === '') return null;
    return vr === 'IS' || vr === 'DS' ? toNumberOrString(v, vr) : v;
  });
  if (values.every((v) => v === null)) return;
  element.Value = values;
}

function readNumbers(vr: string, bytes: Uint8Array, le: boolean): Array<number | string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Array<number | string> = [];
  switch (vr) {
    case 'US':
      for (let i = 0; i + 2 <= bytes.length; i += 2) out.push(view.getUint16(i, le));
      break;
    case 'SS':
      for (let i = 0; i + 2 <= bytes.length; i += 2) out.push(view.getInt16(i, le));
      break;
    case 'UL':
      for (let i = 0; i + 4 <= bytes.length; i += 4) out.push(view.getUint32(i, le));
      break;
    case 'SL':
      for (let i = 0; i + 4 <= bytes.length; i += 4) out.push(view.getInt32(i, le));
      break;
    case 'FL':
      for (let i = 0; i + 4 <= bytes.length; i += 4) out.push(view.getFloat32(i, le));
      break;
    case 'FD':
      for (let i = 0; i + 8 <= bytes.length; i += 8) out.push(view.getFloat64(i, le));
      break;
    case 'SV':
    case 'UV':
      for (let i = 0; i + 8 <= bytes.length; i += 8) {
        const big = vr === 'SV' ? view.getBigInt64(i, le) : view.getBigUint64(i, le);
        // Beyond 2^53 a JSON number would silently change the value: keep the digits.
        out.push(big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString());
      }
      break;
    case 'AT':
      for (let i = 0; i + 4 <= bytes.length; i += 4) {
        const tag = view.getUint16(i, le) * 0x10000 + view.getUint16(i + 2, le);
        out.push(tag.toString(16).toUpperCase().padStart(8, '0'));
      }
      break;
  }
  return out;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648) without Buffer or btoa, for Node and browsers alike. */
export function base64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64[n >>> 18]! + BASE64[(n >>> 12) & 63]! + BASE64[(n >>> 6) & 63]! + BASE64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += BASE64[n >>> 18]! + BASE64[(n >>> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += BASE64[n >>> 18]! + BASE64[(n >>> 12) & 63]! + BASE64[(n >>> 6) & 63]! + '=';
  }
  return out;
}
