/**
 * The DICOM File Meta Information (PS3.10 7.1): preamble, "DICM" and group
 * 0002, always explicit VR little endian.
 */
import { concatBytes } from '../bytes.js';
import { DicomParseError } from './dicom-parse-error.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './implementation.js';

export interface FileMeta {
  transferSyntaxUid: string;
  mediaStorageSopClassUid: string;
  mediaStorageSopInstanceUid: string;
  implementationClassUid?: string;
  implementationVersionName?: string;
  sourceApplicationEntityTitle?: string;
}

/**
 * The bytes given end before the File Meta does: read at least `needed`
 * bytes from the start of the file and call again (if the file has no more,
 * it is truncated).
 */
export class FileMetaTruncatedError extends DicomParseError {
  readonly needed: number;
  constructor(needed: number, have: number) {
    super(`File Meta Information needs ${needed} bytes, only ${have} available`, have);
    this.needed = needed;
  }
}

const PREAMBLE = 128;
const DATASET_MAGIC = [0x44, 0x49, 0x43, 0x4d]; // "DICM"
const LONG_HEADER_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

/**
 * Read the File Meta from the first bytes of a file. Returns undefined when
 * there is no "DICM" after the 128-byte preamble (a raw dataset). Throws
 * FileMetaTruncatedError when `bytes` is too short to tell or to hold all of
 * group 0002 (its `needed` says how many bytes to read), and DicomParseError
 * for a broken group 0002 (e.g. no Transfer Syntax UID).
 */
export function readFileMeta(bytes: Uint8Array): { meta: FileMeta; datasetOffset: number } | undefined {
  if (bytes.length < PREAMBLE + 4) {
    throw new FileMetaTruncatedError(PREAMBLE + 4, bytes.length);
  }
  if (!DATASET_MAGIC.every((b, i) => bytes[PREAMBLE + i] === b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Map<number, string>();
  let at = PREAMBLE + 4;
  let groupEnd: number | undefined;
  for (;;) {
    if (groupEnd !== undefined && at >= groupEnd) break;
    if (at + 8 > bytes.length) {
      throw new FileMetaTruncatedError(groupEnd ?? at + 8, bytes.length);
    }
    const group = view.getUint16(at, true);
    if (group !== 0x0002) {
      if (groupEnd !== undefined) throw new DicomParseError(`File Meta ends at ${at}, before its group length says (${groupEnd})`, at);
      break;
    }
    const element = view.getUint16(at + 2, true);
    const tag = 0x00020000 | element;
    const vr = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!);
    let length: number;
    let valueStart: number;
    if (/^[A-Z]{2}$/.test(vr)) {
      if (LONG_HEADER_VRS.has(vr)) {
        if (at + 12 > bytes.length) throw new FileMetaTruncatedError(at + 12, bytes.length);
        length = view.getUint32(at + 8, true);
        valueStart = at + 12;
      } else {
        length = view.getUint16(at + 6, true);
        valueStart = at + 8;
      }
    } else {
      // Some writers put group 0002 in implicit VR; tolerate it.
      length = view.getUint32(at + 4, true);
      valueStart = at + 8;
    }
    if (length === 0xffffffff) throw new DicomParseError('undefined length in File Meta', at, tag);
    const valueEnd = valueStart + length;
    if (valueEnd > bytes.length) throw new FileMetaTruncatedError(groupEnd ?? valueEnd, bytes.length);
    if (element === 0x0000 && length === 4) groupEnd = valueEnd + view.getUint32(valueStart, true);
    else values.set(element, stringValue(bytes.subarray(valueStart, valueEnd)));
    at = valueEnd;
  }
  const transferSyntaxUid = values.get(0x0010);
  if (!transferSyntaxUid) throw new DicomParseError('File Meta has no Transfer Syntax UID (0002,0010)', PREAMBLE + 4, 0x00020010);
  const meta: FileMeta = {
    transferSyntaxUid,
    mediaStorageSopClassUid: values.get(0x0002) ?? '',
    mediaStorageSopInstanceUid: values.get(0x0003) ?? '',
  };
  const optional: Array<[number, 'implementationClassUid' | 'implementationVersionName' | 'sourceApplicationEntityTitle']> = [
    [0x0012, 'implementationClassUid'],
    [0x0013, 'implementationVersionName'],
    [0x0016, 'sourceApplicationEntityTitle'],
  ];
  for (const [element, field] of optional) {
    const value = values.get(element);
    if (value) meta[field] = value;
  }
  return { meta, datasetOffset: at };
}

function stringValue(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0 || bytes[end - 1] === 0x20)) end--;
  let start = 0;
  while (start < end && bytes[start] === 0x20) start++;
  return String.fromCharCode(...bytes.subarray(start, end));
}

/**
 * Encode a File Meta: zero preamble, "DICM", group 0002 with its group
 * length, version 00\01, UIDs padded with NUL and texts with a space to even
 * length; Viewbox's implementation class UID and version name by default.
 */
export function encodeFileMeta(meta: FileMeta): Uint8Array {
  // A caller's own class UID comes with its own version name or none; ours with ours.
  const versionName = meta.implementationVersionName ?? (meta.implementationClassUid ? undefined : IMPLEMENTATION_VERSION_NAME);
  const elements: Uint8Array[] = [
    element(0x0001, 'OB', new Uint8Array([0, 1])),
    element(0x0002, 'UI', padded(meta.mediaStorageSopClassUid, 0)),
    element(0x0003, 'UI', padded(meta.mediaStorageSopInstanceUid, 0)),
    element(0x0010, 'UI', padded(meta.transferSyntaxUid, 0)),
    element(0x0012, 'UI', padded(meta.implementationClassUid ?? IMPLEMENTATION_CLASS_UID, 0)),
  ];
  if (versionName) elements.push(element(0x0013, 'SH', padded(versionName, 0x20)));
  if (meta.sourceApplicationEntityTitle) elements.push(element(0x0016, 'AE', padded(meta.sourceApplicationEntityTitle, 0x20)));
  const groupLength = elements.reduce((n, e) => n + e.length, 0);
  const lengthValue = new Uint8Array(4);
  new DataView(lengthValue.buffer).setUint32(0, groupLength, true);
  return concatBytes([new Uint8Array(PREAMBLE), new Uint8Array(DATASET_MAGIC), element(0x0000, 'UL', lengthValue), ...elements]);
}

function padded(text: string, pad: number): Uint8Array {
  const length = text.length + (text.length % 2);
  const out = new Uint8Array(length).fill(pad);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e || c < 0x20) throw new Error(`File Meta value "${text}" is not printable ASCII`);
    out[i] = c;
  }
  return out;
}

function element(elementNumber: number, vr: string, value: Uint8Array): Uint8Array {
  const long = LONG_HEADER_VRS.has(vr);
  const header = long ? 12 : 8;
  const out = new Uint8Array(header + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, elementNumber, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, value.length, true);
  else view.setUint16(6, value.length, true);
  out.set(value, header);
  return out;
}
