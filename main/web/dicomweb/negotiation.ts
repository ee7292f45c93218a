/**
 * Content negotiation for DICOMweb resources (PS3.18 8.7): from the Accept
 * ranges, best first, the first form of the resource we can produce for a
 * given stored transfer syntax. We never re-encode into a compressed syntax;
 * we can give the stored bytes, or decode to uncompressed (native frames,
 * Explicit VR Little Endian instances) when a decoder exists.
 */
import { canDecode } from '../../codec/decode-frame.js';
import { EXPLICIT_VR_LE, transferSyntax } from '../../../shared/dicom/uid-registry.js';
import { rangeCovers, type MediaType } from './media-type.js';

export const DICOM = 'application/dicom';
export const DICOM_JSON = 'application/dicom+json';
export const OCTET_STREAM = 'application/octet-stream';
export const MULTIPART_RELATED = 'multipart/related';

/** The media type of frames in each encapsulated transfer syntax (PS3.18 Table 8.7.3-5); aliases a client may ask for. */
const PIXEL_MEDIA_TYPES: ReadonlyArray<{ type: string; aliases: readonly string[]; syntaxes: readonly string[] }> = [
  { type: 'image/jpeg', aliases: [], syntaxes: ['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70'] },
  { type: 'image/jls', aliases: ['image/x-jls'], syntaxes: ['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81'] },
  { type: 'image/jp2', aliases: [], syntaxes: ['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91'] },
  { type: 'image/jpx', aliases: [], syntaxes: ['1.2.840.10008.1.2.4.92', '1.2.840.10008.1.2.4.93'] },
  { type: 'image/jphc', aliases: [], syntaxes: ['1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.202', '1.2.840.10008.1.2.4.203'] },
  { type: 'image/dicom-rle', aliases: ['image/x-dicom-rle'], syntaxes: ['1.2.840.10008.1.2.5'] },
  { type: 'video/mpeg2', aliases: [], syntaxes: ['1.2.840.10008.1.2.4.100', '1.2.840.10008.1.2.4.100.1', '1.2.840.10008.1.2.4.101', '1.2.840.10008.1.2.4.101.1'] },
  {
    type: 'video/mp4',
    aliases: [],
    syntaxes: ['1.2.840.10008.1.2.4.102', '1.2.840.10008.1.2.4.102.1', '1.2.840.10008.1.2.4.103', '1.2.840.10008.1.2.4.103.1', '1.2.840.10008.1.2.4.104', '1.2.840.10008.1.2.4.104.1', '1.2.840.10008.1.2.4.105', '1.2.840.10008.1.2.4.105.1', '1.2.840.10008.1.2.4.106', '1.2.840.10008.1.2.4.106.1'],
  },
  { type: 'video/h265', aliases: [], syntaxes: ['1.2.840.10008.1.2.4.107', '1.2.840.10008.1.2.4.108'] },
];

/** The frame media type of a stored (encapsulated) transfer syntax, if it has one. */
export function pixelMediaType(transferSyntaxUid: string): { type: string; aliases: readonly string[] } | undefined {
  return PIXEL_MEDIA_TYPES.find((m) => m.syntaxes.includes(transferSyntaxUid));
}

/** Little-endian native pixel data: stored frame bytes are already what "uncompressed" means. */
export function isNativeLittleEndian(transferSyntaxUid: string): boolean {
  const ts = transferSyntax(transferSyntaxUid);
  return !!ts && ts.littleEndian && !ts.encapsulated && !ts.deflated;
}

const isMultipartRange = (range: MediaType) => range.essence === '*/*' || rangeCovers(range.essence, MULTIPART_RELATED);

/** A transfer-syntax parameter, "*" when absent (see docs/dicomweb.md: stored bytes unless asked otherwise). */
const tsOf = (range: MediaType) => range.params.get('transfer-syntax') ?? '*';

export type InstanceForm =
  /** The stored Part 10 file, byte for byte. */
  | { kind: 'stored'; multipart: boolean }
  /** Decoded to Explicit VR Little Endian (native pixel data), with our File Meta. */
  | { kind: 'explicit-le'; multipart: boolean };

/**
 * How to send one instance (application/dicom), or undefined (406). `single`
 * allows a bare application/dicom answer (one instance asked for).
 */
