/**
 * The URLs of DICOMweb resources as clients see them (absolute, with the
 * origin the request came to), and the one place that turns the index's
 * relative bulk data references ("bulk/<offset>/<length>" within the stored
 * file) into them.
 */
import { DICOMWEB_ROOT } from '../../../shared/api/dicomweb-paths.js';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';

/** Top-level Pixel Data: its BulkDataURI becomes the instance's frames resource. */
const PIXEL_DATA = '7FE00010';

const BULK_REFERENCE = /^bulk\/(\d+)\/(\d+)$/;

/** `<origin>/dicom-web` for the request's URL. */
export function serviceRoot(requestUrl: string): string {
  return `${new URL(requestUrl).origin}${DICOMWEB_ROOT}`;
}

/** A byte range of the stored file, as the index writes it ("bulk/<offset>/<length>"). */
export function parseBulkReference(reference: string): { offset: number; length: number } | undefined {
  const match = BULK_REFERENCE.exec(reference);
  return match ? { offset: Number(match[1]), length: Number(match[2]) } : undefined;
}

/**
 * An instance's DICOM JSON text (as the index keeps it) with each BulkDataURI
 * made absolute: top-level pixel data points at `<instance>/frames` (every
 * frame, one part each), any other value at `<instance>/bulk/<offset>/<length>`.
 * Done on the text, without parsing: metadata of a large series is mostly
 * this work. Inside JSON strings a quote is escaped, so the patterns below
 * only ever match member names and values.
 */
export function withAbsoluteBulkDataUris(jsonText: string, instance: string): string {
  const url = JSON.stringify(instance).slice(1, -1);
  let text = jsonText;
  const at = topLevelMember(text, PIXEL_DATA);
  // The element is a flat object ({"vr":..,"BulkDataURI":..}): its text ends at the first "}".
  const match = at < 0 ? null : PIXEL_BULK_URI.exec(text.slice(at, text.indexOf('}', at)));
  if (match) {
    const start = at + match.index + '"BulkDataURI":"'.length;
    text = `${text.slice(0, start)}${url}/frames${text.slice(start + match[1]!.length)}`;
  }
  return text.replaceAll('"BulkDataURI":"bulk/', `"BulkDataURI":"${url}/bulk/`);
}

const PIXEL_BULK_URI = /"BulkDataURI":"(bulk\/\d+\/\d+)"/;

/** Where `"TAG":` is a member of the outermost object (not inside a sequence item), or -1. */
function topLevelMember(text: string, tag: string): number {
  const needle = `"${tag}":`;
  for (let at = text.lastIndexOf(needle); at >= 0; at = at === 0 ? -1 : text.lastIndexOf(needle, at - 1)) {
    if (depthAt(text, at) === 1) return at;
  }
  return -1;
}

/** Object/array nesting depth at a position of JSON text, strings skipped. */
function depthAt(text: string, position: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < position; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return depth;
}

/** Every "bulk/<offset>/<length>" reference in the dataset, sequences included: the ranges a client may read. */
export function bulkReferences(dataset: DicomJsonDataset, into: Set<string> = new Set()): Set<string> {
  for (const element of Object.values(dataset)) {
    if (element.BulkDataURI !== undefined && BULK_REFERENCE.test(element.BulkDataURI)) into.add(element.BulkDataURI);
    else if (element.vr === 'SQ' && element.Value) {
      for (const item of element.Value) if (item && typeof item === 'object') bulkReferences(item as DicomJsonDataset, into);
    }
  }
  return into;
}
