import { describe, expect, it } from 'vitest';
import type { QueueDestinationSummary } from '../../../../shared/api/queue-api.js';
import { commitmentText, destinationHealth, formatWhen, queueHeadline, waiting } from '../../../../renderer/queue/queue-words.js';

const idle: QueueDestinationSummary = { destination: 'PACS', kind: 'dimse', pending: 0, inFlight: 0, failing: 0, dead: 0, doneRecently: 4 };

describe('the send queue in the reading room', () => {
  it('names a destination by the worst of its sends', () => {
    expect(destinationHealth(idle)).toBe('idle');
    expect(destinationHealth({ ...idle, pending: 2 })).toBe('sending');
    expect(destinationHealth({ ...idle, dead: 1, pending: 2 })).toBe('given-up');
    expect(destinationHealth({ ...idle, dead: 1, pending: 2, failing: 2 })).toBe('failing');
  });

  it('sums failing sends over destinations for the status bar, and stays quiet when all is sent', () => {
    expect(queueHeadline({ destinations: [{ ...idle, pending: 3, failing: 3 }, { ...idle, destination: 'AI', pending: 1, failing: 1, dead: 2 }], studies: [] })).toEqual({ text: '4 failing', tone: 'warn' });
    expect(queueHeadline({ destinations: [{ ...idle, dead: 2 }], studies: [] })).toEqual({ text: '2 not sent', tone: 'danger' });
    expect(queueHeadline({ destinations: [{ ...idle, pending: 5, inFlight: 1 }], studies: [] })).toEqual({ text: '6 to send', tone: 'quiet' });
    expect(queueHeadline({ destinations: [idle], studies: [] }).text).toBe('');
    expect(queueHeadline(undefined).text).toBe('');
  });

  it('shows waiting apart from failing (failing sends are pending too)', () => {
    expect(waiting({ pending: 5, failing: 2 })).toBe(3);
  });

  it('writes a time of today without its date', () => {
    const now = new Date(2026, 2, 2, 15, 0, 0);
    expect(formatWhen(new Date(2026, 2, 2, 9, 5, 7).toISOString(), now)).toBe('09:05:07');
    expect(formatWhen(new Date(2026, 2, 1, 23, 0, 0).toISOString(), now)).toBe('2026-03-01 23:00:00');
  });

  it('says how many delivered images the PACS confirmed it keeps, and how many it refused', () => {
    expect(commitmentText(undefined)).toEqual({ text: '', refused: false });
    expect(commitmentText({ committed: 3 })).toEqual({ text: '3 of 3', refused: false });
    expect(commitmentText({ requested: 2, committed: 1 })).toEqual({ text: '1 of 3', refused: false });
    expect(commitmentText({ committed: 1, failed: 2 })).toEqual({ text: '1 of 3, 2 refused', refused: true });
  });
});
