/**
 * The DICOMweb resources (PS3.18) the node serves under /dicom-web, as URLs:
 * the node builds its Retrieve URLs from them and the reading room its
 * requests, so the two cannot drift apart. Each builder takes the service
 * root: DICOMWEB_ROOT on the node's own origin, or `<origin>/dicom-web`.
 */

export const DICOMWEB_ROOT = '/dicom-web';

export interface InstanceUids {
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
}

export function studyUrl(root: string, studyUid: string): string {
  return `${root}/studies/${encodeURIComponent(studyUid)}`;
}

export function seriesUrl(root: string, studyUid: string, seriesUid: string): string {
  return `${studyUrl(root, studyUid)}/series/${encodeURIComponent(seriesUid)}`;
}

export function instanceUrl(root: string, uids: InstanceUids): string {
  return `${seriesUrl(root, uids.studyUid, uids.seriesUid)}/instances/${encodeURIComponent(uids.sopInstanceUid)}`;
}

/** WADO-RS metadata of every instance of a study. */
export function studyMetadataUrl(root: string, studyUid: string): string {
  return `${studyUrl(root, studyUid)}/metadata`;
}

/** WADO-RS one frame (1-based) of an instance. */
export function frameUrl(root: string, uids: InstanceUids, frame: number): string {
  return `${instanceUrl(root, uids)}/frames/${frame}`;
}

/** A square thumbnail of a study, or of one of its series, `size` pixels wide. */
export function thumbnailUrl(root: string, size: number, studyUid: string, seriesUid?: string): string {
  return `${seriesUid === undefined ? studyUrl(root, studyUid) : seriesUrl(root, studyUid, seriesUid)}/thumbnail?viewport=${size},${size}`;
}
