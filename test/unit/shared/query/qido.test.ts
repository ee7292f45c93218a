/** QIDO-RS parameters become the same compiled query as a C-FIND identifier. */
import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { matchesQuery } from '../../../../shared/query/compiled-query.js';
import { parseQido, QidoParameterError, qidoAnswer } from '../../../../shared/query/qido.js';

const record: DicomJsonDataset = {
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
  '00100020': { vr: 'LO', Value: ['PID-001'] },
  '00080020': { vr: 'DA', Value: ['20200615'] },
  '0020000D': { vr: 'UI', Value: ['1.2.3'] },
  '00081030': { vr: 'LO', Value: ['CT Chest'] },
  '00180050': { vr: 'DS', Value: [1.25] },
  '7FE00010': { vr: 'OW', BulkDataURI: 'bulk/1000/512' },
};

describe('QIDO-RS parameters', () => {
  it('keywords and tags both name attributes, with the C-FIND matching rules', () => {
    expect(matchesQuery(parseQido('STUDY', new URLSearchParams('PatientName=doe*&StudyDate=20200101-')).query, record)).toBe(true);
    expect(matchesQuery(parseQido('STUDY', new URLSearchParams('00100020=PID-001')).query, record)).toBe(true);
    expect(matchesQuery(parseQido('STUDY', new URLSearchParams('00100020=PID-002')).query, record)).toBe(false);
  });

  it('a UID list may be separated by commas or backslashes', () => {
    for (const list of ['9.9,1.2.3', '9.9\\1.2.3']) expect(matchesQuery(parseQido('STUDY', new URLSearchParams({ StudyInstanceUID: list })).query, record)).toBe(true);
    expect(matchesQuery(parseQido('STUDY', new URLSearchParams('StudyInstanceUID=9.9,1.2.4')).query, record)).toBe(false);
  });

  it('the path scope is a key like any other', () => {
    expect(matchesQuery(parseQido('SERIES', new URLSearchParams(''), { studyUid: '1.2.4' }).query, record)).toBe(false);
    expect(matchesQuery(parseQido('SERIES', new URLSearchParams(''), { studyUid: '1.2.3' }).query, record)).toBe(true);
  });

  it('answers carry the level defaults, matched keys and includefield; all means all but bulk data', () => {
    const plain = qidoAnswer(parseQido('STUDY', new URLSearchParams('includefield=SliceThickness')), record);
    expect(plain['00100010']).toEqual(record['00100010']);
    expect(plain['00081030']).toEqual(record['00081030']);
    expect(plain['00180050']).toEqual(record['00180050']);
    expect(plain['00080052']).toBeUndefined();
    const all = qidoAnswer(parseQido('STUDY', new URLSearchParams('includefield=all')), record);
    expect(all['00180050']).toEqual(record['00180050']);
    expect(all['7FE00010']).toBeUndefined();
    expect(Object.keys(all)).toEqual([...Object.keys(all)].sort());
  });

  it('limit, offset and fuzzymatching are read; nonsense is refused naming the parameter', () => {
    const search = parseQido('IMAGE', new URLSearchParams('limit=10&offset=20&fuzzymatching=true'));
    expect([search.limit, search.offset, search.fuzzyMatching]).toEqual([10, 20, true]);
    expect(() => parseQido('STUDY', new URLSearchParams('limit=-1'))).toThrow(/limit="-1"/);
    expect(() => parseQido('STUDY', new URLSearchParams('PatientNmae=x'))).toThrow(QidoParameterError);
    expect(() => parseQido('STUDY', new URLSearchParams('StudyDate=June'))).toThrow(/\(0008,0020\)/);
  });
});
