/**
 * Evaluating match rules: one rule against one attribute value, with the
 * reason it passed or failed, and a list of rules into a score. Used for
 * study rules, prior rules and display-set rules alike.
 *
 * On a list attribute (modalities, imageType, ...) a positive operator passes
 * when any element passes; its negation (notEquals, notContains, notMatches,
 * noneOf) when
 * no element does. A missing value fails every operator but the negations
 * and `missing`. Text compares trimmed and, unless caseSensitive, ignoring case.
 * A rule weighs 1 unless it says otherwise, a required rule 0: it is a gate
 * every candidate passes, not evidence that ranks them.
 */
import type { AttributeValue } from './study-facts.js';
import type { MatchRule, NumberRange, Operator, RuleOutcome, RuleValue } from './types.js';

type Scalar = string | number | boolean;

const NEGATIONS: Partial<Record<Operator, Operator>> = { notEquals: 'equals', notContains: 'contains', notMatches: 'matches', noneOf: 'oneOf' };

export function evaluateRule(rule: MatchRule, actual: AttributeValue, pointer: string): RuleOutcome {
  const passed = ruleHolds(rule, actual);
  const outcome: RuleOutcome = {
    pointer,
    attribute: rule.attribute,
    operator: rule.operator,
    weight: rule.weight ?? (rule.required ? 0 : 1),
    required: rule.required ?? false,
    passed,
    why: explain(rule, actual, passed),
  };
  if (rule.value !== undefined) outcome.value = rule.value;
  return outcome;
}

export interface RuleScore {
  score: number;
  outcomes: RuleOutcome[];
  /** Required rules that failed: the candidate is out. */
  failedRequired: RuleOutcome[];
  /** How many required rules there are (a tie-break: the more specific protocol wins). */
  requiredCount: number;
}

/** Every rule evaluated; the score is the sum of the weights of those that passed. */
export function scoreRules<A extends string>(rules: readonly MatchRule<A>[], valueOf: (attribute: A) => AttributeValue, basePointer: string): RuleScore {
  const outcomes = rules.map((rule, i) => evaluateRule(rule, valueOf(rule.attribute), `${basePointer}/${i}`));
  return {
    score: outcomes.reduce((sum, o) => (o.passed ? sum + o.weight : sum), 0),
    outcomes,
    failedRequired: outcomes.filter((o) => o.required && !o.passed),
    requiredCount: outcomes.filter((o) => o.required).length,
  };
}

function ruleHolds(rule: MatchRule, actual: AttributeValue): boolean {
  const elements = elementsOf(actual);
  const negated = NEGATIONS[rule.operator];
  if (negated) return !ruleHolds({ ...rule, operator: negated }, actual);
  const cs = rule.caseSensitive ?? false;
  const value = rule.value;
  switch (rule.operator) {
    case 'exists':
      return elements.length > 0;
    case 'missing':
      return elements.length === 0;
    case 'equals':
      return value !== undefined && !isRange(value) && elements.some((e) => sameValue(e, value, cs));
    case 'oneOf':
      return Array.isArray(value) && elements.some((e) => value.some((v) => sameValue(e, v, cs)));
    case 'includesAll':
      return Array.isArray(value) && value.every((v) => elements.some((e) => sameValue(e, v, cs)));
    case 'contains':
      return typeof value === 'string' && elements.some((e) => text(e, cs).includes(text(value, cs)));
    case 'startsWith':
      return typeof value === 'string' && elements.some((e) => text(e, cs).startsWith(text(value, cs)));
    case 'matches': {
      const regex = typeof value === 'string' ? compiledRegex(value, cs) : undefined;
      return regex !== undefined && elements.some((e) => regex.test(String(e)));
    }
    case 'range':
      return isRange(value) && elements.some((e) => typeof e === 'number' && inRange(e, value));
    default:
      return false;
  }
}

function elementsOf(actual: AttributeValue): Scalar[] {
  if (actual === null) return [];
  if (Array.isArray(actual)) return actual.filter((e) => e.trim() !== '');
  if (typeof actual === 'string' && actual.trim() === '') return [];
  return [actual];
}

function sameValue(element: Scalar, value: RuleValue, cs: boolean): boolean {
  if (Array.isArray(value) || isRange(value)) return false;
  if (typeof element === 'number' || typeof value === 'number') return Number(element) === Number(value) && String(element).trim() !== '';
  if (typeof element === 'boolean' || typeof value === 'boolean') return element === value;
  return text(element, cs) === text(value, cs);
}

function text(value: Scalar, cs: boolean): string {
  const trimmed = String(value).trim();
  return cs ? trimmed : trimmed.toLowerCase();
}

function isRange(value: RuleValue | undefined): value is NumberRange {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function inRange(n: number, range: NumberRange): boolean {
  return (range.min === undefined || n >= range.min) && (range.max === undefined || n <= range.max);
}

const regexCache = new Map<string, RegExp | null>();

/** Compiled once per pattern; null for a pattern that does not compile (the validator reports those). */
export function compiledRegex(pattern: string, caseSensitive: boolean): RegExp | undefined {
  const key = `${caseSensitive ? 's' : 'i'}:${pattern}`;
  let regex = regexCache.get(key);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, caseSensitive ? '' : 'i');
    } catch {
      regex = null;
    }
    regexCache.set(key, regex);
  }
  return regex ?? undefined;
}

const VERBS: Record<Operator, [string, string]> = {
  equals: ['equals', 'does not equal'],
  notEquals: ['differs from', 'equals'],
  contains: ['contains', 'does not contain'],
  notContains: ['does not contain', 'contains'],
  startsWith: ['starts with', 'does not start with'],
  matches: ['matches', 'does not match'],
  notMatches: ['does not match', 'matches'],
  oneOf: ['is one of', 'is none of'],
  noneOf: ['is none of', 'is one of'],
  includesAll: ['includes all of', 'does not include all of'],
  range: ['is within', 'is not within'],
  exists: ['has a value', 'has no value'],
  missing: ['has no value', 'has a value'],
};

/** e.g. `studyDescription "CT CHEST" contains "chest"` or `modalities [MR] does not include all of [CT, PT]`. */
function explain(rule: MatchRule, actual: AttributeValue, passed: boolean): string {
  const found = `${rule.attribute} ${formatValue(actual)}`;
  if (rule.operator === 'exists' || rule.operator === 'missing') return `${rule.attribute} ${VERBS[rule.operator][passed ? 0 : 1]}`;
  if (elementsOf(actual).length === 0 && !NEGATIONS[rule.operator]) return `${rule.attribute} has no value`;
  return `${found} ${VERBS[rule.operator][passed ? 0 : 1]} ${formatRuleValue(rule.value)}`;
}

export function formatValue(value: AttributeValue): string {
  if (value === null) return '(none)';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function formatRuleValue(value: RuleValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}]`;
  if (isRange(value)) return `${value.min ?? '-∞'}..${value.max ?? '∞'}`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
