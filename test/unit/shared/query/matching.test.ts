/**
 * The matching rules of PS3.4 C.2.2.2 as one table per rule: a key, a record
 * value, and whether the record matches.
 */
import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset, DicomJsonElement, PersonNameJson } from '../../../../shared/dicom/json.js';
import { answerFor, compileQuery, matchesQuery } from '../../../../shared/query/compiled-query.js';
import { QueryKeyError } from '../../../../shared/query/matchers.js';

type Row = [key: string | undefined, value: string | number | PersonNameJson | undefined, matches: boolean];

function el(vr: string, value: Row[1] | Array<string>): DicomJsonElement {
  if (value === undefined) return { vr };
  return { vr, Value: Array.isArray(value) ? value : [value] };
}

function check(tag: string, vr: string, rows: Row[]): void {
  it.each(rows)(`key %j against %j -> %s`, (key, value, expected) => {
    const query = compileQuery('STUDY', { [tag]: el(vr, key) });
    const record: DicomJsonDataset = value === undefined ? {} : { [tag]: el(vr, value) };
    expect(matchesQuery(query, record)).toBe(expected);
  });
}

describe('single value matching', () => {
  check('00080060', 'CS', [
    ['CT', 'CT', true],
    ['CT', 'MR', false],
    ['ct', 'CT', false], // code strings are exact
    ['CT', undefined, false],
  ]);
  check('00100020', 'LO', [
    ['PID-1', 'PID-1', true],
    ['pid-1', 'PID-1', false], // identifiers are exact though LO
    ['PID-1 ', 'PID-1', true], // trailing padding is insignificant
  ]);
  check('00081030', 'LO', [
    ['CT HEAD', 'CT Head', true], // descriptive text ignores case
    ['CT HEAD', 'CT HEAD W/O', false],
  ]);
  check('00200011', 'IS', [
    ['3', 3, true],
    ['03', 3, true],
    ['4', 3, false],
  ]);
});

describe('universal matching', () => {
  check('00081030', 'LO', [
    [undefined, 'anything', true],
    [undefined, undefined, true],
    ['', 'anything', true],
    ['*', undefined, true],
  ]);
});

describe('list of UID matching', () => {
  check('0020000D', 'UI', [
    ['1.2.3\\1.2.4', '1.2.4', true],
    ['1.2.3\\1.2.4', '1.2.5', false],
    ['1.2.3', '1.2.3', true],
  ]);
  // A list for other VRs too (ModalitiesInStudy CT\MR, a common extension).
  check('00080061', 'CS', [
    ['CT\\MR', 'MR', true],
    ['CT\\MR', 'US', false],
  ]);
});

describe('wildcard matching', () => {
  check('00081030', 'LO', [
    ['CT*', 'CT Chest', true],
    ['*chest*', 'CT CHEST W/ CONTRAST', true],
    ['CT?HEAD', 'CT HEAD', true],
    ['CT?HEAD', 'CT  HEAD', false],
    ['MR*', 'CT Chest', false],
    ['a.b*', 'axb', false], // regex metacharacters are literal
  ]);
  check('00080060', 'CS', [
    ['C?', 'CT', true],
    ['C?', 'MR', false],
  ]);
});

describe('date, time and datetime range matching', () => {
  check('00080020', 'DA', [
    ['20200101-20201231', '20200615', true],
    ['20200101-20201231', '20210101', false],
    ['20200101-20201231', '20200101', true], // bounds are inclusive
    ['20200101-20201231', '20201231', true],
    ['20200101-', '20991231', true],
    ['20200101-', '20191231', false],
    ['-20200101', '19700101', true],
    ['-20200101', '20200102', false],
    ['20200615', '20200615', true],
    ['20200615', '20200616', false],
  ]);
  check('00080030', 'TM', [
    ['0800-1200', '093000', true],
    ['0800-1200', '120059', true], // "1200" reaches to the end of that minute
    ['0800-1200', '1201', false],
    ['0800-1200', '075959.999', false],
    ['-0800', '08', true],
    ['1400-', '13:59:59', false], // ACR-NEMA style colons still compare
    ['093000', '093000.000', true],
  ]);
  check('0040A120', 'DT', [
    ['20200101-20200102', '20200101235959', true],
    ['20200101-20200102', '20200102120000', true],
    ['20200101-20200102', '20200103', false],
    ['2020-', '202001011200+0100', true],
  ]);
});

describe('person name matching', () => {
  check('00100010', 'PN', [
    ['DOE^JOHN', { Alphabetic: 'Doe^John' }, true], // case-insensitive
    ['DOE^JOHN', { Alphabetic: 'Doe^John^^^' }, true], // empty trailing components
    ['DOE*', { Alphabetic: 'Doe^Jane' }, true],
    ['DOE', { Alphabetic: 'Doe^Jane' }, false], // single value means the whole name
    ['*JANE', { Alphabetic: 'Doe^Jane' }, true],
    ['MULLER^*', { Alphabetic: 'Müller^Hans' }, true], // Latin diacritics ignored
    ['ＤＯＥ*', { Alphabetic: 'Doe^Jane' }, true], // full-width forms folded
    ['山田*', { Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' }, true], // another script's group
    ['やまだ^たろう', { Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' }, true],
    ['YAMADA^TAROU', { Ideographic: '山田^太郎' }, false],
    [undefined, { Alphabetic: 'Doe^Jane' }, true],
    ['DOE*', undefined, false],
  ]);
  it('a key written in two scripts matches a name holding either', () => {
    const query = compileQuery('PATIENT', { '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎' }] } });
    expect(matchesQuery(query, { '00100010': { vr: 'PN', Value: [{ Ideographic: '山田^太郎' }] } })).toBe(true);
    expect(matchesQuery(query, { '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Yamada^Tarou' }] } })).toBe(true);
  });
});

describe('multi-valued records', () => {
  check('00080061', 'CS', [
    ['SR', ['CT', 'SR'] as unknown as string, true],
    ['MR', ['CT', 'SR'] as unknown as string, false],
  ]);
});

describe('keys together and answers', () => {
  const record: DicomJsonDataset = {
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
    '00080020': { vr: 'DA', Value: ['20200615'] },
    '00080060': { vr: 'CS', Value: ['CT'] },
  };
  it('every key must match', () => {
    expect(matchesQuery(compileQuery('STUDY', { '00100010': el('PN', 'DOE*'), '00080020': el('DA', '20210101-') }), record)).toBe(false);
    expect(matchesQuery(compileQuery('STUDY', { '00100010': el('PN', 'DOE*'), '00080020': el('DA', '20200101-') }), record)).toBe(true);
    expect(matchesQuery(compileQuery('STUDY', { '00100010': el('PN', 'DOE*'), '00080060': el('CS', 'MR') }), record)).toBe(false);
  });
  it('the answer holds every return key, empty when the record has none', () => {
    const query = compileQuery('STUDY', { '00100010': el('PN', 'DOE*'), '00081030': { vr: 'LO' }, '00080005': el('CS', 'ISO_IR 100') });
    expect(answerFor(query, record)).toEqual({
      '00100010': record['00100010'],
      '00081030': { vr: 'LO' },
    });
  });
  it('a malformed date key is refused naming the tag', () => {
    expect(() => compileQuery('STUDY', { '00080020': el('DA', '2020-13-01x') })).toThrow(QueryKeyError);
    expect(() => compileQuery('STUDY', { '00080020': el('DA', 'yesterday') })).toThrow(/\(0008,0020\).*not a date/);
  });
});
