import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../../shared/api/jobs.js';
import { remoteStudies, retrieveProgress, retrievesByStudy } from '../../../../renderer/worklist/remote-studies.js';

const answer = (uid: string | undefined, date: string, extra: Record<string, unknown> = {}) => ({
  ...(uid ? { '0020000D': { vr: 'UI', Value: [uid] } } : {}),
  '00080020': { vr: 'DA', Value: [date] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
  '00100020': { vr: 'LO', Value: ['PID-1'] },
  ...extra,
});

const job = (over: Partial<JobInfo>): JobInfo => ({
  id: 'j',
  kind: 'retrieve',
  title: 't',
  node: 'pacs',
  studyUid: '1.1',
  state: 'running',
  progress: { completed: 0, failed: 0 },
  failures: [],
  startedAt: '2026-01-01T00:00:00Z',
  ...over,
});

describe('remote studies', () => {
  it('reads C-FIND answers newest first, leaving out those without a study UID', () => {
    const rows = remoteStudies([
      answer('1.1', '20200101', { '00080061': { vr: 'CS', Value: ['SR', 'CT', 'CT'] }, '00201208': { vr: 'IS', Value: ['12'] } }),
      answer('1.2', '20220101'),
      answer(undefined, '20230101'),
    ]);
    expect(rows.map((r) => r.studyUid)).toEqual(['1.2', '1.1']);
    expect(rows[1]).toMatchObject({ patientId: 'PID-1', modalities: ['CT', 'SR'], instanceCount: 12, seriesCount: undefined, patientName: { Alphabetic: 'Doe^Jane' } });
  });

  it('keeps the latest retrieve of each study from that node', () => {
    const latest = retrievesByStudy(
      [
        job({ id: 'old', startedAt: '2026-01-01T00:00:00Z', state: 'failed' }),
        job({ id: 'new', startedAt: '2026-01-02T00:00:00Z' }),
        job({ id: 'elsewhere', node: 'other', startedAt: '2026-01-03T00:00:00Z' }),
        job({ id: 'send', kind: 'send', startedAt: '2026-01-03T00:00:00Z' }),
      ],
      'pacs',
    );
    expect([...latest].map(([uid, j]) => [uid, j.id])).toEqual([['1.1', 'new']]);
  });

  it('says how far a retrieve got', () => {
    expect(retrieveProgress(job({ progress: { completed: 120, failed: 0, total: 500 } }))).toBe('Retrieving 120 / 500 images');
    expect(retrieveProgress(job({ progress: { completed: 3, failed: 0 } }))).toBe('Retrieving 3 images');
    expect(retrieveProgress(job({ state: 'done', progress: { completed: 1, failed: 0, total: 1 } }))).toBe('Retrieved 1 / 1 image');
    expect(retrieveProgress(job({ state: 'failed', error: 'node "pacs" refused', progress: { completed: 0, failed: 0 } }))).toBe('Failed: node "pacs" refused');
    expect(retrieveProgress(job({ state: 'cancelled', progress: { completed: 2, failed: 1, total: 9 } }))).toBe('Cancelled after 2 / 9 images, 1 failed');
  });
});
