/**
 * Wildcard keys (`*`, `?`) match in time linear in the value, whatever the
 * key: the patterns that made a backtracking regular expression run for
 * minutes answer in milliseconds, and every answer agrees with a plain
 * dynamic-programming oracle.
 */
import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { compileQuery, matchesQuery } from '../../../../shared/query/compiled-query.js';
import { compileWildcard, wildcardMatches } from '../../../../shared/query/wildcard.js';

/** The textbook O(n·m) table over code points: the oracle, independent of the code under test. */
function oracle(pattern: string, text: string): boolean {
  const p = [...pattern];
  const t = [...text];
  let row = Array.from({ length: t.length + 1 }, (_, j) => j === 0);
  for (const c of p) {
    const next = Array.from({ length: t.length + 1 }, () => false);
    next[0] = c === '*' && row[0]!;
    for (let j = 1; j <= t.length; j++) {
      next[j] = c === '*' ? next[j - 1]! || row[j]! : row[j - 1]! && (c === '?' || c === t[j - 1]);
    }
    row = next;
  }
  return row[t.length]!;
}

const matches = (pattern: string, text: string) => wildcardMatches(compileWildcard(pattern), text);

describe('wildcard matching agrees with the oracle', () => {
  it.each([
    ['*', '', true],
    ['*', 'abc', true],
    ['', '', true],
    ['', 'a', false],
    ['?', '', false],
    ['?', 'a', true],
    ['a*', 'abc', true],
    ['*c', 'abc', true],
    ['*b*', 'abc', true],
    ['a*c', 'ac', true],
    ['a*c', 'abcbc', true],
    ['a*bc', 'abcbd', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*?', '', false],
    ['**', 'x', true],
    ['ab*ab', 'ab', false],
    ['ab*ab', 'abab', true],
    ['*aab', 'aaab', true],
    ['*a?b*', 'xxaxbyy', true],
    ['?😀?', 'a😀b', true], // `?` is one character, even outside the BMP
    ['?', '😀', true],
    ['a.b*', 'axb', false], // no character is special but * and ?
    ['[a]*', 'a', false],
  ])('%j against %j -> %s', (pattern, text, expected) => {
    expect(oracle(pattern, text)).toBe(expected);
    expect(matches(pattern, text)).toBe(expected);
  });

  it('on 20,000 random keys and values over a small alphabet', () => {
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pick = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
    for (let i = 0; i < 20_000; i++) {
      const pattern = pick('ab*?', random(9));
      const text = pick('ab', random(12));
      expect(matches(pattern, text), `${pattern} against ${text}`).toBe(oracle(pattern, text));
    }
  });

  it('with segments longer than one 32-bit word', () => {
    const long = 'ab?'.repeat(30); // 90 characters, three words
    const text = `zz${long.replace(/\?/g, 'c')}zz`;
    expect(matches(`*${long}*`, text)).toBe(true);
    expect(matches(`*${long}b*`, text)).toBe(false);
    expect(matches(`*${long}*`, text)).toBe(oracle(`*${long}*`, text));
  });
});

/** Run `fn` and return how long it took, in milliseconds. */
function timed(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

describe('hostile keys answer quickly', () => {
  const stars24 = `*${'a*'.repeat(24)}b`;
  const long = 'a'.repeat(5000);

  it.each([
    ['24 stars', stars24],
    ['1000 stars', `*${'a*'.repeat(1000)}b`],
    ['a long run of ?', `*${'?'.repeat(200)}b*`],
    ['alternating ? and letters', `*${'a?'.repeat(300)}b*`],
  ])('%s against 5000 characters: no match, under 50 ms', (_name, pattern) => {
    let result = true;
    const ms = timed(() => (result = matches(pattern, long)));
    expect(result).toBe(false);
    expect(ms).toBeLessThan(50);
  });

  it('through the query engine for descriptive text (LO) and names (PN), as C-FIND and QIDO use it', () => {
    const record: DicomJsonDataset = {
      '00081030': { vr: 'LO', Value: [long] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: long }] },
    };
    for (const tag of ['00081030', '00100010']) {
      const vr = tag === '00100010' ? 'PN' : 'LO';
      const query = compileQuery('STUDY', { [tag]: { vr, Value: [stars24] } });
      let result = true;
      const ms = timed(() => (result = matchesQuery(query, record)));
      expect(result).toBe(false);
      expect(ms).toBeLessThan(50);
      // The same key, satisfiable, matches, folded as before (text ignores case).
      const upper = compileQuery('STUDY', { [tag]: { vr, Value: [`*${'A*'.repeat(24)}`] } });
      expect(matchesQuery(upper, record)).toBe(true);
    }
  });
});
