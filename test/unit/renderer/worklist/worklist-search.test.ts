/** The worklist's filters as QIDO-RS parameters, and its column sorting. */
import { describe, expect, it } from 'vitest';
import type { StudySummary } from '../../../../shared/api/app-api.js';
import { EMPTY_FILTERS, studySearchParams } from '../../../../renderer/worklist/search-params.js';
import { nextSort, sortStudies } from '../../../../renderer/worklist/study-sort.js';

const params = (filters: Partial<typeof EMPTY_FILTERS>) => Object.fromEntries(studySearchParams({ ...EMPTY_FILTERS, ...filters }));

describe('worklist search parameters', () => {
  it('sends nothing for empty filters (every study)', () => {
    expect(params({})).toEqual({});
  });

  it('takes names and identifiers as the start of the value, descriptions as any part', () => {
    expect(params({ name: 'doe, j', patientId: 'PID-0', accession: 'ACC', description: 'brain' })).toEqual({
      PatientName: 'doe^j*',
      PatientID: 'PID-0*',
      AccessionNumber: 'ACC*',
      StudyDescription: '*brain*',
    });
  });

  it('keeps wildcards the user typed', () => {
    expect(params({ name: 'DOE^JANE', patientId: 'PID-00?', description: 'CT*' })).toEqual({ PatientName: 'DOE^JANE*', PatientID: 'PID-00?', StudyDescription: 'CT*' });
  });

  it('passes names in any script as typed', () => {
    expect(params({ name: '山田' })).toEqual({ PatientName: '山田*' });
  });

  it('turns a date range into a DICOM range, open at either end', () => {
    expect(params({ dateFrom: '2020-01-01', dateTo: '2020-12-31' })).toEqual({ StudyDate: '20200101-20201231' });
    expect(params({ dateFrom: '2020-01-01' })).toEqual({ StudyDate: '20200101-' });
    expect(params({ dateTo: '2020-12-31' })).toEqual({ StudyDate: '-20201231' });
    expect(params({ dateFrom: '2020-06-15', dateTo: '2020-06-15' })).toEqual({ StudyDate: '20200615' });
  });

  it('asks for studies with a modality among theirs', () => {
    expect(params({ modality: 'MR' })).toEqual({ ModalitiesInStudy: 'MR' });
  });
});

function study(uid: string, fields: Partial<StudySummary>): StudySummary {
  return {
    studyUid: uid,
    patientId: '',
    issuer: '',
    patientName: null,
    patientBirthDate: null,
    patientSex: null,
    studyDate: null,
    studyTime: null,
    accession: null,
    studyId: null,
    description: null,
    modalities: [],
    seriesCount: 0,
    instanceCount: 0,
    receivedAt: '',
    updatedAt: '',
    readStatus: 'unread',
    conflicts: 0,
    ...fields,
  };
}

describe('worklist sorting', () => {
  const studies = [
    study('a', { patientName: { Alphabetic: 'Zeta^Anna' }, studyDate: '20200101', studyTime: '0900', instanceCount: 5, readStatus: 'read' }),
    study('b', { patientName: { Alphabetic: 'alpha^Ben' }, studyDate: '20200101', studyTime: '1000', instanceCount: 40, readStatus: 'unread' }),
    study('c', { patientName: { Ideographic: '山田^太郎' }, studyDate: '20190101', instanceCount: 5, readStatus: 'in-progress' }),
  ];
  const order = (column: Parameters<typeof nextSort>[1], descending: boolean) => sortStudies(studies, { column, descending }).map((s) => s.studyUid);

  it('sorts names case-insensitively and dates with their times', () => {
    expect(order('patientName', false)).toEqual(['b', 'a', 'c']);
    expect(order('studyDate', true)).toEqual(['b', 'a', 'c']);
  });

  it('sorts counts as numbers and keeps the node order for ties', () => {
    expect(order('instanceCount', true)).toEqual(['b', 'a', 'c']);
    expect(order('instanceCount', false)).toEqual(['a', 'c', 'b']);
  });

  it('sorts read status in reading order: unread, in progress, read', () => {
    expect(order('readStatus', false)).toEqual(['b', 'c', 'a']);
  });

  it('flips the sorted column, and starts dates and counts biggest first', () => {
    expect(nextSort({ column: 'patientName', descending: false }, 'patientName')).toEqual({ column: 'patientName', descending: true });
    expect(nextSort({ column: 'patientName', descending: false }, 'studyDate')).toEqual({ column: 'studyDate', descending: true });
    expect(nextSort({ column: 'studyDate', descending: true }, 'patientId')).toEqual({ column: 'patientId', descending: false });
  });
});
