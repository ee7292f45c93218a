/** A remote node's studies: what it answered, what this node holds of each, and the retrieve in progress. */
import { useEffect, useRef } from 'react';
import type { JobInfo } from '../../shared/api/jobs.js';
import { patientNameText } from './patient-name.js';
import { StudyCells } from './StudyCells.js';
import { dateText } from './study-date.js';
import { retrieveProgress, type RemoteStudy } from './remote-studies.js';

interface Props {
  studies: RemoteStudy[];
  /** Images held here, per study held (even in part). */
  held: ReadonlyMap<string, number>;
  retrieves: ReadonlyMap<string, JobInfo>;
  selectedUid: string | undefined;
  onSelect: (study: RemoteStudy) => void;
  /** Double click: open when held, retrieve otherwise. */
  onActivate: (study: RemoteStudy) => void;
  onRetrieve: (study: RemoteStudy) => void;
  onCancel: (job: JobInfo) => void;
}

function RetrieveCell({ job, onRetrieve, onCancel }: { job: JobInfo | undefined; onRetrieve: () => void; onCancel: (job: JobInfo) => void }) {
  if (job?.state === 'running') {
    const { completed, failed, total } = job.progress;
    return (
      <span className="retrieve running">
        <progress max={total ?? 0} value={total ? completed + failed : undefined} />
        <span className="retrieve-progress">{retrieveProgress(job)}</span>
        <button type="button" onClick={() => onCancel(job)} title="Cancel the retrieve">
          Cancel
        </button>
      </span>
    );
  }
  return (
    <span className={`retrieve ${job?.state ?? ''}`}>
      {job && <span className="retrieve-progress">{retrieveProgress(job)}</span>}
      <button type="button" onClick={onRetrieve} title="Bring the study into this node (r)">
        {job ? 'Again' : 'Retrieve'}
      </button>
    </span>
  );
}

export function RemoteStudyTable({ studies, held, retrieves, selectedUid, onSelect, onActivate, onRetrieve, onCancel }: Props) {
  const selectedRow = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    void selectedRow.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedUid]);
  return (
    <table className="study-table remote">
      <thead>
        <tr>
          <th>Patient</th>
          <th>Patient ID</th>
          <th>Study date</th>
          <th>Mod.</th>
          <th className="grow">Description</th>
          <th>Accession</th>
          <th className="num">Series</th>
          <th className="num">Images</th>
          <th>Here</th>
          <th>Retrieve</th>
        </tr>
      </thead>
      <tbody>
        {studies.map((study) => {
          const selected = study.studyUid === selectedUid;
          const images = held.get(study.studyUid);
          return (
            <tr
              key={study.studyUid}
              ref={selected ? selectedRow : undefined}
              className={`study-row remote-row${selected ? ' selected' : ''}`}
              data-study-uid={study.studyUid}
              aria-selected={selected}
              onClick={() => onSelect(study)}
              onDoubleClick={() => onActivate(study)}
            >
              <td className="patient">
                {patientNameText(study.patientName)}{' '}
                <span className="demographics">
                  {dateText(study.patientBirthDate)} {study.patientSex ?? ''}
                </span>
              </td>
              <StudyCells study={study} />
              <td className="held">{images !== undefined && (images === study.instanceCount || study.instanceCount === undefined ? 'Held' : `${images} held`)}</td>
              <td>
                <RetrieveCell job={retrieves.get(study.studyUid)} onRetrieve={() => onRetrieve(study)} onCancel={onCancel} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
