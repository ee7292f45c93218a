/**
 * Where things live in a data folder. Instances are filed by the UTC day they
 * were received (so "files received since T" is a few directories to list),
 * then by study (a study's files sit together, and a new directory — with its
 * fsyncs — is made once per study, not per file); the name carries the SOP
 * Instance UID for people and a hash prefix so that two versions of one
 * instance never collide.
 */
import { join, type PlatformPath } from 'node:path';

export const INDEX_FILE = 'index.sqlite';
export const STAGING_DIR = 'staging';
export const STORE_DIR = 'store';
/** Store files that could not be read back at recovery: kept for a person to look at, never deleted. */
export const QUARANTINE_DIR = 'quarantine';
/** Present while a node has the archive open; left behind by a crash. */
export const RUNNING_MARKER = 'running.json';
/** Locked (exclusively, by SQLite's POSIX lock) by the one process that owns the data folder. */
export const OWNER_LOCK = 'owner.lock';
/** Who holds the lock and how to reach it (pid, HTTP URL, API token); owner-only. */
export const OWNER_RECORD = 'owner.json';
/** The Electron shell's own state (window placement, Chromium's profile, the single-instance lock): one app instance per data folder. */
export const SHELL_DIR = 'shell';
/** The user's hanging protocols, unless `protocols.userDir` says otherwise. */
export const USER_PROTOCOLS_DIR = 'hanging-protocols';
/** The routing rules (docs/routing.md), unless `routing.rulesFile` says otherwise. */
export const ROUTING_FILE = 'routing.json';
/** The reader's window presets and key map (docs/reading-room.md). */
export const VIEWER_SETTINGS_FILE = 'viewer-settings.json';
/** The node's secret for de-identification (deterministic pseudonyms and UIDs); 32 random bytes, owner-only. */
export const NODE_SECRET = 'node-secret.key';

export function shellStateDir(dataDir: string): string {
  return join(dataDir, SHELL_DIR);
}

/** A configured folder (absolute, or relative to the data folder); `path` is the platform's, so either platform's folders can be computed. */
export function resolveInDataFolder(dataDir: string, dir: string, path: PlatformPath): string {
  return path.resolve(dataDir, dir);
}

/** store/YYYY/MM/DD/<StudyInstanceUID>/<SOPInstanceUID>.<sha256 prefix>.dcm, relative, forward slashes. */
export function instancePath(studyInstanceUid: string, sopInstanceUid: string, sha256: string, receivedAt: Date): string {
  return [STORE_DIR, ...dayFolderOf(receivedAt), safeName(studyInstanceUid), `${safeName(sopInstanceUid)}.${sha256.slice(0, 12)}.dcm`].join('/');
}

/** UIDs are digits and dots; anything else a sender put there must not reach the file system. */
function safeName(uid: string): string {
  const name = uid.replace(/[^0-9A-Za-z.]/g, '_').slice(0, 64);
  return /^\.*$/.test(name) ? '_' : name;
}

/** The day of `when` as the store names its folders: ["YYYY", "MM", "DD"] (UTC). */
export function dayFolderOf(when: Date): [string, string, string] {
  const [year = '', month = '', day = ''] = when.toISOString().slice(0, 10).split('-');
  return [year, month, day];
}
