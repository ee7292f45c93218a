/**
 * Measurements are kept per study by the node (/api/studies/{uid}/measurements),
 * one annotation per request, so that two windows on one study do not
 * overwrite each other's: saved when one is completed or changed (a drag
 * saves once, after it settles), deleted when removed, and put back when the
 * study is opened again, in any window or browser. Image ids name the node's
 * origin, whose port changes between starts, so they are stored without it.
 */
import { eventTarget } from '@cornerstonejs/core';
import { useEffect, useRef } from 'react';
import { annotation, Enums as ToolEnums, type Types as ToolTypes } from '@cornerstonejs/tools';
import { apiPaths, type StoredMeasurement } from '../../shared/api/app-api.js';
import { errorMessage } from '../../shared/error-message.js';
import { deleteResource, getJson, putJson } from '../app/lib/api-client.js';
import { renderingEngine } from '../imaging/cornerstone-setup.js';
import type { ViewerSeries } from '../imaging/study-series.js';

/** Bumped when the stored shape changes; older entries are then left alone. */
const FORMAT_VERSION = 1;
const SAVE_DELAY_MS = 300;

const WADORS = 'wadors:';

function withoutOrigin(imageId: string): string {
  return imageId.startsWith(WADORS) ? WADORS + new URL(imageId.slice(WADORS.length)).pathname : imageId;
}

function withOrigin(imageId: string): string {
  return imageId.startsWith(`${WADORS}/`) ? WADORS + window.location.origin + imageId.slice(WADORS.length) : imageId;
}

/** What of an annotation is stored: its geometry and identity; statistics are recomputed when shown. */
function storable(a: ToolTypes.Annotation): Record<string, unknown> | undefined {
  if (!a.metadata?.referencedImageId || !a.annotationUID) return undefined;
  const { enabledElement: _live, ...metadata } = a.metadata;
  return {
    formatVersion: FORMAT_VERSION,
    annotationUID: a.annotationUID,
    isLocked: a.isLocked,
    isVisible: a.isVisible,
    metadata: { ...metadata, referencedImageId: withoutOrigin(metadata.referencedImageId!) },
    data: { ...a.data, cachedStats: {} },
  };
}

function restore(stored: StoredMeasurement[]): void {
  for (const { annotation: a } of stored) {
    const { formatVersion, ...rest } = a as { formatVersion?: number } & ToolTypes.Annotation;
    if (formatVersion !== FORMAT_VERSION) continue;
    const metadata = rest.metadata;
    const frameOfReference = metadata?.FrameOfReferenceUID;
    if (!frameOfReference || !metadata.referencedImageId || (rest.annotationUID && annotation.state.getAnnotation(rest.annotationUID))) continue;
    annotation.state.addAnnotation({ ...rest, invalidated: true, metadata: { ...metadata, referencedImageId: withOrigin(metadata.referencedImageId) } }, frameOfReference);
  }
  // They arrive after the first images were drawn: draw again to show them.
  renderingEngine().render();
}

/** Saves still on their way per study: reopening a study waits for them, or it would load the state before them. */
const inFlight = new Map<string, Promise<unknown>>();

type Change = { kind: 'save'; annotation: ToolTypes.Annotation } | { kind: 'delete' };

/**
 * Puts the study's stored measurements back and keeps the node up to date
 * while the study is open; the returned function sends what is pending and
 * takes the study's measurements out of Cornerstone's memory (so reopening
 * does not show them twice). A failed request is reported and retried with
 * the next change of that measurement, or when the study is closed.
 */
export function keepMeasurements(studyUid: string, imageIds: ReadonlySet<string>, onError: (message: string) => void): () => void {
  const ours = (a: ToolTypes.Annotation | undefined): a is ToolTypes.Annotation =>
    !!a?.annotationUID && !!a.metadata?.referencedImageId && imageIds.has(a.metadata.referencedImageId);
  const pending = new Map<string, Change>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const send = async (uid: string, change: Change): Promise<void> => {
    try {
      if (change.kind === 'delete') await deleteResource(apiPaths.measurement(studyUid, uid));
      else {
        const body = storable(change.annotation);
        if (body) await putJson(apiPaths.measurement(studyUid, uid), body);
      }
    } catch (error) {
      // A delete of what the node never stored is done.
      if (change.kind === 'delete' && (error as { status?: number }).status === 404) return;
      if (!pending.has(uid)) pending.set(uid, change);
      onError(`The measurement could not be saved on the node: ${errorMessage(error)}`);
    }
  };
  const flush = () => {
    const changes = [...pending];
    pending.clear();
    const sent = Promise.all([inFlight.get(studyUid), ...changes.map(([uid, change]) => send(uid, change))]);
    inFlight.set(studyUid, sent);
    void sent.then(() => inFlight.get(studyUid) === sent && inFlight.delete(studyUid));
  };
  const schedule = (uid: string, change: Change) => {
    pending.set(uid, change);
    clearTimeout(timer);
    timer = setTimeout(flush, SAVE_DELAY_MS);
  };
  const changed = (event: Event) => {
    const a = (event as CustomEvent<{ annotation?: ToolTypes.Annotation }>).detail.annotation;
    if (ours(a)) schedule(a.annotationUID!, { kind: 'save', annotation: a });
  };
  const removed = (event: Event) => {
    const a = (event as CustomEvent<{ annotation?: ToolTypes.Annotation }>).detail.annotation;
    if (!closed && ours(a)) schedule(a.annotationUID!, { kind: 'delete' });
  };

  Promise.resolve(inFlight.get(studyUid))
    .then(() => getJson<StoredMeasurement[]>(apiPaths.measurements(studyUid)))
    .then(
    (stored) => {
      if (!closed) restore(stored);
    },
    (error: unknown) => onError(`The study's measurements could not be loaded: ${errorMessage(error)}`),
  );
  const saves = [ToolEnums.Events.ANNOTATION_COMPLETED, ToolEnums.Events.ANNOTATION_MODIFIED];
  for (const name of saves) eventTarget.addEventListener(name, changed);
  eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_REMOVED, removed);
  return () => {
    closed = true;
    for (const name of saves) eventTarget.removeEventListener(name, changed);
    eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_REMOVED, removed);
    clearTimeout(timer);
    flush();
    for (const a of annotation.state.getAllAnnotations().filter(ours)) annotation.state.removeAnnotation(a.annotationUID!);
  };
}

/**
 * Keeps the measurements of every study whose series are loaded (the one
 * opened and the priors loaded beside it), each under its own study.
 */
export function useStudyMeasurements(series: readonly ViewerSeries[] | undefined, onError: (message: string) => void): void {
  const keepers = useRef(new Map<string, () => void>());
  useEffect(() => {
    for (const studyUid of new Set((series ?? []).map((s) => s.studyUid))) {
      if (keepers.current.has(studyUid)) continue;
      const imageIds = new Set(series!.filter((s) => s.studyUid === studyUid).flatMap((s) => s.images.map((image) => image.imageId)));
      keepers.current.set(studyUid, keepMeasurements(studyUid, imageIds, onError));
    }
  }, [series, onError]);
  useEffect(() => {
    const active = keepers.current;
    return () => {
      for (const stop of active.values()) stop();
      active.clear();
    };
  }, []);
}
