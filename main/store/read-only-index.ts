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
import type { SendQueueStore } from './send-queue-store.js';

export interface ReadOnlyArchive extends ArchiveReader {
  /** The send queue, for reading (`viewbox queue list` without a node): a change through it fails, the connection is read-only. */
  queue: SendQueueStore;
  close(): void;
}

/** The folder's archive, read-only; undefined when nothing was ever stored there. */
export function openArchiveForReading(dataDir: string): ReadOnlyArchive | undefined {
  const file = join(dataDir, INDEX_FILE);
  if (!existsSync(file)) return undefined;
  const index = new ArchiveIndex(file, { readOnly: true });
  return { ...archiveReader(index, dataDir), queue: index.sendQueue, close: () => index.close() };
}
