/**
 * What the index keeps at each level, read from an instance's DICOM JSON.
 * Pure: the same dataset always gives the same rows.
 */
import type { DicomJsonDataset, PersonNameJson } from '../../shared/dicom/json.js';

export interface PatientAttributes {
  patientId: string;
  issuer: string;
  name: PersonNameJson | undefined;
  birthDate: string | undefined;
  sex: string | undefined;
}

export interface StudyAttributes {
  studyUid: string;
  studyDate: string | undefined;
  studyTime: string | undefined;
  accession: string | undefined;
  studyId: string | undefined;
  description: string | undefined;
  referringPhysician: PersonNameJson | undefined;
}

export interface SeriesAttributes {
  seriesUid: string;
  modality: string | undefined;
  seriesNumber: number | undefined;
  description: string | undefined;
  bodyPart: string | undefined;
  frameOfReferenceUid: string | undefined;
  seriesDate: string | undefined;
  seriesTime: string | undefined;
}

export interface InstanceAttributes {
  sopInstanceUid: string;
  sopClassUid: string;
  instanceNumber: number | undefined;
  numberOfFrames: number | undefined;
}

export interface IndexAttributes {
  patient: PatientAttributes;
  study: StudyAttributes;
  series: SeriesAttributes;
  instance: InstanceAttributes;
}

/** A required UID is missing: the instance cannot be placed in the hierarchy. */
export class MissingAttributeError extends Error {
  constructor(readonly tag: string, readonly keyword: string) {
    super(`missing ${keyword} (${tag.slice(0, 4)},${tag.slice(4)})`);
    this.name = 'MissingAttributeError';
  }
}

export function indexAttributes(json: DicomJsonDataset): IndexAttributes {
  return {
    patient: {
      patientId: text(json, '00100020') ?? '',
      issuer: text(json, '00100021') ?? '',
      name: personName(json, '00100010'),
      birthDate: text(json, '00100030'),
      sex: text(json, '00100040'),
    },
    study: {
      studyUid: required(json, '0020000D', 'StudyInstanceUID'),
      studyDate: text(json, '00080020'),
      studyTime: text(json, '00080030'),
      accession: text(json, '00080050'),
      studyId: text(json, '00200010'),
      description: text(json, '00081030'),
      referringPhysician: personName(json, '00080090'),
    },
    series: {
      seriesUid: required(json, '0020000E', 'SeriesInstanceUID'),
      modality: text(json, '00080060'),
      seriesNumber: number(json, '00200011'),
      description: text(json, '0008103E'),
      bodyPart: text(json, '00180015'),
      frameOfReferenceUid: text(json, '00200052'),
      seriesDate: text(json, '00080021'),
      seriesTime: text(json, '00080031'),
    },
    instance: {
      sopInstanceUid: required(json, '00080018', 'SOPInstanceUID'),
      sopClassUid: required(json, '00080016', 'SOPClassUID'),
      instanceNumber: number(json, '00200013'),
      numberOfFrames: number(json, '00280008'),
    },
  };
}

function first(json: DicomJsonDataset, tag: string): unknown {
  return json[tag]?.Value?.[0];
}

function text(json: DicomJsonDataset, tag: string): string | undefined {
  const value = first(json, tag);
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function number(json: DicomJsonDataset, tag: string): number | undefined {
  const value = first(json, tag);
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function personName(json: DicomJsonDataset, tag: string): PersonNameJson | undefined {
  const value = first(json, tag);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as PersonNameJson) : undefined;
}

function required(json: DicomJsonDataset, tag: string, keyword: string): string {
  const value = text(json, tag);
  if (!value) throw new MissingAttributeError(tag, keyword);
  return value;
}
