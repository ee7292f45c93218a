/**
 * The DICOM data dictionary (PS3.6): tag → VR and keyword, for implicit VR
 * parsing and for naming tags in messages. Generated from pydicom's
 * dictionary by resources/dicom/generate-data-dictionary.py.
 */
import { DICTIONARY, REPEATERS } from './data-dictionary.generated.js';

interface Entry {
  vr: string;
  keyword: string;
}

interface Repeater extends Entry {
  mask: number;
  value: number;
}

let byTag: Map<number, Entry> | undefined;
let byKeyword: Map<string, number> | undefined;
let repeaters: Repeater[] | undefined;

function load(): void {
  byTag = new Map();
  byKeyword = new Map();
  for (const line of DICTIONARY.split('\n')) {
    if (line === '') continue;
    const [hex, vr, keyword] = line.split(' ') as [string, string, string];
    const tag = parseInt(hex, 16);
    byTag.set(tag, { vr, keyword });
    if (keyword !== '') byKeyword.set(keyword, tag);
  }
  repeaters = [];
  for (const line of REPEATERS.split('\n')) {
    if (line === '') continue;
    const [mask, value, vr, keyword] = line.split(' ') as [string, string, string, string];
    repeaters.push({ mask: parseInt(mask, 16), value: parseInt(value, 16), vr, keyword });
  }
}

function lookup(tag: number): Entry | undefined {
  if (byTag === undefined) load();
  const exact = byTag!.get(tag);
  if (exact !== undefined) return exact;
  for (const r of repeaters!) if (((tag & r.mask) >>> 0) === r.value) return r;
  return undefined;
}

/**
 * The VR an implicit-VR reader should use for a tag (group<<16|element as a
 * uint32). Ambiguous dictionary VRs come back as written, e.g. "US/SS" or
 * "OB/OW"; the caller resolves them. Group lengths are UL; private creator
 * elements (gggg,0010-00FF of an odd group) are LO; other private tags UN;
 * unknown public tags undefined.
 */
export function dictionaryVr(tag: number): string | undefined {
  const group = tag >>> 16;
  const element = tag & 0xffff;
  if (element === 0 && group !== 0xfffe) return 'UL';
  if ((group & 1) === 1) {
    if (group <= 0x0007 || group === 0xffff) return undefined;
    return element >= 0x0010 && element <= 0x00ff ? 'LO' : 'UN';
  }
  return lookup(tag)?.vr;
}

/** The keyword of a standard tag ("PatientName"), or undefined. */
export function keywordOf(tag: number): string | undefined {
  if ((tag >>> 16) & 1) return undefined;
  const keyword = lookup(tag)?.keyword;
  return keyword === '' ? undefined : keyword;
}

/** The tag of a standard keyword, or undefined. Repeating-group keywords give their first group (e.g. 6000). */
export function tagOf(keyword: string): number | undefined {
  if (byKeyword === undefined) load();
  const exact = byKeyword!.get(keyword);
  if (exact !== undefined) return exact;
  return repeaters!.find((r) => r.keyword === keyword)?.value;
}

/** "(gggg,eeee)" for messages. */
export function formatTag(tag: number): string {
  const hex = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

/** "GGGGEEEE", the DICOM JSON key. */
export function tagKey(tag: number): string {
  return (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
}
