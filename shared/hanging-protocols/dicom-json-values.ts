/** Reading values out of DICOM JSON (PS3.18 F.2) datasets, tolerant of how writers encode DS/IS (numbers or strings). */
import type { DicomJsonDataset } from '../dicom/json.js';

export function stringsOf(ds: DicomJsonDataset | undefined, tag: string): string[] {
  const values = ds?.[tag]?.Value ?? [];
  return values.flatMap((v) => (typeof v === 'string' ? [v.trim()] : typeof v === 'number' ? [String(v)] : [])).filter((v) => v !== '');
}

export function stringOf(ds: DicomJsonDataset | undefined, tag: string): string | null {
  return stringsOf(ds, tag)[0] ?? null;
}

export function numbersOf(ds: DicomJsonDataset | undefined, tag: string): number[] | null {
  const values = ds?.[tag]?.Value;
  if (!values || values.length === 0) return null;
  const numbers = values.map((v) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN));
  return numbers.every(Number.isFinite) ? numbers : null;
}

export function numberOf(ds: DicomJsonDataset | undefined, tag: string): number | null {
  return numbersOf(ds, tag)?.[0] ?? null;
}

/** The items of a sequence (SQ) element. */
export function itemsOf(ds: DicomJsonDataset | undefined, tag: string): DicomJsonDataset[] {
  const values = ds?.[tag]?.Value ?? [];
  return values.filter((v): v is DicomJsonDataset => typeof v === 'object' && v !== null && !('Alphabetic' in v || 'Ideographic' in v || 'Phonetic' in v));
}

export const TAGS = {
  sopClassUid: '00080016',
  sopInstanceUid: '00080018',
  studyDate: '00080020',
  studyTime: '00080030',
  accessionNumber: '00080050',
  modality: '00080060',
  modalitiesInStudy: '00080061',
  institutionName: '00080080',
  imageType: '00080008',
  studyDescription: '00081030',
  seriesDescription: '0008103E',
  referencedSeriesSequence: '00081115',
  patientId: '00100020',
  patientBirthDate: '00100030',
  patientSex: '00100040',
  patientAge: '00101010',
  contrastBolusAgent: '00180010',
  bodyPartExamined: '00180015',
  scanningSequence: '00180020',
  sequenceVariant: '00180021',
  sequenceName: '00180024',
  sliceThickness: '00180050',
  repetitionTime: '00180080',
  echoTime: '00180081',
  inversionTime: '00180082',
  protocolName: '00181030',
  convolutionKernel: '00181210',
  viewPosition: '00185101',
  studyUid: '0020000D',
  seriesUid: '0020000E',
  seriesNumber: '00200011',
  instanceNumber: '00200013',
  imagePosition: '00200032',
  imageOrientation: '00200037',
  laterality: '00200060',
  imageLaterality: '00200062',
  planePositionSequence: '00209113',
  planeOrientationSequence: '00209116',
  rows: '00280010',
  numberOfFrames: '00280008',
  referencedFrameOfReferenceSequence: '30060010',
  rtReferencedStudySequence: '30060012',
  rtReferencedSeriesSequence: '30060014',
  currentRequestedProcedureEvidenceSequence: '0040A375',
  sharedFunctionalGroupsSequence: '52009229',
  perFrameFunctionalGroupsSequence: '52009230',
} as const;
