import { describe, expect, it } from 'vitest';
import type { QueueListResponse } from '../../../../shared/api/queue-api.js';
import { formatQueue, relativeTime } from '../../../../main/cli/queue-listing.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');

const queue: QueueListResponse = {
  destinations: [
    { destination: 'PACS', kind: 'dimse', pending: 3, inFlight: 0, failing: 3, dead: 1, doneRecently: 7, lastError: { message: 'PACS (127.0.0.1:4242): connection refused', at: '2026-03-02T09:59:50.000Z' }, nextAttemptAt: '2026-03-02T10:00:40.000Z' },
    { destination: 'WEB', kind: 'dicomweb', pending: 0, inFlight: 0, failing: 0, dead: 0, doneRecently: 0 },
  ],
  studies: [
    {
      destination: 'PACS',
      studyUid: '1.2.3',
      patientName: 'Doe^Jane',
      patientId: 'P1',
      studyDescription: 'CT chest',
      rule: 'ct-to-pacs',
      priority: 'stat',
      counts: { pending: 3, 'in-flight': 0, done: 7, dead: 1, failing: 3 },
      lastError: 'connection refused',
      queuedAt: '2026-03-02T09:59:00.000Z',
      updatedAt: '2026-03-02T09:59:50.000Z',
    },
  ],
};

describe('formatQueue', () => {
  it('prints one row per destination with its counts, next retry and last error, then one row per study', () => {
    const lines = formatQueue(queue, NOW).split('\n');
    expect(lines[0]).toMatch(/^DESTINATION\s+PENDING\s+IN FLIGHT\s+FAILING\s+DEAD\s+DONE 24 H\s+NEXT RETRY\s+LAST ERROR$/);
    expect(lines[1]!.split(/\s{2,}/)).toEqual(['PACS', '3', '0', '3', '1', '7', 'in 40 s', 'PACS (127.0.0.1:4242): connection refused (2026-03-02T09:59:50.000Z)']);
    expect(lines[2]!.split(/\s{2,}/)).toEqual(['WEB', '0', '0', '0', '0', '0']);
    expect(lines[3]).toBe('');
    expect(lines[5]!.split(/\s{2,}/)).toEqual(['PACS', 'Doe^Jane (P1)', 'CT chest', '3', '0', '3', '1', '7', 'ct-to-pacs', 'stat', '1.2.3', 'connection refused']);
  });

  it('says so when nothing was ever queued', () => {
    expect(formatQueue({ destinations: [], studies: [] }, NOW)).toBe('The send queue is empty.\n');
  });
});

describe('relativeTime', () => {
  it('reads seconds and minutes ahead, now for the past, the time itself beyond an hour', () => {
    expect(relativeTime('2026-03-02T10:00:05.000Z', NOW)).toBe('in 5 s');
    expect(relativeTime('2026-03-02T10:05:00.000Z', NOW)).toBe('in 5 min');
    expect(relativeTime('2026-03-02T09:00:00.000Z', NOW)).toBe('now');
    expect(relativeTime('2026-03-02T12:00:00.000Z', NOW)).toBe('2026-03-02T12:00:00.000Z');
  });
});
