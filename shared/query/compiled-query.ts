/**
 * A query identifier (C-FIND) or a set of QIDO-RS parameters, compiled once
 * into matchers, then applied to records and turned into answers.
 */
import { dictionaryVr } from '../dicom/data-dictionary.js';
import type { DicomJsonDataset, DicomJsonElement } from '../dicom/json.js';
import { matchElement, parseMatcher, type Matcher } from './matchers.js';
import type { QueryLevel } from './query-levels.js';

export interface Condition {
  tag: string;
  matcher: Matcher;
}

export interface CompiledQuery {
  level: QueryLevel;
  /** Keys that narrow the result (universal keys are left out). */
  conditions: Condition[];
  /** Every key asked for, with the VR to answer an absent one with. */
  returnKeys: Map<string, string>;
}

/** Not part of matching: said by the query, not of the records. */
const CONTROL_TAGS = new Set(['00080005', '00080052', '00080056']);

export function compileQuery(level: QueryLevel, identifier: DicomJsonDataset): CompiledQuery {
  const conditions: Condition[] = [];
  const returnKeys = new Map<string, string>();
  for (const [tag, element] of Object.entries(identifier)) {
    if (CONTROL_TAGS.has(tag) || tag.startsWith('0002')) continue;
    const vr = element.vr || dictionaryVr(parseInt(tag, 16)) || 'UN';
    returnKeys.set(tag, vr);
    const matcher = parseMatcher(tag, { ...element, vr });
    if (matcher.kind !== 'universal') conditions.push({ tag, matcher });
  }
  return { level, conditions, returnKeys };
}

export function matchesQuery(query: CompiledQuery, record: DicomJsonDataset): boolean {
  return query.conditions.every(({ tag, matcher }) => matchElement(tag, matcher, record[tag]));
}

/** The answer to one matching record: every return key (and `always`), filled from the record or empty. */
export function answerFor(query: CompiledQuery, record: DicomJsonDataset, always: readonly string[] = []): DicomJsonDataset {
  const answer: DicomJsonDataset = {};
  for (const tag of [...query.returnKeys.keys(), ...always]) {
    const held: DicomJsonElement | undefined = record[tag];
    answer[tag] = held ?? { vr: query.returnKeys.get(tag) ?? dictionaryVr(parseInt(tag, 16)) ?? 'UN' };
  }
  return answer;
}
