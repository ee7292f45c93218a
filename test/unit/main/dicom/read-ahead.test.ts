import { describe, expect, it } from 'vitest';
import { preparedInOrder } from '../../../../main/dicom/ul/read-ahead.js';

describe('read ahead', () => {
  it('yields in order with at most `depth` preparations running, whatever order they finish in', async () => {
    let running = 0;
    let most = 0;
    const prepare = async (n: number) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, (7 - n) * 2));
      running--;
      return n * 10;
    };
    const seen: Array<[number, number]> = [];
    for await (const pair of preparedInOrder([1, 2, 3, 4, 5, 6], prepare, 3)) seen.push(pair);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, n * 10]));
    expect(most).toBe(3);
  });

  it('waits for what it started when the caller stops early, so nothing is left unobserved', async () => {
    const settled: number[] = [];
    const prepare = async (n: number) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      settled.push(n);
      if (n === 3) throw new Error('unreadable');
      return n;
    };
    for await (const [n] of preparedInOrder([1, 2, 3, 4], prepare, 3)) if (n === 1) break;
    // 1 was taken, and 4 started as it was.
    expect(settled.sort()).toEqual([1, 2, 3, 4]);
  });
});
