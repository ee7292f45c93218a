/**
 * The geometry attributes of one instance, read from its DICOM JSON (as the
 * index keeps it and WADO-RS metadata returns it), for analyseSliceGeometry.
 */
import type { DicomJsonDataset } from '../dicom/json.js';
import type { SliceGeometryInput } from './slice-geometry.js';

const TAG = {
  sopInstanceUid: '00080018',
  sliceThickness: '00180050',
  instanceNumber: '00200013',
  imagePosition: '00200032',
  imageOrientation: '00200037',
  frameOfReferenceUid: '00200052',
  rows: '00280010',
  columns: '00280011',
  pixelSpacing: '00280030',
} as const;

/** Numbers of an element; DS and IS arrive as numbers or, from some writers, as strings. Undefined if any is not a number. */
function numbers(dataset: DicomJsonDataset, tag: string): number[] | undefined {
  const values = dataset[tag]?.Value;
  if (!values?.length) return undefined;
  const out = values.map((v) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN));
  return out.every(Number.isFinite) ? out : undefined;
}

function text(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
}

export function sliceInputFromDicomJson(dataset: DicomJsonDataset): SliceGeometryInput {
  return {
    instanceUid: text(dataset, TAG.sopInstanceUid) ?? '',
    instanceNumber: numbers(dataset, TAG.instanceNumber)?.[0],
    orientation: numbers(dataset, TAG.imageOrientation),
    position: numbers(dataset, TAG.imagePosition),
    pixelSpacing: numbers(dataset, TAG.pixelSpacing),
    rows: numbers(dataset, TAG.rows)?.[0],
    columns: numbers(dataset, TAG.columns)?.[0],
    frameOfReferenceUid: text(dataset, TAG.frameOfReferenceUid),
    sliceThickness: numbers(dataset, TAG.sliceThickness)?.[0],
  };
}
