/**
 * Delivery: per destination, up to `concurrency` workers. A worker claims the
 * next due study group (STAT first, then the oldest), sends it on one
 * association or request, and settles each row: done, or failed and retried
 * later with backoff, or dead. What was in flight when the node stopped is
 * pending again at the next start (at least once: a duplicate at the
 * destination is possible, a loss is not).
 */
import { errorMessage } from '../../shared/error-message.js';
import type { Logger } from '../log.js';
import type { ArchiveReader } from '../store/archive-reader.js';
import type { QueueRow, RowSettlement, SendQueueStore } from '../store/send-queue-store.js';
import type { Destination } from './destination-list.js';
import type { DestinationSender, SendOutcome } from './destinations/destination-sender.js';
import { prepareGroup, type RouteCopier } from './route-copies.js';
import { afterFailure, type RetryPolicy } from './retry-policy.js';

/** Rows claimed (and sent on one association) at most. */
const GROUP_LIMIT = 200;
/**
 * New rows wait this long before a worker claims them, so that images
 * arriving one by one go out many to an association (an association per
 * instance halves the throughput of a forwarding rule).
 */
const LINGER_MS = 150;

export interface DeliveryDeps {
  queue: SendQueueStore;
  reader: Pick<ArchiveReader, 'getInstance' | 'fileOf'>;
  /** Makes a route's transformed copy; without it, rows with a transform fail ("transform not available"). */
  copier?: RouteCopier | undefined;
  destinations: readonly Destination[];
  senderFor: (destination: Destination) => DestinationSender;
  policy: RetryPolicy;
  concurrencyOf: (destination: Destination) => number;
  /** A study group reached the destination: what to do next (storage commitment); runs beside the next group. */
  afterGroup?: (destination: Destination, delivered: readonly QueueRow[]) => Promise<void>;
  /** Rows of this destination changed state. */
  onChange: (destination: string) => void;
  logger: Logger;
  now?: () => Date;
}

export class Delivery {
  private readonly active = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lingering = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private readonly now: () => Date;

  constructor(private readonly deps: DeliveryDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Sends in flight when the node stopped go again; every destination with due sends starts. */
  start(): void {
    const released = this.deps.queue.releaseInFlight();
    if (released > 0) this.deps.logger.warn('sends in flight when the node stopped are queued again', { sends: released });
    for (const name of this.deps.queue.openDestinations()) this.fill(name);
  }

  /** Rows were queued or made due at these destinations: claimed after a short linger, with whatever follows them. */
  wake(destinations: readonly string[]): void {
    for (const name of new Set(destinations)) {
      if (this.lingering.has(name) || this.stop.signal.aborted) continue;
      this.lingering.set(
        name,
        setTimeout(() => {
          this.lingering.delete(name);
          this.fill(name);
        }, LINGER_MS),
      );
    }
  }

  /** No new claims; the groups on the wire stop after their current instance and stay in flight (sent again at the next start). */
  async close(): Promise<void> {
    this.stop.abort(new Error('the node is stopping'));
    for (const timer of [...this.timers.values(), ...this.lingering.values()]) clearTimeout(timer);
    this.timers.clear();
    this.lingering.clear();
    await Promise.all([...this.running]);
  }

  private fill(name: string): void {
    if (this.stop.signal.aborted) return;
    const destination = this.deps.destinations.find((d) => d.name === name);
    const limit = destination ? this.deps.concurrencyOf(destination) : 1;
    while ((this.active.get(name) ?? 0) < limit) {
      const now = this.now();
      const rows = this.deps.queue.claim(name, now.toISOString(), GROUP_LIMIT);
      if (rows.length === 0) {
        this.armTimer(name);
        return;
      }
      this.active.set(name, (this.active.get(name) ?? 0) + 1);
      this.deps.onChange(name);
      const work = this.deliver(destination, name, rows).finally(() => {
        this.running.delete(work);
        this.active.set(name, (this.active.get(name) ?? 1) - 1);
        this.deps.onChange(name);
        this.wake([name]);
      });
      this.running.add(work);
    }
  }

  /** Wake a destination when its earliest retry is due. */
  private armTimer(name: string): void {
    const next = this.deps.queue.nextDueAt(name);
    const existing = this.timers.get(name);
    if (existing) clearTimeout(existing);
    this.timers.delete(name);
    if (next === undefined) return;
    const delay = Math.max(10, Date.parse(next) - this.now().getTime());
    const timer = setTimeout(() => {
      this.timers.delete(name);
      this.fill(name);
    }, Math.min(delay, 2 ** 31 - 1));
    timer.unref();
    this.timers.set(name, timer);
  }

  private async deliver(destination: Destination | undefined, name: string, rows: QueueRow[]): Promise<void> {
    const outcomes = new Map<number, SendOutcome>();
    let lost: string | undefined;
    if (!destination) {
      for (const row of rows) outcomes.set(row.id, { ok: false, error: `no destination named "${name}" in the configuration (nodes, dicomwebNodes)` });
    } else {
      const group = await prepareGroup(rows, this.deps.reader, this.deps.copier);
      for (const [id, outcome] of group.refused) outcomes.set(id, outcome);
      try {
        if (group.items.length > 0) await this.deps.senderFor(destination).send(group.items, (id, outcome) => outcomes.set(id, outcome), this.stop.signal);
      } catch (error) {
        lost = errorMessage(error);
      } finally {
        await group.cleanup();
      }
    }
    // Stopping: what was not answered stays in flight, so the next start sends it again.
    const settled = rows.filter((row) => outcomes.has(row.id) || (lost !== undefined && !this.stop.signal.aborted));
    const now = this.now();
    const settlements = settled.map((row) => this.settlement(row, outcomes.get(row.id) ?? { ok: false, error: lost! }, now));
    this.deps.queue.settle(settlements, now.toISOString());
    const failures = settlements.filter((s) => s.state !== 'done');
    if (failures.length > 0) {
      const first = failures[0] as Extract<RowSettlement, { error: string }>;
      this.deps.logger.warn('sends failed', { destination: name, study: rows[0]!.studyUid, failed: failures.length, of: rows.length, dead: failures.filter((s) => s.state === 'dead').length, error: first.error });
    }
    const delivered = rows.filter((row) => outcomes.get(row.id)?.ok === true);
    if (destination && delivered.length > 0 && this.deps.afterGroup) {
      const after = this.deps.afterGroup(destination, delivered).catch((error: unknown) => this.deps.logger.warn('after delivery', { destination: name, error }));
      this.running.add(after);
      void after.finally(() => this.running.delete(after));
    }
  }

  private settlement(row: QueueRow, outcome: SendOutcome, now: Date): RowSettlement {
    if (outcome.ok) return { id: row.id, state: 'done' };
    const next = afterFailure(row, this.deps.policy, now);
    return next.state === 'dead'
      ? { id: row.id, state: 'dead', error: `${outcome.error} (given up: ${next.reason})`, nextAttemptAt: now.toISOString() }
      : { id: row.id, state: 'pending', error: outcome.error, nextAttemptAt: next.nextAttemptAt };
  }
}
