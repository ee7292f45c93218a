/**
 * What the reading room writes about held studies, beside the images: each
 * study's reading status and the readers' measurements. Kept in the index;
 * reached only through this door, like the images through the read door.
 */
import type { ReadStatus, StoredMeasurement } from '../../shared/api/app-api.js';
import type { ArchiveIndex } from '../index/archive-index.js';

export interface ReadingNotes {
  /** Set a study's reading status; false when the study is not held. */
  setReadStatus(studyUid: string, status: ReadStatus): boolean;
  measurements: {
    list(studyUid: string): StoredMeasurement[];
    /** Stores (or replaces) one annotation; returns when it was stored. */
    put(studyUid: string, annotationUid: string, annotation: Record<string, unknown>): string;
    /** False when there was no such annotation. */
    remove(studyUid: string, annotationUid: string): boolean;
  };
}

export function readingNotes(index: ArchiveIndex): ReadingNotes {
  return { setReadStatus: (studyUid, status) => index.setReadStatus(studyUid, status), measurements: index.measurements };
}
