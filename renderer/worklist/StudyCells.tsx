/** The cells a local and a remote study row share: from Patient ID to the image count. */
import { formatTime } from '../app/lib/format.js';
import { dateText } from './study-date.js';

export interface StudyCellValues {
  patientId: string;
  studyDate?: string | null | undefined;
  studyTime?: string | null | undefined;
  modalities: readonly string[];
  description?: string | null | undefined;
  accession?: string | null | undefined;
  seriesCount?: number | undefined;
  instanceCount?: number | undefined;
}

export function StudyCells({ study }: { study: StudyCellValues }) {
  return (
    <>
      <td>{study.patientId}</td>
      <td className="date">
        {dateText(study.studyDate)} <span className="time">{formatTime(study.studyTime)}</span>
      </td>
      <td>{study.modalities.join(' ')}</td>
      <td className="grow">{study.description ?? ''}</td>
      <td>{study.accession ?? ''}</td>
      <td className="num">{study.seriesCount ?? ''}</td>
      <td className="num">{study.instanceCount ?? ''}</td>
    </>
  );
}
