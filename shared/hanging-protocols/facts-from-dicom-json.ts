/**
 * Study facts from DICOM JSON: the renderer passes WADO-RS metadata, the CLI
 * the index's JSON, a prior found on a remote node its C-FIND/QIDO record.
 * One series becomes one display set, except a projection series (MG, CR,
 * DX) holding several views, which becomes one display set per view
 * (laterality + view position), so "R CC" can be hung on its own.
 */
import type { DicomJsonDataset } from '../dicom/json.js';
import { ageInYears } from './dicom-dates.js';
import { itemsOf, numberOf, numbersOf, stringOf, stringsOf, TAGS } from './dicom-json-values.js';
import { isRegularVolume, orientationOf, type FrameGeometry } from './plane-geometry.js';
import type { DisplaySetFacts, DisplaySetKind, StudyFacts } from './study-facts.js';

/** Modalities of objects that annotate image series. */
const DERIVED_MODALITIES = new Set(['SEG', 'SR', 'PR', 'KO', 'RTSTRUCT']);
/** Projection modalities whose series may mix views. */
const SPLIT_BY_VIEW = new Set(['MG', 'CR', 'DX']);
/** Cross-sectional modalities: a series known only by its first instance is taken as a volume when it has an orientation and ≥ 3 images. */
const VOLUME_MODALITIES = new Set(['CT', 'MR', 'PT', 'NM']);

export interface StudyFactsOptions {
  /**
   * Instances per series UID, when `instances` holds only some of each series
   * (e.g. its first instance): counts, and reconstructability is then judged
   * from the first instance (orientation, modality, count) instead of every
   * slice's position.
   */
  instanceCounts?: Readonly<Record<string, number>>;
}

/** The facts of one study from the DICOM JSON of its instances (all, or some per series with instanceCounts). */
export function studyFactsFromInstances(instances: readonly DicomJsonDataset[], options: StudyFactsOptions = {}): StudyFacts {
  const first = instances[0];
  if (!first) throw new Error('study facts need at least one instance');
  const studyUid = stringOf(first, TAGS.studyUid);
  if (!studyUid) throw new Error('study facts: the first instance has no StudyInstanceUID (0020,000D)');
  const bySeries = new Map<string, DicomJsonDataset[]>();
  for (const instance of instances) {
    const other = stringOf(instance, TAGS.studyUid);
    if (other !== studyUid) throw new Error(`study facts: instance ${stringOf(instance, TAGS.sopInstanceUid) ?? '?'} belongs to study ${other ?? '(none)'}, not ${studyUid}`);
    const seriesUid = stringOf(instance, TAGS.seriesUid);
    if (!seriesUid) throw new Error(`study facts: instance ${stringOf(instance, TAGS.sopInstanceUid) ?? '?'} has no SeriesInstanceUID (0020,000E)`);
    const list = bySeries.get(seriesUid) ?? [];
    list.push(instance);
    bySeries.set(seriesUid, list);
  }
  const displaySets = [...bySeries].flatMap(([uid, list]) => displaySetsFromSeries(list, options.instanceCounts?.[uid])).sort(bySeriesNumber);
  const facts = studyFactsFromStudyRecord(first);
  const modalities = unique(displaySets.map((d) => d.modality).filter((m) => m !== ''));
  const bodyParts = unique(displaySets.flatMap((d) => (d.bodyPart ? [d.bodyPart] : [])));
  return { ...facts, modalities, bodyParts, displaySets };
}

/** The facts of a study known only from a study-level record (a query answer): no display sets. */
export function studyFactsFromStudyRecord(record: DicomJsonDataset): StudyFacts {
  const studyUid = stringOf(record, TAGS.studyUid);
  if (!studyUid) throw new Error('study facts: the record has no StudyInstanceUID (0020,000D)');
  const studyDate = stringOf(record, TAGS.studyDate);
  const listed = stringsOf(record, TAGS.modalitiesInStudy);
  const modality = stringOf(record, TAGS.modality);
  const bodyPart = stringOf(record, TAGS.bodyPartExamined);
  return {
    studyUid,
    patientId: stringOf(record, TAGS.patientId),
    studyDate,
    studyTime: stringOf(record, TAGS.studyTime),
    studyDescription: stringOf(record, TAGS.studyDescription),
    modalities: unique(listed.length > 0 ? listed : modality ? [modality] : []),
    bodyParts: bodyPart ? [bodyPart.toUpperCase()] : [],
    patientSex: stringOf(record, TAGS.patientSex),
    patientAge: ageInYears(stringOf(record, TAGS.patientAge), stringOf(record, TAGS.patientBirthDate), studyDate),
    institutionName: stringOf(record, TAGS.institutionName),
    accessionNumber: stringOf(record, TAGS.accessionNumber),
    displaySets: [],
  };
}

