/**
 * Why each rule does or does not apply to an instance: for a rule that does
 * not, every key that failed with the value the instance holds and the value
 * the rule wants. `viewbox routes explain` prints this per series.
 */
import type { DicomJsonElement, PersonNameJson } from '../dicom/json.js';
import { heldElement, keyHolds, type RoutedInstance } from './match-keys.js';
import { compiledKeys, isEnabled } from './match-rules.js';
import type { RouteRule } from './rules.js';

export interface KeyFailure {
  key: string;
  /** The rule's value, as written. */
  wanted: string;
  /** The instance's values as text (empty: absent or empty). */
  held: string[];
  /** Set when the key itself is invalid (it never holds). */
  problem?: string;
}

export type RuleVerdict = { rule: RouteRule; outcome: 'matches' } | { rule: RouteRule; outcome: 'disabled' } | { rule: RouteRule; outcome: 'fails'; failures: KeyFailure[] };

export function explainRules(rules: readonly RouteRule[], instance: RoutedInstance): RuleVerdict[] {
  return rules.map((rule): RuleVerdict => {
    if (!isEnabled(rule)) return { rule, outcome: 'disabled' };
    const failures = compiledKeys(rule)
      .filter((key) => !keyHolds(key, instance))
      .map((key): KeyFailure => ('problem' in key ? { key: key.key, wanted: key.wanted, held: [], problem: key.problem } : { key: key.key, wanted: key.wanted, held: heldText(heldElement(key.target, instance)) }));
    return failures.length === 0 ? { rule, outcome: 'matches' } : { rule, outcome: 'fails', failures };
  });
}

/** An element's values as a person reads them; a name as its first non-empty group. */
function heldText(element: DicomJsonElement | undefined): string[] {
  return (element?.Value ?? []).flatMap((v): string[] => {
    if (typeof v === 'string' || typeof v === 'number') return [String(v)];
    if (v && typeof v === 'object' && element?.vr === 'PN') {
      const name = v as PersonNameJson;
      return [name.Alphabetic ?? name.Ideographic ?? name.Phonetic ?? ''];
    }
    return [];
  });
}
