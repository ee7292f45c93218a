/**
 * A study's series as the viewer shows them, from its WADO-RS metadata:
 * series in Series Number order, images in spatial order along the slice
 * normal (Instance Number when the geometry is missing), one image per frame
 * of a multi-frame instance.
 */
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { numberOf, numbersOf, stringOf, TAG } from './dicom-json.js';

export interface ViewerImage {
  /** The Cornerstone image id (wadors:<frame URL>). */
  imageId: string;
  sopInstanceUid: string;
  /** 1-based frame number in its instance. */
  frame: number;
  instance: DicomJsonDataset;
}

export interface ViewerSeries {
  /** The study it belongs to: the one opened, or a prior of the same patient. */
  studyUid: string;
  seriesUid: string;
  number: number | undefined;
  description: string;
  modality: string;
  images: ViewerImage[];
}

export type FrameUrl = (ids: { studyUid: string; seriesUid: string; sopInstanceUid: string; frame: number }) => string;

/** Position along the slice normal (row × column direction cosines), or undefined without geometry. */
function slicePosition(instance: DicomJsonDataset): number | undefined {
  const orientation = numbersOf(instance, TAG.imageOrientation);
  const position = numbersOf(instance, TAG.imagePosition);
  if (!orientation || orientation.length !== 6 || !position || position.length !== 3) return undefined;
  const [rx, ry, rz, cx, cy, cz] = orientation as [number, number, number, number, number, number];
  const normal = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx] as const;
  return normal[0] * position[0]! + normal[1] * position[1]! + normal[2] * position[2]!;
}

/**
 * Head first for axial stacks: the image with the largest position along the
 * normal (the most superior slice for axial planes) comes first, as scanners
 * and other viewers show it.
 */
function compareInstances(a: DicomJsonDataset, b: DicomJsonDataset): number {
  const pa = slicePosition(a);
  const pb = slicePosition(b);
  if (pa !== undefined && pb !== undefined && pa !== pb) return pb - pa;
  return (numberOf(a, TAG.instanceNumber) ?? 0) - (numberOf(b, TAG.instanceNumber) ?? 0);
}

export function seriesOfStudy(instances: readonly DicomJsonDataset[], frameUrl: FrameUrl): ViewerSeries[] {
  const bySeries = new Map<string, DicomJsonDataset[]>();
  for (const instance of instances) {
    const seriesUid = stringOf(instance, TAG.seriesUid);
    // Objects without pixel data (SR, KO, PR) have no images to show here.
    if (!seriesUid || !instance['7FE00010']) continue;
    let list = bySeries.get(seriesUid);
    if (!list) bySeries.set(seriesUid, (list = []));
    list.push(instance);
  }
  const series: ViewerSeries[] = [];
  for (const [seriesUid, members] of bySeries) {
    members.sort(compareInstances);
    const first = members[0]!;
    const images: ViewerImage[] = [];
    for (const instance of members) {
      const studyUid = stringOf(instance, TAG.studyUid) ?? '';
      const sopInstanceUid = stringOf(instance, TAG.sopInstanceUid) ?? '';
      const frames = Math.max(1, numberOf(instance, TAG.numberOfFrames) ?? 1);
      for (let frame = 1; frame <= frames; frame++) {
        images.push({ imageId: `wadors:${frameUrl({ studyUid, seriesUid, sopInstanceUid, frame })}`, sopInstanceUid, frame, instance });
      }
    }
    series.push({ studyUid: stringOf(first, TAG.studyUid) ?? '', seriesUid, number: numberOf(first, TAG.seriesNumber), description: stringOf(first, TAG.seriesDescription) ?? '', modality: stringOf(first, TAG.modality) ?? '', images });
  }
  return series.sort((a, b) => (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER) || a.description.localeCompare(b.description));
}
