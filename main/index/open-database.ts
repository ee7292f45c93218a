/**
 * Opens the index database with the settings the archive relies on and
 * brings its schema up to date.
 */
import Database from 'better-sqlite3';
import { migrations } from './migrations.js';

export type IndexDatabase = Database.Database;

/** The schema version the file had before this open brought it up to date (0: new). */
export interface OpenedIndex {
  db: IndexDatabase;
  previousVersion: number;
}

/**
 * `exclusive`: EXCLUSIVE locking before the first access, so SQLite keeps the
 * WAL index in memory and needs no -shm file (which a full disk cannot give);
 * no other process can open the file meanwhile.
 */
export function openIndexDatabase(file: string, options: { exclusive?: boolean | undefined } = {}): OpenedIndex {
  const db = new Database(file);
  try {
    if (options.exclusive) db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a process crash (kill -9); after an
    // OS crash the last commits may be lost, which the store's recovery scan
    // repairs from the fsync'd files (docs/storage.md).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const previousVersion = migrate(db, file);
    return { db, previousVersion };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The index opened read-only, for commands that only read while a node may
 * own the folder: no pragma that writes, no migration. An index of another
 * schema version is refused with the way out (the owner migrates at start).
 */
export function openIndexReadOnly(file: string): OpenedIndex {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > migrations.length) {
      throw new Error(`${file}: index schema version ${version} is newer than this Viewbox understands (${migrations.length}); upgrade Viewbox`);
    }
    if (version < migrations.length) {
      throw new Error(`${file}: index schema version ${version} predates this Viewbox (${migrations.length}); start \`viewbox serve\` (or the app) once on this folder to upgrade it`);
    }
    return { db, previousVersion: version };
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: IndexDatabase, file: string): number {
  const applied = db.pragma('user_version', { simple: true }) as number;
  if (applied > migrations.length) {
    throw new Error(`${file}: index schema version ${applied} is newer than this Viewbox understands (${migrations.length}); upgrade Viewbox`);
  }
  for (let version = applied; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return applied;
}
