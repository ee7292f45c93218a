/** Sorting the worklist by a column, in the browser (the node answers newest first, at most 1,000 rows). */
import type { StudySummary } from '../../shared/api/app-api.js';
import { formatPersonName } from '../app/lib/format.js';
import { dateTimeSortKey } from './study-date.js';

export type SortColumn = 'readStatus' | 'patientName' | 'patientId' | 'studyDate' | 'modalities' | 'description' | 'accession' | 'seriesCount' | 'instanceCount' | 'receivedAt';

export interface SortOrder {
  column: SortColumn;
  descending: boolean;
}

export const DEFAULT_SORT: SortOrder = { column: 'studyDate', descending: true };

const READ_ORDER = { unread: 0, 'in-progress': 1, read: 2 } as const;

function keyOf(study: StudySummary, column: SortColumn): string | number {
  switch (column) {
    case 'readStatus':
      return READ_ORDER[study.readStatus];
    case 'patientName':
      return formatPersonName(study.patientName).toLocaleLowerCase();
    case 'patientId':
      return study.patientId;
    case 'studyDate':
      // 1997.04.24 and 19970424 are the same day.
      return dateTimeSortKey(study.studyDate, study.studyTime);
    case 'modalities':
      return study.modalities.join('\\');
    case 'description':
      return (study.description ?? '').toLocaleLowerCase();
    case 'accession':
      return study.accession ?? '';
    case 'seriesCount':
      return study.seriesCount;
    case 'instanceCount':
      return study.instanceCount;
    case 'receivedAt':
      return study.receivedAt;
  }
}

export function sortStudies(studies: readonly StudySummary[], order: SortOrder): StudySummary[] {
  const direction = order.descending ? -1 : 1;
  return [...studies].sort((a, b) => {
    const ka = keyOf(a, order.column);
    const kb = keyOf(b, order.column);
    const compared = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb), undefined, { numeric: true });
    // Ties keep the node's order (newest first).
    return compared * direction;
  });
}

/** Clicking the sorted column flips it; another column sorts ascending, except dates and counts (biggest first). */
export function nextSort(current: SortOrder, column: SortColumn): SortOrder {
  if (current.column === column) return { column, descending: !current.descending };
  const descendingFirst: SortColumn[] = ['studyDate', 'receivedAt', 'seriesCount', 'instanceCount'];
  return { column, descending: descendingFirst.includes(column) };
}
