/**
 * Measurements are kept per study across reopening, in this browser's (or
 * the app's) local storage: saved whenever one is completed, changed or
 * removed, and put back when the study is opened again. Image ids name the
 * node's origin, whose port changes between starts, so they are stored
 * without it.
 */
import { eventTarget } from '@cornerstonejs/core';
import { annotation, Enums as ToolEnums, type Types as ToolTypes } from '@cornerstonejs/tools';

const STORAGE_VERSION = 1;
const SAVE_DELAY_MS = 300;

interface StoredMeasurements {
  version: typeof STORAGE_VERSION;
  annotations: ToolTypes.Annotation[];
}

const storageKey = (studyUid: string) => `viewbox.measurements.${studyUid}`;

const WADORS = 'wadors:';

function withoutOrigin(imageId: string): string {
  return imageId.startsWith(WADORS) ? WADORS + new URL(imageId.slice(WADORS.length)).pathname : imageId;
}

function withOrigin(imageId: string): string {
  return imageId.startsWith(`${WADORS}/`) ? WADORS + window.location.origin + imageId.slice(WADORS.length) : imageId;
}

/** What of an annotation can be stored: its geometry and identity; statistics are recomputed when shown. */
function storable(a: ToolTypes.Annotation): ToolTypes.Annotation | undefined {
  if (!a.metadata?.referencedImageId) return undefined;
  const { enabledElement: _live, ...metadata } = a.metadata;
  return {
    annotationUID: a.annotationUID,
    isLocked: a.isLocked,
    isVisible: a.isVisible,
    metadata: { ...metadata, referencedImageId: withoutOrigin(metadata.referencedImageId!) },
    data: { ...a.data, cachedStats: {} },
  };
}

function studyAnnotations(imageIds: ReadonlySet<string>): ToolTypes.Annotation[] {
  return annotation.state.getAllAnnotations().filter((a) => !!a.metadata?.referencedImageId && imageIds.has(a.metadata.referencedImageId));
}

function save(studyUid: string, imageIds: ReadonlySet<string>): void {
  const annotations = studyAnnotations(imageIds)
    .map(storable)
    .filter((a): a is ToolTypes.Annotation => !!a);
  try {
    if (annotations.length === 0) localStorage.removeItem(storageKey(studyUid));
    else localStorage.setItem(storageKey(studyUid), JSON.stringify({ version: STORAGE_VERSION, annotations } satisfies StoredMeasurements));
  } catch (error) {
    console.error(`measurements of study ${studyUid} could not be saved`, error);
  }
}

function restore(studyUid: string): void {
  const text = localStorage.getItem(storageKey(studyUid));
  if (!text) return;
  let stored: StoredMeasurements;
  try {
    stored = JSON.parse(text) as StoredMeasurements;
  } catch {
    console.error(`measurements of study ${studyUid} in local storage are not JSON; ignored`);
    return;
  }
  if (stored.version !== STORAGE_VERSION) return;
  for (const a of stored.annotations) {
    const metadata = a.metadata!;
    const frameOfReference = metadata.FrameOfReferenceUID;
    if (!frameOfReference || (a.annotationUID && annotation.state.getAnnotation(a.annotationUID))) continue;
    annotation.state.addAnnotation({ ...a, invalidated: true, metadata: { ...metadata, referencedImageId: withOrigin(metadata.referencedImageId!) } }, frameOfReference);
  }
}

/**
 * Puts the study's stored measurements back and keeps saving them while it
 * is open; the returned function saves a last time and takes them out of
 * Cornerstone's memory (so reopening does not show them twice).
 */
export function keepMeasurements(studyUid: string, imageIds: ReadonlySet<string>): () => void {
  restore(studyUid);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => save(studyUid, imageIds), SAVE_DELAY_MS);
  };
  const events = [ToolEnums.Events.ANNOTATION_COMPLETED, ToolEnums.Events.ANNOTATION_MODIFIED, ToolEnums.Events.ANNOTATION_REMOVED];
  for (const name of events) eventTarget.addEventListener(name, changed);
  return () => {
    for (const name of events) eventTarget.removeEventListener(name, changed);
    clearTimeout(timer);
    save(studyUid, imageIds);
    for (const a of studyAnnotations(imageIds)) if (a.annotationUID) annotation.state.removeAnnotation(a.annotationUID);
  };
}
