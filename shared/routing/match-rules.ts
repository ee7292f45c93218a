/**
 * Which routing rules apply to one instance: the enabled rules whose every
 * match key holds. The router calls this for each instance it is told of, so
 * each rule's keys are compiled once and kept with the rule object.
 */
import type { RouteRule } from './rules.js';
import { compileMatch, keyHolds, type CompiledKey, type RoutedInstance } from './match-keys.js';

const compiledRules = new WeakMap<RouteRule, CompiledKey[]>();

/** The rule's compiled keys (compiled on first use, then cached by rule object). */
export function compiledKeys(rule: RouteRule): CompiledKey[] {
  let keys = compiledRules.get(rule);
  if (keys === undefined) {
    keys = compileMatch(rule.match);
    compiledRules.set(rule, keys);
  }
  return keys;
}

export function isEnabled(rule: RouteRule): boolean {
  return rule.enabled !== false;
}

/** The enabled rules (in file order) whose every match key holds for the instance; an empty match holds for every instance. */
export function matchRules(rules: readonly RouteRule[], instance: RoutedInstance): RouteRule[] {
  return rules.filter((rule) => isEnabled(rule) && compiledKeys(rule).every((key) => keyHolds(key, instance)));
}
