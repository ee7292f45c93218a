/**
 * Display-set selectors: which image display sets of the current study or a
 * prior fit a named selector (every required rule passes, the score reaches
 * minScore), best first. Order: score (sum of the weights of the passed
 * rules), then the selector's sortBy keys, then series number, then display
 * set id, so the same study always hangs the same way.
 */
import { bySeriesNumber } from './facts-from-dicom-json.js';
import { scoreRules } from './match-rules.js';
import { displaySetAttributeValue, type DisplaySetFacts, type StudyFacts } from './study-facts.js';
import type { DisplaySetSelector, RuleOutcome, SortKey, StudyRef } from './types.js';

export interface RankedDisplaySet {
  set: DisplaySetFacts;
  study: StudyRef;
  studyUid: string;
  score: number;
  rules: RuleOutcome[];
}

export interface SelectorRanking {
  /** The study the selector looks in. */
  study: StudyRef;
  candidates: RankedDisplaySet[];
  /** Image display sets refused by a required rule (with the first such rule) or by minScore. */
  refused: Array<{ set: DisplaySetFacts; why: string }>;
  /** Set when the selector's study is a prior that was not found. */
  studyMissing?: string;
}

export interface HungStudies {
  current: StudyFacts;
  /** priors[0] is prior-1. */
  priors: readonly StudyFacts[];
}

export function studyOf(ref: StudyRef, studies: HungStudies): StudyFacts | undefined {
  if (ref === 'current') return studies.current;
  return studies.priors[Number(ref.slice('prior-'.length)) - 1];
}

export function rankDisplaySets(selector: DisplaySetSelector, studies: HungStudies, pointer: string): SelectorRanking {
  const ref = selector.study ?? 'current';
  const study = studyOf(ref, studies);
  if (!study) return { study: ref, candidates: [], refused: [], studyMissing: `${ref} was not found` };
  const candidates: RankedDisplaySet[] = [];
  const refused: SelectorRanking['refused'] = [];
  for (const set of study.displaySets) {
    if (set.kind !== 'image') continue;
    const result = scoreRules(selector.rules, (attribute) => displaySetAttributeValue(set, attribute), `${pointer}/rules`);
    const failed = result.failedRequired[0];
    if (failed) refused.push({ set, why: `failed ${failed.pointer}: ${failed.why}` });
    else if (result.score < (selector.minScore ?? 0)) refused.push({ set, why: `score ${result.score} is below minScore ${selector.minScore}` });
    else candidates.push({ set, study: ref, studyUid: study.studyUid, score: result.score, rules: result.outcomes });
  }
  candidates.sort((a, b) => b.score - a.score || bySortKeys(a.set, b.set, selector.sortBy ?? []) || bySeriesNumber(a.set, b.set));
  return { study: ref, candidates, refused };
}

function bySortKeys(a: DisplaySetFacts, b: DisplaySetFacts, keys: readonly SortKey[]): number {
  for (const key of keys) {
    const va = a[key.attribute];
    const vb = b[key.attribute];
    if (va === vb) continue;
    if (va === null) return 1; // unknown values last, whichever the direction
    if (vb === null) return -1;
    return key.direction === 'asc' ? va - vb : vb - va;
  }
  return 0;
}
