/**
 * What happens to a send that failed (docs/routing.md "Delivery"): tried again
 * after an exponential backoff with jitter, or dead-lettered once it has
 * failed `maxAttempts` times or waited longer than `maxAgeHours`.
 */
import type { QueueConfig } from '../../shared/config.js';

export type RetryPolicy = Pick<QueueConfig, 'maxAttempts' | 'maxAgeHours' | 'retryInitialSeconds' | 'retryMaxSeconds'>;

export type AfterFailure = { state: 'pending'; nextAttemptAt: string; delayMs: number } | { state: 'dead'; reason: string };

/**
 * `attempts`: failures before this one. The n-th failure waits
 * min(retryMaxSeconds, retryInitialSeconds * 2^(n-1)) times a factor drawn in
 * [0.5, 1.5), so that many sends failing together do not retry together.
 */
export function afterFailure(send: { attempts: number; queuedAt: string }, policy: RetryPolicy, now: Date, random: () => number = Math.random): AfterFailure {
  const failures = send.attempts + 1;
  if (failures >= policy.maxAttempts) return { state: 'dead', reason: `failed ${failures} time(s) (maxAttempts ${policy.maxAttempts})` };
  const ageMs = now.getTime() - Date.parse(send.queuedAt);
  if (ageMs >= policy.maxAgeHours * 3_600_000) return { state: 'dead', reason: `still undelivered ${(ageMs / 3_600_000).toFixed(1)} h after it was queued (maxAgeHours ${policy.maxAgeHours})` };
  const baseSeconds = Math.min(policy.retryMaxSeconds, policy.retryInitialSeconds * 2 ** (failures - 1));
  const delayMs = Math.round(baseSeconds * 1000 * (0.5 + random()));
  return { state: 'pending', nextAttemptAt: new Date(now.getTime() + delayMs).toISOString(), delayMs };
}
