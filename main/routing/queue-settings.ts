/** The queue's settings with the defaults of resources/config/default.json, and the priorities as the queue stores them. */
import type { QueueConfig, ViewboxConfig } from '../../shared/config.js';
import type { SendPriority } from '../../shared/routing/rules.js';

export const QUEUE_DEFAULTS: QueueConfig = {
  concurrencyPerDestination: 2,
  maxAttempts: 20,
  maxAgeHours: 72,
  retryInitialSeconds: 5,
  retryMaxSeconds: 600,
};

export function queueSettings(config: Pick<ViewboxConfig, 'queue'>): QueueConfig {
  return { ...QUEUE_DEFAULTS, ...config.queue };
}

/** Lower sends first: STAT before high, routine, low. */
const RANK: Record<SendPriority, number> = { stat: 0, high: 1, routine: 2, low: 3 };
const BY_RANK: SendPriority[] = ['stat', 'high', 'routine', 'low'];

export function priorityRank(priority: SendPriority | undefined): number {
  return RANK[priority ?? 'routine'];
}

export function priorityOfRank(rank: number): SendPriority {
  return BY_RANK[rank] ?? 'routine';
}
