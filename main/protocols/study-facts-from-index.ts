/**
 * The engine's input from the archive index: a study's facts and, as prior
 * candidates, the facts of the same patient's other studies (same patient ID
 * and issuer), all from the DICOM JSON the index keeps per instance, so no
 * image file is opened.
 */
import { studyFactsFromInstances } from '../../shared/hanging-protocols/facts-from-dicom-json.js';
import type { StudyFacts } from '../../shared/hanging-protocols/study-facts.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import type { ArchiveIndex } from '../index/archive-index.js';

export interface IndexedStudies {
  current: StudyFacts;
  priorCandidates: StudyFacts[];
}

export function studiesForProtocols(index: ArchiveIndex, studyUid: string): IndexedStudies {
  const summary = index.studySummaries([studyUid])[0];
  if (!summary) throw new Error(`study ${studyUid} is not in the archive`);
  const others = index.studyUidsOfPatient(summary.patientId, summary.issuer).filter((uid) => uid !== studyUid);
  return { current: studyFacts(index, studyUid), priorCandidates: others.map((uid) => studyFacts(index, uid)) };
}

export function studyFacts(index: ArchiveIndex, studyUid: string): StudyFacts {
  const instances: DicomJsonDataset[] = [];
  for (const row of index.listInstances({ studyUid })) {
    const json = index.getInstanceJson(row.sopInstanceUid);
    if (json) instances.push(json);
  }
  if (instances.length === 0) throw new Error(`study ${studyUid} has no instances in the index`);
  return studyFactsFromInstances(instances);
}
