/**
 * A remote node's C-FIND answers (DICOM JSON, as GET /api/nodes/{name}/studies
 * gives them) as worklist rows, newest first, with what this node holds of
 * each and the retrieve job that is bringing it.
 */
import type { JobInfo } from '../../shared/api/jobs.js';
import type { DicomJsonDataset, PersonNameJson } from '../../shared/dicom/json.js';
import { numberOf, personNameOf, stringOf } from '../imaging/dicom-json.js';
import { dateTimeSortKey } from './study-date.js';

export interface RemoteStudy {
  studyUid: string;
  patientName: PersonNameJson | undefined;
  patientId: string;
  patientBirthDate: string | undefined;
  patientSex: string | undefined;
  studyDate: string | undefined;
  studyTime: string | undefined;
  accession: string | undefined;
  description: string | undefined;
  modalities: string[];
  seriesCount: number | undefined;
  instanceCount: number | undefined;
}

const TAGS = {
  studyUid: '0020000D',
  patientName: '00100010',
  patientId: '00100020',
  birthDate: '00100030',
  sex: '00100040',
  studyDate: '00080020',
  studyTime: '00080030',
  accession: '00080050',
  description: '00081030',
  modalities: '00080061',
  seriesCount: '00201206',
  instanceCount: '00201208',
} as const;

/** Answers without a Study Instance UID cannot be retrieved and are left out. */
export function remoteStudies(answers: readonly DicomJsonDataset[]): RemoteStudy[] {
  const rows = answers.flatMap((answer): RemoteStudy[] => {
    const studyUid = stringOf(answer, TAGS.studyUid);
    if (!studyUid) return [];
    const modalities = (answer[TAGS.modalities]?.Value ?? []).filter((m): m is string => typeof m === 'string' && m !== '');
    return [
      {
        studyUid,
        patientName: personNameOf(answer, TAGS.patientName),
        patientId: stringOf(answer, TAGS.patientId) ?? '',
        patientBirthDate: stringOf(answer, TAGS.birthDate),
        patientSex: stringOf(answer, TAGS.sex),
        studyDate: stringOf(answer, TAGS.studyDate),
        studyTime: stringOf(answer, TAGS.studyTime),
        accession: stringOf(answer, TAGS.accession),
        description: stringOf(answer, TAGS.description),
        modalities: [...new Set(modalities)].sort(),
        seriesCount: numberOf(answer, TAGS.seriesCount),
        instanceCount: numberOf(answer, TAGS.instanceCount),
      },
    ];
  });
  const when = (s: RemoteStudy) => dateTimeSortKey(s.studyDate, s.studyTime);
  return rows.sort((a, b) => when(b).localeCompare(when(a)) || a.studyUid.localeCompare(b.studyUid));
}

/** The latest retrieve job of each study from a node (a study retrieved twice shows its last attempt). */
export function retrievesByStudy(jobs: Iterable<JobInfo>, node: string): Map<string, JobInfo> {
  const latest = new Map<string, JobInfo>();
  for (const job of jobs) {
    if (job.kind !== 'retrieve' || job.node !== node || !job.studyUid) continue;
    const held = latest.get(job.studyUid);
    if (!held || held.startedAt <= job.startedAt) latest.set(job.studyUid, job);
  }
  return latest;
}

/** "120 / 500 images", "done", "failed: why" — the row's retrieve column. */
export function retrieveProgress(job: JobInfo): string {
  const { completed, failed, total } = job.progress;
  const count = `${completed}${total !== undefined ? ` / ${total}` : ''} image${(total ?? completed) === 1 ? '' : 's'}${failed > 0 ? `, ${failed} failed` : ''}`;
  switch (job.state) {
    case 'running':
      return `Retrieving ${count}`;
    case 'done':
      return `Retrieved ${count}`;
    case 'cancelled':
      return `Cancelled after ${count}`;
    case 'failed':
      return `Failed: ${job.error ?? count}`;
    case 'interrupted':
      return `Interrupted after ${count} (the node stopped)`;
  }
}
