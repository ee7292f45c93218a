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

export function openIndexDatabase(file: string): OpenedIndex {
  const db = new Database(file);
  try {
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
