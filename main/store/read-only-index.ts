/**
 * The read door for commands that only read (`studies`, `patients conflicts`,
 * `protocols explain`): the same reader the node hands out, over a read-only
 * SQLite connection, whether or not a node owns the folder. It never takes
 * the folder's lock, sweeps staging, recovers or touches the run marker, so
 * it is safe beside a running node (WAL: it sees every committed instance).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveIndex } from '../index/archive-index.js';
import { archiveReader, type ArchiveReader } from './archive-reader.js';
import { INDEX_FILE } from './layout.js';

export interface ReadOnlyArchive extends ArchiveReader {
  close(): void;
}

/** The folder's archive, read-only; undefined when nothing was ever stored there. */
export function openArchiveForReading(dataDir: string): ReadOnlyArchive | undefined {
  const file = join(dataDir, INDEX_FILE);
  if (!existsSync(file)) return undefined;
  const index = new ArchiveIndex(file, { readOnly: true });
  return { ...archiveReader(index, dataDir), close: () => index.close() };
}
