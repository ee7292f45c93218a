/**
 * Which rules apply to an instance: each kind of key and value a routing
 * file may hold, against a CT instance received from one AE.
 */
import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { matchRules } from '../../../../shared/routing/match-rules.js';
import type { RouteMatch, RouteRule } from '../../../../shared/routing/rules.js';

const ct: DicomJsonDataset = {
  '00080020': { vr: 'DA', Value: ['20240315'] },
  '00080060': { vr: 'CS', Value: ['CT'] },
  '00080080': { vr: 'LO', Value: ['St. Elsewhere General'] },
  '00081030': { vr: 'LO', Value: ['CT Chest w/o contrast'] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
  '00180015': { vr: 'CS', Value: ['CHEST'] },
  '00200013': { vr: 'IS', Value: [42] },
};

function rule(id: string, match: RouteMatch, extra: Partial<RouteRule> = {}): RouteRule {
  return { id, match, trigger: { on: 'instance' }, actions: [{ forward: ['PACS'] }], ...extra };
}

function ids(match: RouteMatch, callingAe?: string, extra?: Partial<RouteRule>): string[] {
  return matchRules([rule('r', match, extra)], { json: ct, callingAe }).map((r) => r.id);
}

describe('matchRules', () => {
  it.each<[string, RouteMatch, boolean]>([
    ['modality', { Modality: 'CT' }, true],
    ['another modality', { Modality: 'MR' }, false],
    ['a code string is exact (case)', { Modality: 'ct' }, false],
    ['a list of modalities', { Modality: 'MR\\CT' }, true],
    ['a list without it', { Modality: 'MR\\PT' }, false],
    ['a wildcard in a description, any case', { StudyDescription: '*chest*' }, true],
    ['a wildcard that does not fit', { StudyDescription: '*head*' }, false],
    ['? takes one character', { BodyPartExamined: 'CH?ST' }, true],
    ['an open date range that holds', { StudyDate: '20240101-' }, true],
    ['a closed date range that holds', { StudyDate: '20240301-20240331' }, true],
    ['a date range that ends before', { StudyDate: '-20231231' }, false],
    ['an exact date', { StudyDate: '20240315' }, true],
    ['a number', { InstanceNumber: '42' }, true],
    ['another number', { InstanceNumber: '43' }, false],
    ['a person name, any case', { PatientName: 'doe^*' }, true],
    ['institution with a wildcard', { InstitutionName: 'St. Elsewhere*' }, true],
    ['the tag instead of the keyword', { '00180015': 'CHEST' }, true],
    ['a lower-case tag', { '0008103e': '*' }, true],
    ['every key must hold', { Modality: 'CT', BodyPartExamined: 'HEAD' }, false],
    ['an attribute the instance lacks', { SeriesDescription: 'AX*' }, false],
    ['"*" holds even when the attribute is absent', { SeriesDescription: '*' }, true],
    ['an empty match holds for every instance', {}, true],
    ['an unknown keyword never holds', { Modallity: 'CT' }, false],
    ['a value that is no matcher never holds', { StudyDate: '2024-03' }, false],
  ])('%s', (_, match, expected) => {
    expect(ids(match, 'CT_SCANNER_1')).toEqual(expected ? ['r'] : []);
  });

  it('matches the calling AE with the same wildcard matcher', () => {
    expect(ids({ callingAe: 'CT_*' }, 'CT_SCANNER_1')).toEqual(['r']);
    expect(ids({ callingAe: 'CT_SCANNER_1' }, 'CT_SCANNER_1')).toEqual(['r']);
    expect(ids({ callingAe: 'MR_*' }, 'CT_SCANNER_1')).toEqual([]);
    expect(ids({ callingAe: 'MR_1\\CT_SCANNER_1' }, 'CT_SCANNER_1')).toEqual(['r']);
  });

  it('an imported instance has no calling AE: only "*" holds', () => {
    expect(ids({ callingAe: 'CT_*' })).toEqual([]);
    expect(ids({ callingAe: '*' })).toEqual(['r']);
  });

  it('leaves out disabled rules, keeps enabled ones in file order', () => {
    const rules = [rule('b', { Modality: 'CT' }), rule('off', { Modality: 'CT' }, { enabled: false }), rule('a', { Modality: 'CT' }, { enabled: true }), rule('mr', { Modality: 'MR' })];
    expect(matchRules(rules, { json: ct }).map((r) => r.id)).toEqual(['b', 'a']);
  });

  it('compiles a rule once and keeps the answer per rule object', () => {
    const r = rule('r', { Modality: 'CT' });
    const first = matchRules([r], { json: ct });
    r.match.Modality = 'MR'; // the cache is by object: a changed file is a new rule object
    expect(matchRules([r], { json: ct })).toEqual(first);
    expect(matchRules([{ ...r }], { json: ct })).toEqual([]);
  });
});
