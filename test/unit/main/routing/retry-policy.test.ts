/** The retry policy: exponential backoff with jitter, capped; dead letters by count and by age. */
import { describe, expect, it } from 'vitest';
import { afterFailure, type RetryPolicy } from '../../../../main/routing/retry-policy.js';

const policy: RetryPolicy = { maxAttempts: 5, maxAgeHours: 2, retryInitialSeconds: 5, retryMaxSeconds: 30 };
const now = new Date('2026-01-01T12:00:00.000Z');
const queuedAt = '2026-01-01T11:59:00.000Z';
const delayOf = (attempts: number, random: number) => {
  const next = afterFailure({ attempts, queuedAt }, policy, now, () => random);
  if (next.state !== 'pending') throw new Error(`expected a retry after ${attempts} earlier failures, got ${next.reason}`);
  expect(Date.parse(next.nextAttemptAt) - now.getTime()).toBe(next.delayMs);
  return next.delayMs;
};

describe('afterFailure', () => {
  it('doubles the delay at each failure from retryInitialSeconds, up to retryMaxSeconds', () => {
    // random 0.5 is the middle of the jitter: the factor is exactly 1.
    expect([0, 1, 2, 3].map((attempts) => delayOf(attempts, 0.5))).toEqual([5_000, 10_000, 20_000, 30_000]);
  });

  it('spreads retries over half to one and a half times the delay', () => {
    expect(delayOf(1, 0)).toBe(5_000);
    expect(delayOf(1, 0.999)).toBe(14_990);
    const delays = new Set(Array.from({ length: 50 }, () => afterFailure({ attempts: 1, queuedAt }, policy, now)).map((n) => (n.state === 'pending' ? n.delayMs : -1)));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(5_000);
    expect(Math.max(...delays)).toBeLessThan(15_000);
    expect(delays.size).toBeGreaterThan(10);
  });

  it('dead-letters the maxAttempts-th failure, saying why', () => {
    expect(afterFailure({ attempts: 3, queuedAt }, policy, now).state).toBe('pending');
    const dead = afterFailure({ attempts: 4, queuedAt }, policy, now);
    expect(dead).toEqual({ state: 'dead', reason: 'failed 5 time(s) (maxAttempts 5)' });
  });

  it('dead-letters a send queued longer ago than maxAgeHours, whatever its count', () => {
    const old = afterFailure({ attempts: 0, queuedAt: '2026-01-01T09:30:00.000Z' }, policy, now);
    expect(old.state).toBe('dead');
    expect(old.state === 'dead' && old.reason).toMatch(/2\.5 h .*maxAgeHours 2/);
    expect(afterFailure({ attempts: 0, queuedAt: '2026-01-01T10:00:01.000Z' }, policy, now).state).toBe('pending');
  });
});