/**
 * The display sets of one series from the JSON of its instances (any order).
 * `instanceCount`, when larger than the instances given, says how many the
 * series really has.
 */
export function displaySetsFromSeries(instances: readonly DicomJsonDataset[], instanceCount?: number): DisplaySetFacts[] {
  const sorted = [...instances].sort(byInstanceNumber);
  const first = sorted[0];
  if (!first) return [];
  const seriesUid = stringOf(first, TAGS.seriesUid) ?? '';
  const sampled = instanceCount !== undefined && instanceCount > sorted.length;
  const modality = stringOf(first, TAGS.modality) ?? '';
  if (SPLIT_BY_VIEW.has(modality) && !sampled) {
    const views = new Map<string, DicomJsonDataset[]>();
    for (const instance of sorted) {
      const key = `${lateralityOf(instance) ?? 'U'}-${stringOf(instance, TAGS.viewPosition) ?? 'NONE'}`;
      views.set(key, [...(views.get(key) ?? []), instance]);
    }
    if (views.size > 1) {
      return [...views].map(([key, list]) => ({
        ...displaySetOf(list, list.length, seriesUid),
        id: `${seriesUid}#${key}`,
        instanceUids: list.map((i) => stringOf(i, TAGS.sopInstanceUid) ?? ''),
      }));
    }
  }
  return [displaySetOf(sorted, sampled ? instanceCount : sorted.length, seriesUid)];
}

function displaySetOf(instances: DicomJsonDataset[], instanceCount: number, seriesUid: string): DisplaySetFacts {
  const first = instances[0]!;
  const modality = stringOf(first, TAGS.modality) ?? '';
  const frames = (i: DicomJsonDataset) => Math.max(1, numberOf(i, TAGS.numberOfFrames) ?? 1);
  const givenFrames = instances.reduce((sum, i) => sum + frames(i), 0);
  const numberOfImages = givenFrames + Math.max(0, instanceCount - instances.length) * frames(first);
  const iop = orientationVector(first);
  const orientation = orientationOf(iop);
  const imageType = stringsOf(first, TAGS.imageType).map((v) => v.toUpperCase());
  const kind = kindOf(first, modality);
  const sampled = instanceCount > instances.length;
  const isReconstructable =
    kind === 'image' &&
    !imageType.includes('LOCALIZER') &&
    (sampled ? orientation !== null && numberOfImages >= 3 && VOLUME_MODALITIES.has(modality) : isRegularVolume(instances.flatMap(frameGeometries)));
  const bodyPart = stringOf(first, TAGS.bodyPartExamined);
  return {
    id: seriesUid,
    seriesUid,
    kind,
    modality,
    seriesDescription: stringOf(first, TAGS.seriesDescription),
    seriesNumber: numberOf(first, TAGS.seriesNumber),
    numberOfImages,
    orientation,
    sliceThickness: numberOf(first, TAGS.sliceThickness),
    isReconstructable,
    imageType,
    scanningSequence: stringsOf(first, TAGS.scanningSequence).map((v) => v.toUpperCase()),
    sequenceVariant: stringsOf(first, TAGS.sequenceVariant).map((v) => v.toUpperCase()),
    sequenceName: stringOf(first, TAGS.sequenceName),
    protocolName: stringOf(first, TAGS.protocolName),
    echoTime: numberOf(first, TAGS.echoTime),
    repetitionTime: numberOf(first, TAGS.repetitionTime),
    inversionTime: numberOf(first, TAGS.inversionTime),
    convolutionKernel: stringsOf(first, TAGS.convolutionKernel),
    contrast: stringOf(first, TAGS.contrastBolusAgent) !== null,
    laterality: lateralityOf(first),
    viewPosition: stringOf(first, TAGS.viewPosition)?.toUpperCase() ?? null,
    bodyPart: bodyPart ? bodyPart.toUpperCase() : null,
    sopClassUid: stringOf(first, TAGS.sopClassUid),
    referencedSeriesUids: kind === 'derived' ? referencedSeries(instances) : [],
  };
}

