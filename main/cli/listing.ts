/** What the listing commands share: read rows from the index (read-only), print them as JSON or as a table. */
import type { ArchiveIndex } from '../index/archive-index.js';
import { openIndexForReading } from '../store/read-only-index.js';
import { EXIT_OK, type CliIo } from './io.js';
import { setup } from './setup.js';
import { formatTable } from './table.js';

export interface Listing<T> {
  read(index: ArchiveIndex): T[];
  headers: string[];
  row(item: T): string[];
}

/** Reads through a read-only connection: safe beside a node that owns the folder, and it never repairs or sweeps anything. */
export async function printListing<T>(values: { data?: string; config?: string; json?: boolean }, io: CliIo, listing: Listing<T>): Promise<number> {
  const index = openIndexForReading(setup(values).dataDir);
  let items: T[];
  try {
    items = index ? listing.read(index) : [];
  } finally {
    index?.close();
  }
  io.out(values.json ? `${JSON.stringify(items, null, 2)}\n` : formatTable(listing.headers, items.map(listing.row)));
  return EXIT_OK;
}
