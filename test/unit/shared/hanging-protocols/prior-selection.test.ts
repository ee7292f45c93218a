import { describe, expect, it } from 'vitest';
import { selectPriors } from '../../../../shared/hanging-protocols/prior-selection.js';
import { study } from './study-json.js';

const ct = (date: string, description = 'CT CHEST', extra: { time?: string; patientId?: string } = {}) =>
  study({ date, description, ...extra, series: [{ modality: 'CT', count: 3, bodyPart: 'CHEST' }] });

describe('prior selection', () => {
  const current = ct('20240115', 'CT CHEST', { time: '120000' });

  it('a study earlier the same day qualifies; one later that day does not', () => {
    const morning = ct('20240115', 'CT CHEST', { time: '080000' });
    const evening = ct('20240115', 'CT CHEST', { time: '180000' });
    const result = selectPriors(current, [morning, evening], { count: 2 });
    expect(result.chosen.map((c) => [c.report.ref, c.study.studyUid, c.report.ageDays])).toEqual([['prior-1', morning.studyUid, 0]]);
    expect(result.considered.find((c) => c.studyUid === evening.studyUid)!.why).toEqual(['same day as the current study, not earlier in time']);
    expect(result.missing.map((m) => [m.ref, m.reason])).toEqual([['prior-2', 'only 1 suitable local study of this patient']]);
  });

  it('orders most recent first by default, oldest first on request, within the age window', () => {
    const [y1, y2, y3] = [ct('20230115'), ct('20220115'), ct('20210115')];
    expect(selectPriors(current, [y3, y1, y2], { count: 2 }).chosen.map((c) => c.study.studyUid)).toEqual([y1.studyUid, y2.studyUid]);
    expect(selectPriors(current, [y3, y1, y2], { count: 2, order: 'oldest' }).chosen.map((c) => c.study.studyUid)).toEqual([y3.studyUid, y2.studyUid]);
    expect(selectPriors(current, [y3, y1, y2], { count: 3, minAgeDays: 400, maxAgeDays: 1000 }).chosen.map((c) => c.study.studyUid)).toEqual([y2.studyUid]);
  });

  it('same description ignores case and spacing; a different patient is refused', () => {
    const same = ct('20230101', 'ct  chest');
    const other = ct('20230201', 'CT CHEST ABDOMEN');
    const stranger = ct('20230301', 'CT CHEST', { patientId: 'SOMEONE-ELSE' });
    const result = selectPriors(current, [same, other, stranger], { count: 3, sameDescription: true });
    expect(result.chosen.map((c) => c.study.studyUid)).toEqual([same.studyUid]);
    expect(result.considered.find((c) => c.studyUid === stranger.studyUid)!.why).toEqual(['patient ID SOMEONE-ELSE is not PAT-1']);
    expect(result.missing[0]!.query.studyDescription).toBe('CT CHEST');
  });

  it('a prior known only from a remote query (no series) can be ranked too', () => {
    const remote = { ...ct('20230101'), displaySets: [], bodyParts: [] };
    const result = selectPriors(current, [remote], { count: 1, sameBodyPart: true });
    expect(result.chosen[0]!.report.why).toMatch(/body part not recorded, not compared/);
  });

  it('no prior section: nothing wanted, nothing missing', () => {
    expect(selectPriors(current, [ct('20230101')], undefined)).toEqual({ chosen: [], considered: [], missing: [] });
  });
});
