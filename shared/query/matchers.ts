/**
 * Attribute matching of PS3.4 C.2.2.2, one query key against one record
 * element. C-FIND and QIDO-RS both come here, so the two faces of the node
 * answer the same question the same way.
 *
 * Decisions where the standard leaves room (docs/query.md):
 * - PN matches case-insensitively, ignoring Latin diacritics and full-width
 *   forms, and any group of the key may match any group of the name, so a
 *   query typed in one script finds the name written in another.
 * - Descriptive text (SH, LO, ST, LT, UC, UT) matches case-insensitively;
 *   identifiers (IDENTIFIER_TAGS) and code strings match exactly.
 * - A backslash-separated key is a list for every VR, not only UI: the record
 *   matches when any key value matches any record value.
 */
import type { DicomJsonElement, PersonNameJson } from '../dicom/json.js';
import { normaliseForSearch } from './person-name-key.js';
import { compileWildcard, wildcardMatches, type WildcardPattern } from './wildcard.js';

export type Matcher =
  | { kind: 'universal' }
  | { kind: 'values'; vr: string; alternatives: ValueTest[] }
  | { kind: 'range'; vr: 'DA' | 'TM' | 'DT'; from: string | undefined; to: string | undefined };

/** One alternative of a key: exact text, a wildcard pattern, or a number. */
export type ValueTest = { kind: 'exact'; text: string } | { kind: 'wildcard'; pattern: WildcardPattern; folded: string } | { kind: 'number'; value: number };

/** IDs compared exactly even though their VR is LO or SH. */
const IDENTIFIER_TAGS: ReadonlySet<string> = new Set(['00100020', '00100021', '00101000', '00080050', '00200010']);

const TEXT_VRS = new Set(['SH', 'LO', 'ST', 'LT', 'UC', 'UT']);
const WILDCARD_VRS = new Set(['AE', 'CS', 'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UR', 'UT']);
const NUMERIC_VRS = new Set(['IS', 'DS', 'US', 'SS', 'UL', 'SL', 'FL', 'FD', 'UV', 'SV']);

export class QueryKeyError extends Error {
  constructor(
    readonly tag: string,
    message: string,
  ) {
    super(`(${tag.slice(0, 4)},${tag.slice(4)}): ${message}`);
    this.name = 'QueryKeyError';
  }
}

/** How the key `element` (tag `tag`) selects records. */
export function parseMatcher(tag: string, element: DicomJsonElement): Matcher {
  const vr = element.vr;
  if (vr === 'SQ') return { kind: 'universal' };
  const raw = keyValues(element, vr);
  if (raw.length === 0 || raw.every((v) => v === '' || v === '*')) return { kind: 'universal' };
  if ((vr === 'DA' || vr === 'TM' || vr === 'DT') && raw.length === 1 && raw[0]!.includes('-')) return parseRange(tag, vr, raw[0]!);
  const fold = foldFor(tag, vr);
  const alternatives = raw.map((value): ValueTest => {
    if (NUMERIC_VRS.has(vr)) {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new QueryKeyError(tag, `"${value}" is not a number (VR ${vr})`);
      return { kind: 'number', value: n };
    }
    if (WILDCARD_VRS.has(vr) && /[*?]/.test(value)) {
      const folded = fold(value);
      return { kind: 'wildcard', pattern: compileWildcard(folded), folded };
    }
    if (vr === 'DA' && !/^\d{8}$/.test(value)) throw new QueryKeyError(tag, `"${value}" is not a date (YYYYMMDD)`);
    return { kind: 'exact', text: vr === 'TM' ? normaliseTime(value, 'low') : fold(value) };
  });
  return { kind: 'values', vr, alternatives };
}

/** Does the record's element satisfy the matcher? An absent or empty element only meets universal matching. */
export function matchElement(tag: string, matcher: Matcher, element: DicomJsonElement | undefined): boolean {
  if (matcher.kind === 'universal') return true;
  const candidates = element ? recordValues(element) : [];
  if (matcher.kind === 'range') return candidates.some((v) => inRange(matcher, v));
  const fold = foldFor(tag, matcher.vr);
  return candidates.some((candidate) => matcher.alternatives.some((test) => passes(test, candidate, fold, matcher.vr)));
}

