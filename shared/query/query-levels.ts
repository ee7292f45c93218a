/**
 * What a query can see at each level (PS3.4 C.6.1 / C.6.2, PS3.18 10.6.1.2):
 * the attributes a patient, study or series record carries, and the keys the
 * node derives from what it holds. An instance record is the whole stored
 * header, so any attribute matches at IMAGE level.
 */
import type { DicomJsonDataset } from '../dicom/json.js';

export type QueryLevel = 'PATIENT' | 'STUDY' | 'SERIES' | 'IMAGE';
export type QueryModel = 'patient' | 'study';

export const QUERY_LEVELS: readonly QueryLevel[] = ['PATIENT', 'STUDY', 'SERIES', 'IMAGE'];

/** The unique key of each level. */
export const UNIQUE_KEY: Record<QueryLevel, string> = {
  PATIENT: '00100020',
  STUDY: '0020000D',
  SERIES: '0020000E',
  IMAGE: '00080018',
};

const PATIENT_TAGS: ReadonlySet<string> = new Set([
  '00100010', // PatientName
  '00100020', // PatientID
  '00100021', // IssuerOfPatientID
  '00100030', // PatientBirthDate
  '00100032', // PatientBirthTime
  '00100040', // PatientSex
  '00101000', // OtherPatientIDs
  '00101001', // OtherPatientNames
  '00101002', // OtherPatientIDsSequence
  '00102160', // EthnicGroup
  '00104000', // PatientComments
]);

const STUDY_TAGS: ReadonlySet<string> = new Set([
  '00080020', // StudyDate
  '00080030', // StudyTime
  '00080050', // AccessionNumber
  '00080051', // IssuerOfAccessionNumberSequence
  '00080090', // ReferringPhysicianName
  '00080201', // TimezoneOffsetFromUTC
  '00081030', // StudyDescription
  '00081032', // ProcedureCodeSequence
  '00081060', // NameOfPhysiciansReadingStudy
  '00081080', // AdmittingDiagnosesDescription
  '00101010', // PatientAge
  '00101020', // PatientSize
  '00101030', // PatientWeight
  '00102180', // Occupation
  '001021B0', // AdditionalPatientHistory
  '0020000D', // StudyInstanceUID
  '00200010', // StudyID
]);

const SERIES_TAGS: ReadonlySet<string> = new Set([
  '00080021', // SeriesDate
  '00080031', // SeriesTime
  '00080060', // Modality
  '00080070', // Manufacturer
  '00080080', // InstitutionName
  '00081010', // StationName
  '0008103E', // SeriesDescription
  '00081050', // PerformingPhysicianName
  '00081070', // OperatorsName
  '00081090', // ManufacturerModelName
  '00180015', // BodyPartExamined
  '00181030', // ProtocolName
  '00185100', // PatientPosition
  '0020000E', // SeriesInstanceUID
  '00200011', // SeriesNumber
  '00200052', // FrameOfReferenceUID
  '00200060', // Laterality
  '00400244', // PerformedProcedureStepStartDate
  '00400245', // PerformedProcedureStepStartTime
  '00400275', // RequestAttributesSequence
]);

/** Keys the node computes from what it holds, by the level that answers them. */
export const DERIVED = {
  numberOfPatientRelatedStudies: '00201200',
  numberOfPatientRelatedSeries: '00201202',
  numberOfPatientRelatedInstances: '00201204',
  modalitiesInStudy: '00080061',
  sopClassesInStudy: '00080062',
  numberOfStudyRelatedSeries: '00201206',
  numberOfStudyRelatedInstances: '00201208',
  numberOfSeriesRelatedInstances: '00201209',
} as const;

/** The part of an instance's header that describes its patient, study or series. */
export function levelRecord(instance: DicomJsonDataset, level: 'PATIENT' | 'STUDY' | 'SERIES'): DicomJsonDataset {
  const record: DicomJsonDataset = {};
  for (const [tag, element] of Object.entries(instance)) {
    const wanted = PATIENT_TAGS.has(tag) || (level !== 'PATIENT' && STUDY_TAGS.has(tag)) || (level === 'SERIES' && SERIES_TAGS.has(tag));
    if (wanted || tag === '00080005') record[tag] = element;
  }
  return record;
}