export function instanceForm(accept: readonly MediaType[], storedTs: string, single: boolean): InstanceForm | undefined {
  for (const range of accept) {
    let multipart: boolean;
    if (isMultipartRange(range)) {
      if (!rangeCovers((range.params.get('type') ?? DICOM).toLowerCase(), DICOM)) continue;
      multipart = true;
    } else if (rangeCovers(range.essence, DICOM) && single) {
      multipart = false;
    } else {
      continue;
    }
    const ts = tsOf(range);
    if (ts === '*' || ts === storedTs) return { kind: 'stored', multipart };
    if (ts === EXPLICIT_VR_LE && canDecode(storedTs)) return { kind: 'explicit-le', multipart };
  }
  return undefined;
}

export type FrameForm =
  /** The stored frame bytes (native, or the encapsulated fragments), labelled with the stored syntax. */
  | { kind: 'stored'; partType: string }
  /** Native little-endian samples: stored native bytes as they are, anything else decoded. */
  | { kind: 'uncompressed' };

/** How to send frames of an instance stored in `storedTs`, or undefined (406). */
export function frameForm(accept: readonly MediaType[], storedTs: string): FrameForm | undefined {
  const media = pixelMediaType(storedTs);
  const uncompressed = isNativeLittleEndian(storedTs) || canDecode(storedTs);
  for (const range of accept) {
    if (!isMultipartRange(range)) continue;
    const partType = (range.params.get('type') ?? OCTET_STREAM).toLowerCase();
    const ts = range.params.get('transfer-syntax');
    if (partType === OCTET_STREAM) {
      // PS3.18: octet-stream frames default to Explicit VR Little Endian, i.e. uncompressed.
      if ((ts === undefined || ts === EXPLICIT_VR_LE) && uncompressed) return { kind: 'uncompressed' };
      if (ts === '*' || ts === storedTs) return { kind: 'stored', partType: OCTET_STREAM };
      // Accept: */* takes anything: frames we cannot decode go as stored.
      if (range.essence === '*/*' && !range.params.has('type') && media) return { kind: 'stored', partType: media.type };
      continue;
    }
    if (!media) {
      // A wildcard part type ("*/*") with a native stored syntax: uncompressed is the natural answer.
      if (rangeCovers(partType, OCTET_STREAM) && (ts === undefined || ts === '*' || ts === EXPLICIT_VR_LE) && uncompressed) return { kind: 'uncompressed' };
      continue;
    }
    const named = partType === media.type || media.aliases.includes(partType);
    if (!named && !rangeCovers(partType, media.type)) continue;
    if (ts === undefined || ts === '*' || ts === storedTs) return { kind: 'stored', partType: named ? partType : media.type };
  }
  return undefined;
}

/** Bulk data: multipart (the default) or a bare application/octet-stream; undefined for 406. */
export function bulkForm(accept: readonly MediaType[]): { multipart: boolean } | undefined {
  for (const range of accept) {
    const ts = tsOf(range);
    if (ts !== '*' && ts !== EXPLICIT_VR_LE) continue;
    if (isMultipartRange(range)) {
      if (rangeCovers((range.params.get('type') ?? OCTET_STREAM).toLowerCase(), OCTET_STREAM)) return { multipart: true };
    } else if (rangeCovers(range.essence, OCTET_STREAM)) {
      return { multipart: false };
    }
  }
  return undefined;
}

/** Rendered and thumbnail resources: JPEG unless PNG is preferred; undefined for 406. */
export function renderedFormat(accept: readonly MediaType[]): 'jpeg' | 'png' | undefined {
  for (const range of accept) {
    if (rangeCovers(range.essence, 'image/jpeg')) return 'jpeg';
    if (rangeCovers(range.essence, 'image/png')) return 'png';
  }
  return undefined;
}

/** Metadata and STOW responses: application/dicom+json (or plain JSON). */
export function acceptsDicomJson(accept: readonly MediaType[]): boolean {
  return accept.some((range) => rangeCovers(range.essence, DICOM_JSON) || rangeCovers(range.essence, 'application/json'));
}

/** For 406 bodies: what the client sent, as it sent it. */
export function describeAccept(header: string | undefined): string {
  return header === undefined || header.trim() === '' ? '(no Accept header)' : `"${header}"`;
}