function passes(test: ValueTest, value: string, fold: (s: string) => string, vr: string): boolean {
  switch (test.kind) {
    case 'number':
      return Number(value) === test.value;
    case 'wildcard':
      return wildcardMatches(test.pattern, fold(value));
    case 'exact':
      return (vr === 'TM' ? normaliseTime(value, 'low') : fold(value)) === test.text;
  }
}

function keyValues(element: DicomJsonElement, vr: string): string[] {
  const values = element.Value ?? [];
  if (vr === 'PN') {
    // A key's groups are alternatives: "Yamada^Tarou=山田^太郎" finds either writing.
    return values.flatMap((v) => (v && typeof v === 'object' ? nameGroups(v as PersonNameJson) : typeof v === 'string' ? [v] : []));
  }
  return values.flatMap((v) => (typeof v === 'string' ? v.split('\\') : typeof v === 'number' ? [String(v)] : [])).map((v) => v.trim());
}

/** A record's values as text; a name contributes each of its component groups. */
function recordValues(element: DicomJsonElement): string[] {
  return (element.Value ?? []).flatMap((v): string[] => {
    if (typeof v === 'string') return v.trim() === '' ? [] : [v.trim()];
    if (typeof v === 'number') return [String(v)];
    if (v && typeof v === 'object' && element.vr === 'PN') return nameGroups(v as PersonNameJson);
    return [];
  });
}

/** The non-empty component groups of a name (alphabetic, ideographic, phonetic). */
function nameGroups(name: PersonNameJson): string[] {
  return [name.Alphabetic, name.Ideographic, name.Phonetic].filter((g): g is string => !!g && g.replace(/[\^=\s]/g, '') !== '');
}

function foldFor(tag: string, vr: string): (s: string) => string {
  if (vr === 'PN') return normaliseForSearch;
  if (TEXT_VRS.has(vr) && !IDENTIFIER_TAGS.has(tag)) return (s) => s.trim().toLowerCase();
  return (s) => s.trim();
}

function parseRange(tag: string, vr: 'DA' | 'TM' | 'DT', value: string): Matcher {
  const at = value.indexOf('-');
  const from = value.slice(0, at).trim();
  const to = value.slice(at + 1).trim();
  if (vr === 'DA') {
    for (const bound of [from, to]) if (bound !== '' && !/^\d{8}$/.test(bound)) throw new QueryKeyError(tag, `"${bound}" is not a date (YYYYMMDD) in range "${value}"`);
  }
  if (from === '' && to === '') throw new QueryKeyError(tag, `range "${value}" has no bound`);
  const norm = (bound: string, side: 'low' | 'high') => (bound === '' ? undefined : vr === 'TM' ? normaliseTime(bound, side) : vr === 'DT' ? normaliseDateTime(bound, side) : bound);
  return { kind: 'range', vr, from: norm(from, 'low'), to: norm(to, 'high') };
}

function inRange(matcher: Extract<Matcher, { kind: 'range' }>, value: string): boolean {
  const v = matcher.vr === 'TM' ? normaliseTime(value, 'low') : matcher.vr === 'DT' ? normaliseDateTime(value, 'low') : value;
  return (matcher.from === undefined || v >= matcher.from) && (matcher.to === undefined || v <= matcher.to);
}

/**
 * TM as a fixed-width "HHMMSS.FFFFFF" so that string order is time order. A
 * missing part is the start of its period for a lower bound and the end for
 * an upper one: "-12" includes 12:59:59.
 */
function normaliseTime(value: string, side: 'low' | 'high'): string {
  const [whole = '', fraction = ''] = value.replace(/:/g, '').trim().split('.');
  const fill = side === 'low' ? '000000' : '595959';
  const hms = whole + fill.slice(whole.length);
  const frac = fraction + (side === 'low' ? '000000' : '999999').slice(fraction.length);
  return `${hms}.${frac}`;
}

/** DT as fixed-width "YYYYMMDDHHMMSS.FFFFFF" (a UTC offset suffix is ignored). */
function normaliseDateTime(value: string, side: 'low' | 'high'): string {
  const bare = value.trim().replace(/[+-]\d{4}$/, '');
  const [whole = '', fraction = ''] = bare.split('.');
  const fill = side === 'low' ? '00000101000000' : '99991231235959';
  const full = whole + fill.slice(whole.length);
  return `${full}.${fraction + (side === 'low' ? '000000' : '999999').slice(fraction.length)}`;
}
