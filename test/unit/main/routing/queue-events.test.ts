/** The 'queue' server event: at most one per destination per interval, carrying the summary as it is when sent. */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { QueueEvents } from '../../../../main/routing/queue-events.js';
import type { ServerEvent } from '../../../../shared/api/app-api.js';
import type { QueueDestinationSummary } from '../../../../shared/api/queue-api.js';

const summary = (destination: string, pending: number): QueueDestinationSummary => ({ destination, kind: 'dimse', pending, inFlight: 0, failing: 0, dead: 0, doneRecently: 0 });

describe('QueueEvents', () => {
  it('coalesces many changes into one event per destination per interval, with the latest counts', async () => {
    const published: ServerEvent[] = [];
    let pending = 0;
    const events = new QueueEvents({ publish: (e) => published.push(e) }, (d) => summary(d, pending), 100);
    for (let i = 0; i < 50; i++) {
      pending = i;
      events.changed('pacs');
      events.changed('web');
    }
    await sleep(30);
    expect(published.map((e) => e.type === 'queue' && [e.destination.destination, e.destination.pending])).toEqual([
      ['pacs', 49],
      ['web', 49],
    ]);
    pending = 50;
    events.changed('pacs');
    await sleep(40);
    expect(published).toHaveLength(2);
    await sleep(100);
    expect(published).toHaveLength(3);
    expect(published[2]).toEqual({ type: 'queue', destination: summary('pacs', 50) });
    events.close();
    events.changed('pacs');
    await sleep(150);
    expect(published).toHaveLength(3);
  });
});
