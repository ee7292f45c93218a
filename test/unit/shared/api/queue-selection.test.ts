import { describe, expect, it } from 'vitest';
import { checkQueueSelection } from '../../../../shared/api/queue-selection.js';

const KNOWN = ['PACS', 'AI'];

describe('checkQueueSelection', () => {
  it('takes dead letters when retry or purge names no state, and every state for list', () => {
    expect(checkQueueSelection({}, KNOWN, 'retry')).toEqual({ ok: true, value: { state: 'dead' } });
    expect(checkQueueSelection({ destination: 'PACS' }, KNOWN, 'purge')).toEqual({ ok: true, value: { destination: 'PACS', state: 'dead' } });
    expect(checkQueueSelection({}, KNOWN, 'list')).toEqual({ ok: true, value: {} });
    expect(checkQueueSelection(undefined, KNOWN, 'list')).toEqual({ ok: true, value: {} });
  });

  it('names the configured destinations when given another', () => {
    const checked = checkQueueSelection({ destination: 'PACZ' }, KNOWN, 'retry');
    expect(checked).toEqual({ ok: false, error: 'no destination "PACZ": the configured destinations are PACS, AI' });
    expect(checkQueueSelection({ destination: 'X' }, [], 'list')).toMatchObject({ ok: false, error: expect.stringContaining('none (add nodes or dicomwebNodes') });
  });

  it('refuses states an action cannot take, and says which it can', () => {
    expect(checkQueueSelection({ state: 'in-flight' }, KNOWN, 'purge')).toEqual({ ok: false, error: 'purge takes "state" dead, done, pending, not "in-flight"' });
    expect(checkQueueSelection({ state: 'done' }, KNOWN, 'retry')).toEqual({ ok: false, error: 'retry takes "state" dead, pending, not "done"' });
    expect(checkQueueSelection({ state: 'pending' }, KNOWN, 'retry')).toEqual({ ok: true, value: { state: 'pending' } });
    expect(checkQueueSelection({ state: 'in-flight' }, KNOWN, 'list')).toEqual({ ok: true, value: { state: 'in-flight' } });
  });

  it('refuses a study that is not a UID, unknown fields, arrays and bad limits', () => {
    expect(checkQueueSelection({ studyUid: '1.2.x' }, KNOWN, 'retry')).toMatchObject({ ok: false, error: expect.stringContaining('"studyUid" must be a Study Instance UID') });
    expect(checkQueueSelection({ study: '1.2' }, KNOWN, 'retry')).toEqual({ ok: false, error: 'unknown field "study" (expected destination, studyUid, state)' });
    expect(checkQueueSelection({ limit: 5 }, KNOWN, 'purge')).toMatchObject({ ok: false, error: expect.stringContaining('unknown field "limit"') });
    expect(checkQueueSelection([], KNOWN, 'retry')).toMatchObject({ ok: false, error: expect.stringContaining('JSON object') });
    expect(checkQueueSelection({ limit: '0' }, KNOWN, 'list')).toMatchObject({ ok: false, error: expect.stringContaining('"limit"') });
    expect(checkQueueSelection({ limit: '25' }, KNOWN, 'list')).toEqual({ ok: true, value: { limit: 25 } });
    expect(checkQueueSelection({ studyUid: '1.2.840.10008' }, KNOWN, 'list')).toEqual({ ok: true, value: { studyUid: '1.2.840.10008' } });
  });
});
