/**
 * The engine's input: plain facts about a study and its display sets, and
 * what each rule attribute reads from them. facts-from-dicom-json.ts builds
 * these from DICOM JSON; tests write them by hand.
 */
import type { DisplaySetAttribute, PlaneOrientation, StudyAttribute } from './types.js';

export type Orientation = PlaneOrientation | 'oblique';

/** image: has pixels to hang; derived: refers to image series (SEG, SR, PR, KO, RTSTRUCT); other: neither. */
export type DisplaySetKind = 'image' | 'derived' | 'other';

/** One hangable unit: a series, or one view (laterality + view position) of a projection series. */
export interface DisplaySetFacts {
  /** The series UID, or "<series UID>#<laterality>-<view>" for one view of a split series. */
  id: string;
  seriesUid: string;
  /** Set for a split series: the instances of this view, in instance-number order. */
  instanceUids?: string[];
  kind: DisplaySetKind;
  modality: string;
  seriesDescription: string | null;
  seriesNumber: number | null;
  /** Frames of all its instances. */
  numberOfImages: number;
  orientation: Orientation | null;
  sliceThickness: number | null;
  isReconstructable: boolean;
  imageType: string[];
  scanningSequence: string[];
  sequenceVariant: string[];
  sequenceName: string | null;
  protocolName: string | null;
  echoTime: number | null;
  repetitionTime: number | null;
  inversionTime: number | null;
  convolutionKernel: string[];
  /** A contrast/bolus agent is recorded. */
  contrast: boolean;
  /** ImageLaterality, else Laterality: R, L, B or U. */
  laterality: string | null;
  viewPosition: string | null;
  bodyPart: string | null;
  sopClassUid: string | null;
  /** Series this derived object refers to (empty for images). */
  referencedSeriesUids: string[];
}

export interface StudyFacts {
  studyUid: string;
  patientId: string | null;
  /** DICOM DA, YYYYMMDD. */
  studyDate: string | null;
  /** DICOM TM, HHMMSS(.ffffff). */
  studyTime: string | null;
  studyDescription: string | null;
  /** Modalities of its series (ModalitiesInStudy for a study known only from a query). */
  modalities: string[];
  /** Distinct BodyPartExamined of its series, upper case. */
  bodyParts: string[];
  patientSex: string | null;
  /** Years at the time of the study. */
  patientAge: number | null;
  institutionName: string | null;
  accessionNumber: string | null;
  /** Empty when only the study-level record is known (a remote query answer). */
  displaySets: DisplaySetFacts[];
}

export type AttributeValue = string | number | boolean | string[] | null;

export type AttributeKind = 'text' | 'list' | 'number' | 'boolean';

export const STUDY_ATTRIBUTE_KINDS: Record<StudyAttribute, AttributeKind> = {
  modalities: 'list',
  studyDescription: 'text',
  bodyParts: 'list',
  seriesDescriptions: 'list',
  patientSex: 'text',
  patientAge: 'number',
  numberOfSeries: 'number',
  institutionName: 'text',
  availablePriors: 'number',
};

export const DISPLAY_SET_ATTRIBUTE_KINDS: Record<DisplaySetAttribute, AttributeKind> = {
  modality: 'text',
  seriesDescription: 'text',
  seriesNumber: 'number',
  numberOfImages: 'number',
  orientation: 'text',
  sliceThickness: 'number',
  isReconstructable: 'boolean',
  imageType: 'list',
  scanningSequence: 'list',
  sequenceVariant: 'list',
  sequenceName: 'text',
  protocolName: 'text',
  echoTime: 'number',
  repetitionTime: 'number',
  inversionTime: 'number',
  convolutionKernel: 'list',
  contrast: 'boolean',
  laterality: 'text',
  viewPosition: 'text',
  bodyPart: 'text',
  sopClassUid: 'text',
};

/** What a study rule sees. `availablePriors` is the number of priors the protocol's own prior rules found. */
export function studyAttributeValue(study: StudyFacts, attribute: StudyAttribute, availablePriors: number): AttributeValue {
  switch (attribute) {
    case 'modalities':
      return study.modalities;
    case 'studyDescription':
      return study.studyDescription;
    case 'bodyParts':
      return study.bodyParts;
    case 'seriesDescriptions':
      return study.displaySets.flatMap((d) => (d.seriesDescription ? [d.seriesDescription] : []));
    case 'patientSex':
      return study.patientSex;
    case 'patientAge':
      return study.patientAge;
    case 'numberOfSeries':
      return new Set(study.displaySets.map((d) => d.seriesUid)).size;
    case 'institutionName':
      return study.institutionName;
    case 'availablePriors':
      return availablePriors;
  }
}

export function displaySetAttributeValue(set: DisplaySetFacts, attribute: DisplaySetAttribute): AttributeValue {
  return set[attribute];
}

/** Modalities that are not images of the patient (they never decide "same modality"). */
export const NON_IMAGE_MODALITIES: ReadonlySet<string> = new Set(['SR', 'KO', 'PR', 'SEG', 'RTSTRUCT', 'RTPLAN', 'RTRECORD', 'REG', 'DOC', 'AU', 'ECG', 'OT']);

export function imageModalities(study: StudyFacts): string[] {
  return study.modalities.filter((m) => !NON_IMAGE_MODALITIES.has(m));
}
