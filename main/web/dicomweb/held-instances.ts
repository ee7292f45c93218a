/**
 * The instances a DICOMweb path names (/studies/{s}[/series/{se}[/instances/{i}]]),
 * through the archive's read door; a UID that is not held, or not where the path puts it, is
 * a 404 that names it.
 */
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import type { ArchiveReader, HeldInstance } from '../../store/archive-reader.js';
import { DicomWebError } from './dicomweb-error.js';

export interface InstancePath {
  studyUid: string;
  seriesUid?: string;
  sopInstanceUid?: string;
}

/** The instances of a study, a series or one instance, in series and instance number order. */
export function heldInstances(archive: ArchiveReader, path: InstancePath): HeldInstance[] {
  if (path.sopInstanceUid !== undefined) return [heldInstance(archive, path.studyUid, path.seriesUid, path.sopInstanceUid)];
  const rows = archive.listInstances({ studyUid: path.studyUid, ...(path.seriesUid !== undefined ? { seriesUid: path.seriesUid } : {}) });
  if (rows.length === 0) {
    throw new DicomWebError(404, path.seriesUid !== undefined ? `series ${path.seriesUid} of study ${path.studyUid} is not in the archive` : `study ${path.studyUid} is not in the archive`);
  }
  return rows;
}

export function heldInstance(archive: ArchiveReader, studyUid: string, seriesUid: string | undefined, sopInstanceUid: string): HeldInstance {
  const row = archive.getInstance(sopInstanceUid);
  if (!row) throw new DicomWebError(404, `instance ${sopInstanceUid} is not in the archive`);
  if (row.studyUid !== studyUid || (seriesUid !== undefined && row.seriesUid !== seriesUid)) {
    const where = seriesUid !== undefined ? `series ${seriesUid} of study ${studyUid}` : `study ${studyUid}`;
    throw new DicomWebError(404, `instance ${sopInstanceUid} is not in ${where} (it is in series ${row.seriesUid} of study ${row.studyUid})`);
  }
  return row;
}

/** The index's DICOM JSON of a held instance (its row exists, so its JSON does; a race with deletion is a 404). */
export function instanceJson(archive: ArchiveReader, row: HeldInstance): DicomJsonDataset {
  const json = archive.getInstanceJson(row.sopInstanceUid);
  if (!json) throw new DicomWebError(404, `instance ${row.sopInstanceUid} is no longer in the archive`);
  return json;
}