function kindOf(first: DicomJsonDataset, modality: string): DisplaySetKind {
  if (DERIVED_MODALITIES.has(modality)) return 'derived';
  return numberOf(first, TAGS.rows) !== null ? 'image' : 'other';
}

function lateralityOf(instance: DicomJsonDataset): string | null {
  return (stringOf(instance, TAGS.imageLaterality) ?? stringOf(instance, TAGS.laterality))?.toUpperCase() ?? null;
}

/** ImageOrientationPatient, or the enhanced multi-frame's shared (else first per-frame) plane orientation. */
function orientationVector(instance: DicomJsonDataset): number[] | null {
  const direct = numbersOf(instance, TAGS.imageOrientation);
  if (direct) return direct;
  const groups = [...itemsOf(instance, TAGS.sharedFunctionalGroupsSequence), ...itemsOf(instance, TAGS.perFrameFunctionalGroupsSequence).slice(0, 1)];
  for (const group of groups) {
    const plane = itemsOf(group, TAGS.planeOrientationSequence)[0];
    const iop = numbersOf(plane, TAGS.imageOrientation);
    if (iop) return iop;
  }
  return null;
}

/** Orientation and position of each frame: the instance's own, or each per-frame functional group's. */
function frameGeometries(instance: DicomJsonDataset): FrameGeometry[] {
  const position = numbersOf(instance, TAGS.imagePosition);
  const orientation = orientationVector(instance);
  if (position && orientation) return [{ orientation, position }];
  const perFrame = itemsOf(instance, TAGS.perFrameFunctionalGroupsSequence);
  return perFrame.flatMap((group) => {
    const framePosition = numbersOf(itemsOf(group, TAGS.planePositionSequence)[0], TAGS.imagePosition);
    const frameOrientation = numbersOf(itemsOf(group, TAGS.planeOrientationSequence)[0], TAGS.imageOrientation) ?? orientation;
    return framePosition && frameOrientation ? [{ orientation: frameOrientation, position: framePosition }] : [];
  });
}

/** Series an SEG, PR, SR, KO or RTSTRUCT refers to, wherever its IOD puts the reference. */
function referencedSeries(instances: DicomJsonDataset[]): string[] {
  const uids = instances.flatMap((instance) => [
    ...itemsOf(instance, TAGS.referencedSeriesSequence),
    ...itemsOf(instance, TAGS.currentRequestedProcedureEvidenceSequence).flatMap((study) => itemsOf(study, TAGS.referencedSeriesSequence)),
    ...itemsOf(instance, TAGS.referencedFrameOfReferenceSequence)
      .flatMap((frame) => itemsOf(frame, TAGS.rtReferencedStudySequence))
      .flatMap((study) => itemsOf(study, TAGS.rtReferencedSeriesSequence)),
  ].flatMap((item) => stringsOf(item, TAGS.seriesUid)));
  return unique(uids);
}

function byInstanceNumber(a: DicomJsonDataset, b: DicomJsonDataset): number {
  const na = numberOf(a, TAGS.instanceNumber) ?? Number.MAX_SAFE_INTEGER;
  const nb = numberOf(b, TAGS.instanceNumber) ?? Number.MAX_SAFE_INTEGER;
  if (na !== nb) return na - nb;
  const ua = stringOf(a, TAGS.sopInstanceUid) ?? '';
  const ub = stringOf(b, TAGS.sopInstanceUid) ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

export function bySeriesNumber(a: DisplaySetFacts, b: DisplaySetFacts): number {
  const na = a.seriesNumber ?? Number.MAX_SAFE_INTEGER;
  const nb = b.seriesNumber ?? Number.MAX_SAFE_INTEGER;
  if (na !== nb) return na - nb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
