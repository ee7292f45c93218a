/** The 'queue' server event: a destination's summary, at most once per interval per destination, however many rows change. */
import type { QueueDestinationSummary } from '../../shared/api/queue-api.js';
import type { NodeEvents } from '../events/node-events.js';

export class QueueEvents {
  private readonly due = new Set<string>();
  private readonly lastSent = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly events: Pick<NodeEvents, 'publish'>,
    private readonly summary: (destination: string) => QueueDestinationSummary,
    private readonly intervalMs = 1000,
  ) {}

  changed(destination: string): void {
    if (this.closed) return;
    this.due.add(destination);
    if (this.timer) return;
    const last = Math.max(0, ...[...this.due].map((d) => this.lastSent.get(d) ?? 0));
    this.timer = setTimeout(() => this.flush(), Math.max(0, last + this.intervalMs - Date.now()));
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private flush(): void {
    this.timer = undefined;
    const now = Date.now();
    const ready = [...this.due].filter((d) => now - (this.lastSent.get(d) ?? 0) >= this.intervalMs);
    for (const destination of ready) {
      this.due.delete(destination);
      this.lastSent.set(destination, now);
      this.events.publish({ type: 'queue', destination: this.summary(destination) });
    }
    if (this.due.size > 0) this.changed([...this.due][0]!);
  }
}
