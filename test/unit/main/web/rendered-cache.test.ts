import { describe, expect, it } from 'vitest';
import { RenderedCache } from '../../../../main/web/dicomweb/rendered-cache.js';

const bytes = (n: number) => new Uint8Array(n);

describe('rendered cache', () => {
  it('keeps what fits in its budget, dropping the least recently used first', () => {
    const cache = new RenderedCache(100);
    cache.set('a', bytes(40));
    cache.set('b', bytes(40));
    expect(cache.get('a')?.length).toBe(40); // a is now the most recent
    cache.set('c', bytes(40));
    expect([cache.get('a') !== undefined, cache.get('b') !== undefined, cache.get('c') !== undefined]).toEqual([true, false, true]);
  });

  it('replaces an entry under the same key, and never keeps what exceeds the whole budget', () => {
    const cache = new RenderedCache(100);
    cache.set('a', bytes(60));
    cache.set('a', bytes(30));
    cache.set('b', bytes(70));
    expect([cache.get('a')?.length, cache.get('b')?.length]).toEqual([30, 70]);
    cache.set('huge', bytes(101));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('b')?.length).toBe(70);
  });
});
