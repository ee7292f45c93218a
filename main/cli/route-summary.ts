/** Routing rules in words for the terminal: `viewbox routes list` and `viewbox routes explain`. */
import type { KeyFailure, RuleVerdict } from '../../shared/routing/explain-rules.js';
import type { RouteRule, RouteTrigger } from '../../shared/routing/rules.js';
import { transformText } from '../routing/rule-summary.js';
import { formatTable } from './table.js';

export function triggerText(trigger: RouteTrigger): string {
  return trigger.on === 'series-stable' || trigger.on === 'study-stable' ? `${trigger.on} ${trigger.seconds}s` : trigger.on;
}

export function matchText(rule: RouteRule): string {
  const keys = Object.entries(rule.match);
  return keys.length === 0 ? '(every instance)' : keys.map(([key, value]) => `${key}=${value}`).join(' ');
}

/** "PACS, AI (as stored); RESEARCH (de-identified (basic))": every action's destinations and form. */
export function actionsText(rule: RouteRule): string {
  return rule.actions.map((a) => `${a.forward.join(', ')} (${transformText(a)})`).join('; ');
}

export function formatRuleTable(rules: readonly RouteRule[]): string {
  const rows = rules.map((r) => [
    r.id,
    r.enabled === false ? 'no' : 'yes',
    r.priority ?? 'routine',
    triggerText(r.trigger),
    matchText(r),
    r.actions.map((a) => a.forward.join(', ')).join('; '),
    r.actions.map(transformText).join('; '),
  ]);
  return formatTable(['ID', 'ENABLED', 'PRIORITY', 'TRIGGER', 'MATCH', 'DESTINATIONS', 'TRANSFORM'], rows);
}

/** One line per rule: what it would do with the instance, or why it does not apply. */
export function verdictLines(verdicts: readonly RuleVerdict[]): string[] {
  const width = Math.max(0, ...verdicts.map((v) => v.rule.id.length));
  return verdicts.map((v) => {
    const id = v.rule.id.padEnd(width);
    switch (v.outcome) {
      case 'matches':
        return `  matches   ${id}  ${v.rule.priority ?? 'routine'}, on ${triggerText(v.rule.trigger)} -> ${actionsText(v.rule)}`;
      case 'disabled':
        return `  disabled  ${v.rule.id}`;
      case 'fails':
        return `  fails     ${id}  ${v.failures.map(failureText).join('; ')}`;
    }
  });
}

function failureText(f: KeyFailure): string {
  if (f.problem) return `${f.key}: ${f.problem}`;
  const held = f.held.length === 0 ? 'nothing' : f.held.map((h) => JSON.stringify(h)).join('\\');
  return `${f.key} is ${held}, wants ${JSON.stringify(f.wanted)}`;
}
