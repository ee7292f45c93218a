/**
 * The router: evaluates every indexed instance once, in index order, against
 * the routing rules, and turns what they ask into queue rows and waits. Its
 * cursor (the last instance evaluated) moves in the same transaction as the
 * rows it produced, so a kill -9 at any moment loses no routing: what was
 * acknowledged but not yet evaluated is evaluated at the next start.
 */
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { matchRules } from '../../shared/routing/match-rules.js';
import type { RouteRule } from '../../shared/routing/rules.js';
import type { Logger } from '../log.js';
import type { QueueRowInput, RoutableInstance, RouteWait, SendQueueStore } from '../store/send-queue-store.js';
import { routeInstance, sendsOf } from './route-sends.js';

/** Instances evaluated per transaction. */
const BATCH = 500;

export interface RouterDeps {
  queue: SendQueueStore;
  /** The rules in force; undefined while they cannot be read (a broken routing file): nothing is evaluated, the cursor stays. */
  rules: () => readonly RouteRule[] | undefined;
  /** Rows were queued for these destinations. */
  onQueued: (destinations: readonly string[]) => void;
  logger: Logger;
  now?: () => Date;
}

export class Router {
  private readonly now: () => Date;
  private scheduled = false;
  private waitTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly deps: RouterDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Evaluate what arrived while the node was down, and arm the stable-trigger timer. */
  start(): void {
    this.evaluate();
    this.armWaitTimer();
  }

  /** An instance was committed: evaluate soon (instances committed together are evaluated together). */
  instanceCommitted(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.closed) this.evaluate();
    });
  }

  close(): void {
    this.closed = true;
    if (this.waitTimer) clearTimeout(this.waitTimer);
  }

  /** Evaluate every instance after the cursor. */
  evaluate(): void {
    const rules = this.deps.rules();
    if (!rules) return;
    const touched = new Set<string>();
    let waited = false;
    try {
      for (;;) {
        const batch = this.deps.queue.instancesAfter(this.deps.queue.routeCursor(), BATCH);
        if (batch.length === 0) break;
        const rows: QueueRowInput[] = [];
        const waits: RouteWait[] = [];
        const now = this.now();
        for (const instance of batch) {
          for (const rule of matchRules(rules, routedInstance(instance))) {
            const outcome = routeInstance(rule, instance, now);
            rows.push(...outcome.rows);
            if (outcome.wait) waits.push(outcome.wait);
          }
        }
        this.deps.queue.commitRouting(batch[batch.length - 1]!.id, rows, waits, now.toISOString());
        for (const row of rows) touched.add(row.destination);
        waited ||= waits.length > 0;
        if (batch.length < BATCH) break;
      }
    } catch (error) {
      // The cursor did not move past what failed: the next commit or start evaluates it again.
      this.deps.logger.error('routing failed; the instances will be evaluated again', { error });
    }
    if (touched.size > 0) this.deps.onQueued([...touched]);
    if (waited) this.armWaitTimer();
  }

  /** Queue the sends of every due wait: the whole series or study, as the rule matches its instances. */
  fireDueWaits(): void {
    const rules = this.deps.rules();
    if (!rules) return;
    const touched = new Set<string>();
    const now = this.now();
    for (const wait of this.deps.queue.dueWaits(now.toISOString())) {
      const rule = rules.find((r) => r.id === wait.rule);
      const rows = rule ? this.deps.queue.instancesIn(wait.scope, wait.uid).filter((i) => matchRules([rule], routedInstance(i)).length > 0).flatMap((i) => sendsOf(rule, i)) : [];
      try {
        this.deps.queue.completeWait(wait, rows, now.toISOString());
        for (const row of rows) touched.add(row.destination);
        this.deps.logger.info('stable trigger fired', { rule: wait.rule, [wait.scope]: wait.uid, sends: rows.length });
      } catch (error) {
        this.deps.logger.error('a stable trigger could not queue its sends; it fires again', { rule: wait.rule, [wait.scope]: wait.uid, error });
      }
    }
    if (touched.size > 0) this.deps.onQueued([...touched]);
  }

  private armWaitTimer(): void {
    if (this.closed) return;
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    const next = this.deps.queue.nextWaitDue();
    if (next === undefined) return;
    const delay = Math.max(0, Date.parse(next) - this.now().getTime());
    this.waitTimer = setTimeout(() => {
      this.waitTimer = undefined;
      this.fireDueWaits();
      this.armWaitTimer();
    }, Math.min(delay, 2 ** 31 - 1));
  }
}

/** The instance as rules match it: its attributes and the AE it came from. */
export function routedInstance(instance: RoutableInstance): { json: DicomJsonDataset; callingAe?: string } {
  const json = JSON.parse(instance.json) as DicomJsonDataset;
  return instance.callingAe === null ? { json } : { json, callingAe: instance.callingAe };
}
