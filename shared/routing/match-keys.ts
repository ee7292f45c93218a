/**
 * A rule's match keys, compiled once: each key (`callingAe`, a keyword or an
 * eight-hex-digit tag) resolved to its tag and VR, its value parsed by the
 * same C-FIND matchers the Q/R and QIDO faces use, so a rule selects what a
 * query with the same keys would find.
 */
import { dictionaryVr, keywordOf, tagKey, tagOf } from '../dicom/data-dictionary.js';
import type { DicomJsonDataset, DicomJsonElement } from '../dicom/json.js';
import { matchElement, parseMatcher, type Matcher } from '../query/matchers.js';
import { errorMessage } from '../error-message.js';
import type { RouteMatch } from './rules.js';

/** The key that names the calling AE of the association the instance came on. */
export const CALLING_AE_KEY = 'callingAe';

/** What a match key refers to: the calling AE, or an attribute of the instance. */
export type KeyTarget = { kind: 'callingAe' } | { kind: 'attribute'; tag: string; vr: string; keyword?: string };

export type CompiledKey =
  | { key: string; wanted: string; target: KeyTarget; matcher: Matcher }
  /** A key that names no attribute or whose value is no matcher: it never holds (validation reports it). */
  | { key: string; wanted: string; problem: string };

/** What one instance offers to matching: its DICOM JSON (from the index) and the AE that sent it, if any. */
export interface RoutedInstance {
  json: DicomJsonDataset;
  callingAe?: string;
}

const TAG_KEY = /^[0-9A-Fa-f]{8}$/;

/** The attribute or AE a key names, or why it names none. */
export function resolveKey(key: string): KeyTarget | { problem: string } {
  if (key === CALLING_AE_KEY) return { kind: 'callingAe' };
  const tag = TAG_KEY.test(key) ? parseInt(key, 16) : tagOf(key);
  if (tag === undefined) return { problem: `"${key}" is not a DICOM keyword (PS3.6), an 8-digit tag or "${CALLING_AE_KEY}"` };
  const vr = dictionaryVr(tag);
  if (vr === undefined) return { problem: `tag ${key} is not in the DICOM data dictionary (PS3.6)` };
  if (vr === 'SQ') return { problem: `"${key}" is a sequence: matching inside a sequence is not supported, match a top-level attribute` };
  // An ambiguous dictionary VR ("US/SS", "OB/OW") matches as its first reading.
  return { kind: 'attribute', tag: tagKey(tag), vr: vr.split('/')[0]!, keyword: keywordOf(tag) };
}

export function compileKey(key: string, wanted: string): CompiledKey {
  const target = resolveKey(key);
  if ('problem' in target) return { key, wanted, problem: target.problem };
  const { tag, vr } = target.kind === 'callingAe' ? { tag: CALLING_AE_KEY, vr: 'AE' } : target;
  try {
    return { key, wanted, target, matcher: parseMatcher(tag, keyElement(vr, wanted)) };
  } catch (error) {
    return { key, wanted, problem: `"${wanted}" is not a valid ${key} key: ${errorMessage(error)}` };
  }
}

export function compileMatch(match: RouteMatch): CompiledKey[] {
  return Object.entries(match).map(([key, wanted]) => compileKey(key, wanted));
}

/** The instance's element a compiled key is tested against (undefined: absent, which only `*` or an empty value matches). */
export function heldElement(target: KeyTarget, instance: RoutedInstance): DicomJsonElement | undefined {
  if (target.kind === 'callingAe') return instance.callingAe === undefined ? undefined : { vr: 'AE', Value: [instance.callingAe] };
  return instance.json[target.tag];
}

export function keyHolds(compiled: CompiledKey, instance: RoutedInstance): boolean {
  if ('problem' in compiled) return false;
  const tag = compiled.target.kind === 'callingAe' ? CALLING_AE_KEY : compiled.target.tag;
  return matchElement(tag, compiled.matcher, heldElement(compiled.target, instance));
}

/** A rule's value as the query element the matchers parse: a PN key's "\"-separated alternatives become names. */
function keyElement(vr: string, wanted: string): DicomJsonElement {
  if (vr === 'PN') return { vr, Value: wanted.split('\\').map((name) => ({ Alphabetic: name })) };
  return { vr, Value: [wanted] };
}
