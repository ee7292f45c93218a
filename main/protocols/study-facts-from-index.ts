/**
 * The engine's input from the archive (through the read door): a study's facts and, as prior
 * candidates, the facts of the same patient's other studies (same patient ID
 * and issuer), all from the DICOM JSON the index keeps per instance, so no
 * image file is opened.
 */
import { studyFactsFromInstances } from '../../shared/hanging-protocols/facts-from-dicom-json.js';
import type { StudyFacts } from '../../shared/hanging-protocols/study-facts.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import type { ArchiveReader } from '../store/archive-reader.js';

export interface IndexedStudies {
  current: StudyFacts;
  priorCandidates: StudyFacts[];
}

export function studiesForProtocols(archive: ArchiveReader, studyUid: string): IndexedStudies {
  const summary = archive.studySummaries([studyUid])[0];
  if (!summary) throw new Error(`study ${studyUid} is not in the archive`);
  const others = archive.studyUidsOfPatient(summary.patientId, summary.issuer).filter((uid) => uid !== studyUid);
  return { current: studyFacts(archive, studyUid), priorCandidates: others.map((uid) => studyFacts(archive, uid)) };
}

export function studyFacts(archive: ArchiveReader, studyUid: string): StudyFacts {
  const instances: DicomJsonDataset[] = [];
  for (const row of archive.listInstances({ studyUid })) {
    const json = archive.getInstanceJson(row.sopInstanceUid);
    if (json) instances.push(json);
  }
  if (instances.length === 0) throw new Error(`study ${studyUid} has no instances in the index`);
  return studyFactsFromInstances(instances);
}
