import { describe, expect, it } from 'vitest';
import { evaluateRule, scoreRules } from '../../../../shared/hanging-protocols/match-rules.js';
import type { AttributeValue } from '../../../../shared/hanging-protocols/study-facts.js';
import type { MatchRule } from '../../../../shared/hanging-protocols/types.js';

const rule = (operator: MatchRule['operator'], value?: MatchRule['value'], extra: Partial<MatchRule> = {}): MatchRule => ({ attribute: 'x', operator, ...(value !== undefined ? { value } : {}), ...extra });

describe('match rules', () => {
  it.each<[string, MatchRule, AttributeValue, boolean]>([
    ['equals ignores case and spacing', rule('equals', 'ct chest'), ' CT CHEST ', true],
    ['equals honours caseSensitive', rule('equals', 'ct', { caseSensitive: true }), 'CT', false],
    ['equals on a list: any element', rule('equals', 'CT'), ['SR', 'CT'], true],
    ['notEquals on a list: no element', rule('notEquals', 'CT'), ['SR', 'CT'], false],
    ['notEquals passes on a missing value', rule('notEquals', 'CT'), null, true],
    ['contains', rule('contains', 'chest'), 'CT CHEST W/O', true],
    ['notContains', rule('notContains', 'bone'), 'Head Bone', false],
    ['startsWith', rule('startsWith', 'ax'), 'AX T1', true],
    ['matches a regular expression, ignoring case', rule('matches', '^ax.*t[12]$'), 'AX T2', true],
    ['notMatches', rule('notMatches', 'flair|dwi'), 'AX T2 FLAIR', false],
    ['oneOf', rule('oneOf', ['CHEST', 'THORAX']), ['ABDOMEN', 'chest'], true],
    ['noneOf', rule('noneOf', ['LOCALIZER']), ['ORIGINAL', 'PRIMARY', 'LOCALIZER'], false],
    ['includesAll', rule('includesAll', ['CT', 'PT']), ['CT', 'PT', 'SR'], true],
    ['includesAll missing one', rule('includesAll', ['CT', 'PT']), ['CT'], false],
    ['range inclusive', rule('range', { min: 1, max: 5 }), 5, true],
    ['range open above', rule('range', { min: 60 }), 59.9, false],
    ['range on a missing number fails', rule('range', { max: 30 }), null, false],
    ['number equals', rule('equals', 3), 3, true],
    ['boolean equals', rule('equals', false), false, true],
    ['exists on an empty list', rule('exists'), [], false],
    ['exists on false (a value)', rule('exists'), false, true],
    ['missing on blank text', rule('missing'), '  ', true],
    ['an invalid regular expression never passes', rule('matches', '(['), 'x', false],
  ])('%s', (_name, r, actual, passed) => {
    expect(evaluateRule(r, actual, '/r').passed).toBe(passed);
  });

  it('explains what it found', () => {
    expect(evaluateRule({ attribute: 'studyDescription', operator: 'contains', value: 'chest' }, 'CT HEAD', '/match/1').why).toBe('studyDescription "CT HEAD" does not contain "chest"');
    expect(evaluateRule({ attribute: 'modalities', operator: 'oneOf', value: ['CT', 'MR'] }, ['CR'], '/m').why).toBe('modalities [CR] is none of ["CT", "MR"]');
    expect(evaluateRule({ attribute: 'sliceThickness', operator: 'range', value: { max: 2 } }, 1.25, '/m').why).toBe('sliceThickness 1.25 is within -∞..2');
    expect(evaluateRule({ attribute: 'bodyParts', operator: 'equals', value: 'CHEST' }, [], '/m').why).toBe('bodyParts has no value');
  });

  it('scores the weights of the rules that passed; required rules weigh 0 unless they say otherwise', () => {
    const values: Record<string, AttributeValue> = { a: 'x', b: 'y', c: 'z' };
    const result = scoreRules(
      [
        { attribute: 'a', operator: 'equals', value: 'x', required: true },
        { attribute: 'b', operator: 'equals', value: 'y', weight: 2.5 },
        { attribute: 'c', operator: 'equals', value: 'nope' },
        { attribute: 'c', operator: 'equals', value: 'z' },
        { attribute: 'a', operator: 'equals', value: 'other', required: true, weight: 4 },
      ],
      (a) => values[a] ?? null,
      '/rules',
    );
    expect(result.score).toBe(3.5);
    expect(result.requiredCount).toBe(2);
    expect(result.failedRequired.map((o) => o.pointer)).toEqual(['/rules/4']);
    expect(result.outcomes.map((o) => o.weight)).toEqual([0, 2.5, 1, 1, 4]);
  });
});
