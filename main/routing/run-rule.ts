/**
 * A routing rule run on demand (the reading room's Route…, `viewbox routes
 * run`): the sends the rule makes of every instance of a held study or series
 * that its match accepts, whatever its trigger, with the rule's priority and
 * transform. Refusals say why, naming the rule and the study.
 */
import { matchRules } from '../../shared/routing/match-rules.js';
import type { RouteRule } from '../../shared/routing/rules.js';
import type { QueueRowInput, RoutableInstance } from '../store/send-queue-store.js';
import { routedInstance } from './router.js';
import { sendsOf } from './route-sends.js';

export type RunRuleRefusal = 'unknown-rule' | 'disabled' | 'not-held' | 'no-match' | 'rules-unreadable';

export class RunRuleError extends Error {
  constructor(
    readonly refusal: RunRuleRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'RunRuleError';
  }
}

export interface RuleTarget {
  studyUid: string;
  seriesUid?: string | undefined;
}

/** "study 1.2.3" or "series 4.5.6 of study 1.2.3". */
export function targetText(target: RuleTarget): string {
  return target.seriesUid ? `series ${target.seriesUid} of study ${target.studyUid}` : `study ${target.studyUid}`;
}

/** The rule to run, or a RunRuleError naming the rules there are. `problem`: why the routing file is not in force, when it is not. */
export function ruleToRun(rules: readonly RouteRule[] | undefined, ruleId: string, problem?: string): RouteRule {
  if (!rules) throw new RunRuleError('rules-unreadable', `the routing rules cannot be read${problem ? `: ${problem}` : ''}`);
  const rule = rules.find((r) => r.id === ruleId);
  if (!rule) {
    const known = rules.map((r) => r.id);
    throw new RunRuleError('unknown-rule', `no routing rule named "${ruleId}"; ${known.length ? `the rules are: ${known.join(', ')}` : 'the routing file has no rules'}`);
  }
  if (rule.enabled === false) throw new RunRuleError('disabled', `routing rule "${ruleId}" is disabled; enable it in the routing file to run it`);
  return rule;
}

/** The queue rows of `rule` for the held instances of `target` (pure). */
export function ruleRunRows(rule: RouteRule, target: RuleTarget, instances: readonly RoutableInstance[]): QueueRowInput[] {
  if (instances.length === 0) throw new RunRuleError('not-held', `${targetText(target)} is not in the archive`);
  const matched = instances.filter((i) => matchRules([rule], routedInstance(i)).length > 0);
  if (matched.length === 0) throw new RunRuleError('no-match', `routing rule "${rule.id}" matches none of the ${instances.length} instance(s) of ${targetText(target)}`);
  return matched.flatMap((i) => sendsOf(rule, i));
}
