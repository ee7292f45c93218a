/**
 * The instances a C-MOVE or C-GET identifier names: the query engine finds
 * the records at the requested level, and each expands to its instances.
 */
import { compileQuery, type CompiledQuery } from '../../shared/query/compiled-query.js';
import type { ArchiveReader, HeldInstance } from '../store/archive-reader.js';

export function instancesToRetrieve(index: Pick<ArchiveReader, 'findRecords' | 'getInstance' | 'listInstances'>, query: CompiledQuery): HeldInstance[] {
  const seen = new Set<string>();
  const out: HeldInstance[] = [];
  const add = (rows: HeldInstance[]) => {
    for (const row of rows) {
      if (seen.has(row.sopInstanceUid)) continue;
      seen.add(row.sopInstanceUid);
      out.push(row);
    }
  };
  for (const record of index.findRecords(query)) {
    const value = (tag: string) => {
      const v = record[tag]?.Value?.[0];
      return typeof v === 'string' ? v : undefined;
    };
    if (query.level === 'IMAGE') {
      const row = index.getInstance(value('00080018') ?? '');
      if (row) add([row]);
    } else if (query.level === 'SERIES') {
      add(index.listInstances({ seriesUid: value('0020000E') ?? '' }));
    } else if (query.level === 'STUDY') {
      add(index.listInstances({ studyUid: value('0020000D') ?? '' }));
    } else {
      // A patient without an ID is only reachable through its studies.
      const patientId = value('00100020');
      if (!patientId) continue;
      const patientKeys = { '00100020': { vr: 'LO', Value: [patientId] }, '0020000D': { vr: 'UI' } };
      for (const study of index.findRecords(compileQuery('STUDY', patientKeys))) {
        const uid = study['0020000D']?.Value?.[0];
        if (typeof uid === 'string') add(index.listInstances({ studyUid: uid }));
      }
    }
  }
  return out;
}
