/**
 * The node's events for the UI (server-sent events): studies that changed and
 * job progress. A study receiving 500 images is one event per interval, not
 * 500.
 */
import type { ServerEvent } from '../../shared/api/app-api.js';

type Listener = (event: ServerEvent) => void;

export class NodeEvents {
  private readonly listeners = new Set<Listener>();
  private readonly dueStudies = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly studyIntervalMs = 500) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: ServerEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** A study gained or lost instances; reported at most once per interval. */
  studyUpdated(studyUid: string): void {
    this.dueStudies.add(studyUid);
    this.timer ??= setTimeout(() => this.flush(), this.studyIntervalMs);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.flush();
    this.listeners.clear();
  }

  private flush(): void {
    this.timer = undefined;
    const due = [...this.dueStudies];
    this.dueStudies.clear();
    for (const studyUid of due) this.publish({ type: 'study-updated', studyUid });
  }
}
