/** The patient's other studies held here, newest first: the priors a reader compares with. */
import type { StudySummary } from '../../shared/api/app-api.js';

/** Same Patient ID from the same issuer; the study itself left out. Without a Patient ID a study has no priors. */
export function priorStudies(current: StudySummary, samePatientId: readonly StudySummary[]): StudySummary[] {
  if (current.patientId === '') return [];
  const when = (s: StudySummary) => `${s.studyDate ?? ''}${s.studyTime ?? ''}`;
  return samePatientId
    .filter((s) => s.studyUid !== current.studyUid && s.patientId === current.patientId && s.issuer === current.issuer)
    .sort((a, b) => when(b).localeCompare(when(a)) || a.studyUid.localeCompare(b.studyUid));
}
