/**
 * Where things live in a data folder. Instances are filed by the UTC day they
 * were received (so "files received since T" is a few directories to list),
 * then by study (a study's files sit together, and a new directory — with its
 * fsyncs — is made once per study, not per file); the name carries the SOP
 * Instance UID for people and a hash prefix so that two versions of one
 * instance never collide.
 */
import { join } from 'node:path';

export const INDEX_FILE = 'index.sqlite';
export const STAGING_DIR = 'staging';
export const STORE_DIR = 'store';
/** Present while a node has the archive open; left behind by a crash. */
export const RUNNING_MARKER = 'running.json';

/** store/YYYY/MM/DD/<StudyInstanceUID>/<SOPInstanceUID>.<sha256 prefix>.dcm, relative, forward slashes. */
export function instancePath(studyInstanceUid: string, sopInstanceUid: string, sha256: string, receivedAt: Date): string {
  const day = receivedAt.toISOString().slice(0, 10).split('-');
  return [STORE_DIR, ...day, safeName(studyInstanceUid), `${safeName(sopInstanceUid)}.${sha256.slice(0, 12)}.dcm`].join('/');
}

/** UIDs are digits and dots; anything else a sender put there must not reach the file system. */
function safeName(uid: string): string {
  const name = uid.replace(/[^0-9A-Za-z.]/g, '_').slice(0, 64);
  return /^\.*$/.test(name) ? '_' : name;
}

/** The day folders (relative) that can hold files received from `since` to `until`, oldest first. */
export function dayFoldersBetween(since: Date, until: Date): string[] {
  const folders: string[] = [];
  const day = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
  while (day.getTime() <= until.getTime()) {
    folders.push(join(STORE_DIR, ...day.toISOString().slice(0, 10).split('-')));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return folders;
}
