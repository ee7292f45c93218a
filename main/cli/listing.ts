/** What the listing commands share: read rows through the read door (read-only), print them as JSON or as a table. */
import { setup } from '../bootstrap/setup.js';
import type { ArchiveReader } from '../store/archive-reader.js';
import { openArchiveForReading } from '../store/read-only-index.js';
import { EXIT_OK, type CliIo } from './io.js';
import { formatTable } from './table.js';

export interface Listing<T> {
  read(archive: ArchiveReader): T[];
  headers: string[];
  row(item: T): string[];
}

/** Reads through a read-only connection: safe beside a node that owns the folder, and it never repairs or sweeps anything. */
export async function printListing<T>(values: { data?: string; config?: string; json?: boolean }, io: CliIo, listing: Listing<T>): Promise<number> {
  const archive = openArchiveForReading(setup(values).dataDir);
  let items: T[];
  try {
    items = archive ? listing.read(archive) : [];
  } finally {
    archive?.close();
  }
  io.out(values.json ? `${JSON.stringify(items, null, 2)}\n` : formatTable(listing.headers, items.map(listing.row)));
  return EXIT_OK;
}
