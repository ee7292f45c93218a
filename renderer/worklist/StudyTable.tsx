/** The worklist table: one row per study, sortable columns, read status, conflict flag. */
import { useEffect, useRef } from 'react';
import { READ_STATUSES, type ReadStatus, type StudySummary } from '../../shared/api/app-api.js';
import { patientNameText } from './patient-name.js';
import { StudyCells } from './StudyCells.js';
import { dateText } from './study-date.js';
import { StudyThumbnail } from './StudyThumbnail.js';
import type { SortColumn, SortOrder } from './study-sort.js';

const COLUMNS: Array<{ column: SortColumn | null; label: string; className?: string }> = [
  { column: 'readStatus', label: 'Status' },
  { column: null, label: '' },
  { column: 'patientName', label: 'Patient' },
  { column: 'patientId', label: 'Patient ID' },
  { column: 'studyDate', label: 'Study date' },
  { column: 'modalities', label: 'Mod.' },
  { column: 'description', label: 'Description', className: 'grow' },
  { column: 'accession', label: 'Accession' },
  { column: 'seriesCount', label: 'Series', className: 'num' },
  { column: 'instanceCount', label: 'Images', className: 'num' },
];

const STATUS_LABEL: Record<ReadStatus, string> = { unread: 'Unread', 'in-progress': 'In progress', read: 'Read' };

interface Props {
  studies: StudySummary[];
  sort: SortOrder;
  onSort: (column: SortColumn) => void;
  selectedUid: string | undefined;
  onSelect: (study: StudySummary) => void;
  onOpen: (study: StudySummary) => void;
  onReadStatus: (study: StudySummary, status: ReadStatus) => void;
  /** Thumbnail size, CSS pixels. */
  thumbnailSize: number;
}

export function StudyTable({ studies, sort, onSort, selectedUid, onSelect, onOpen, onReadStatus, thumbnailSize }: Props) {
  const selectedRow = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    // A block body: newer Chromium returns a promise from scrollIntoView, which React would take for a cleanup.
    void selectedRow.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedUid]);
  return (
    <table className="study-table">
      <thead>
        <tr>
          {COLUMNS.map(({ column, label, className }) => (
            <th key={label || 'thumb'} className={className} aria-sort={column && sort.column === column ? (sort.descending ? 'descending' : 'ascending') : undefined}>
              {column ? (
                <button type="button" onClick={() => onSort(column)}>
                  {label}
                  {sort.column === column && <span className="sort-mark">{sort.descending ? ' ▾' : ' ▴'}</span>}
                </button>
              ) : (
                label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {studies.map((study) => {
          const selected = study.studyUid === selectedUid;
          return (
            <tr
              key={study.studyUid}
              ref={selected ? selectedRow : undefined}
              className={`study-row ${study.readStatus}${selected ? ' selected' : ''}`}
              data-study-uid={study.studyUid}
              aria-selected={selected}
              onClick={() => onSelect(study)}
              onDoubleClick={() => onOpen(study)}
            >
              <td>
                <select className={`read-status ${study.readStatus}`} aria-label="Read status" value={study.readStatus} onClick={(e) => e.stopPropagation()} onChange={(e) => onReadStatus(study, e.target.value as ReadStatus)}>
                  {READ_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {STATUS_LABEL[s]}
                    </option>
                  ))}
                </select>
              </td>
              <td className="thumb-cell">
                <StudyThumbnail key={study.updatedAt} studyUid={study.studyUid} modalities={study.modalities} version={study.updatedAt} size={thumbnailSize} />
              </td>
              <td className="patient">
                {patientNameText(study.patientName)}
                {study.conflicts > 0 && ' '}
                {study.conflicts > 0 && (
                  <span className="conflict" title={`This patient ID was received with different names, birth dates or sexes (${study.conflicts}); see the conflicts list before reading.`}>
                    ⚠ {study.conflicts} conflict{study.conflicts === 1 ? '' : 's'}
                  </span>
                )}
                {' '}
                <span className="demographics">
                  {dateText(study.patientBirthDate)} {study.patientSex ?? ''}
                </span>
              </td>
              <StudyCells study={study} />
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
