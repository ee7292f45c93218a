/** Reading values out of DICOM JSON (PS3.18 F.2) instances, as WADO-RS metadata gives them. */
import type { DicomJsonDataset, PersonNameJson } from '../../shared/dicom/json.js';

export function stringOf(ds: DicomJsonDataset, tag: string): string | undefined {
  const value = ds[tag]?.Value?.[0];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export function numberOf(ds: DicomJsonDataset, tag: string): number | undefined {
  return numbersOf(ds, tag)?.[0];
}

/** Numbers of a multi-valued element (DS and IS come as numbers or strings, depending on the writer). */
export function numbersOf(ds: DicomJsonDataset, tag: string): number[] | undefined {
  const values = ds[tag]?.Value;
  if (!values || values.length === 0) return undefined;
  const numbers = values.map((v) => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN));
  return numbers.every(Number.isFinite) ? numbers : undefined;
}

export function personNameOf(ds: DicomJsonDataset, tag: string): PersonNameJson | undefined {
  const value = ds[tag]?.Value?.[0];
  return value && typeof value === 'object' && !Array.isArray(value) && ('Alphabetic' in value || 'Ideographic' in value || 'Phonetic' in value) ? (value as PersonNameJson) : undefined;
}

export const TAG = {
  patientName: '00100010',
  patientId: '00100020',
  patientBirthDate: '00100030',
  patientSex: '00100040',
  patientAge: '00101010',
  studyUid: '0020000D',
  studyDate: '00080020',
  studyTime: '00080030',
  studyDescription: '00081030',
  seriesUid: '0020000E',
  seriesNumber: '00200011',
  seriesDescription: '0008103E',
  modality: '00080060',
  sopInstanceUid: '00080018',
  sopClassUid: '00080016',
  instanceNumber: '00200013',
  numberOfFrames: '00280008',
  imagePosition: '00200032',
  imageOrientation: '00200037',
  sliceLocation: '00201041',
  sliceThickness: '00180050',
  pixelSpacing: '00280030',
  imagerPixelSpacing: '00181164',
  rows: '00280010',
  columns: '00280011',
  windowCenter: '00281050',
  windowWidth: '00281051',
  frameOfReferenceUid: '00200052',
} as const;
