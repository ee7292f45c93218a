/** A rule run on demand, before anything is queued: which rule, which rows, and the refusals in words. */
import { describe, expect, it } from 'vitest';
import { ruleRunRows, ruleToRun, RunRuleError } from '../../../../main/routing/run-rule.js';
import type { RouteRule } from '../../../../shared/routing/rules.js';

const ct: RouteRule = { id: 'ct-copy', priority: 'stat', match: { Modality: 'CT' }, trigger: { on: 'manual' }, actions: [{ forward: ['PACS', 'AI'] }, { forward: ['RESEARCH'], deidentify: { profile: 'basic' } }] };
const off: RouteRule = { id: 'off', enabled: false, match: {}, trigger: { on: 'instance' }, actions: [{ forward: ['PACS'] }] };

const instance = (sopUid: string, modality: string) => ({
  id: 1,
  studyUid: '1.2',
  seriesUid: `1.2.${modality}`,
  sopUid,
  callingAe: 'MODALITY',
  json: JSON.stringify({ '00080060': { vr: 'CS', Value: [modality] } }),
});

function refusal(run: () => unknown): { refusal: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof RunRuleError) return { refusal: error.refusal, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('running a rule on demand', () => {
  it('finds an enabled rule; refuses an unknown one naming the rules, a disabled one, and unreadable rules with the problem', () => {
    expect(ruleToRun([ct, off], 'ct-copy')).toBe(ct);
    expect(refusal(() => ruleToRun([ct, off], 'nope'))).toEqual({ refusal: 'unknown-rule', message: 'no routing rule named "nope"; the rules are: ct-copy, off' });
    expect(refusal(() => ruleToRun([], 'nope'))).toEqual({ refusal: 'unknown-rule', message: 'no routing rule named "nope"; the routing file has no rules' });
    expect(refusal(() => ruleToRun([ct, off], 'off')).refusal).toBe('disabled');
    expect(refusal(() => ruleToRun(undefined, 'ct-copy', 'routing.json: /rules: bad'))).toEqual({ refusal: 'rules-unreadable', message: 'the routing rules cannot be read: routing.json: /rules: bad' });
  });

  it('queues every destination of every action for the instances the match accepts, with the rule, priority and transform', () => {
    const rows = ruleRunRows(ct, { studyUid: '1.2' }, [instance('1.2.1', 'CT'), instance('1.2.2', 'SR')]);
    expect(rows.map((r) => [r.sopUid, r.destination, r.rule, r.priority, r.transform === '' ? 'as stored' : 'changed'])).toEqual([
      ['1.2.1', 'PACS', 'ct-copy', 0, 'as stored'],
      ['1.2.1', 'AI', 'ct-copy', 0, 'as stored'],
      ['1.2.1', 'RESEARCH', 'ct-copy', 0, 'changed'],
    ]);
  });

  it('refuses a study not held and one the rule matches none of, naming it', () => {
    expect(refusal(() => ruleRunRows(ct, { studyUid: '9.9' }, []))).toEqual({ refusal: 'not-held', message: 'study 9.9 is not in the archive' });
    expect(refusal(() => ruleRunRows(ct, { studyUid: '1.2', seriesUid: '1.2.SR' }, [instance('1.2.2', 'SR')]))).toEqual({
      refusal: 'no-match',
      message: 'routing rule "ct-copy" matches none of the 1 instance(s) of series 1.2.SR of study 1.2',
    });
  });
});
