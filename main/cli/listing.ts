/** What the listing commands share: read rows from the archive, print them as JSON or as a table. */
import type { Archive } from '../store/archive.js';
import { EXIT_OK, type CliIo } from './io.js';
import { openArchiveFor, setup } from './setup.js';
import { formatTable } from './table.js';

export interface Listing<T> {
  read(archive: Archive): T[];
  headers: string[];
  row(item: T): string[];
}

export async function printListing<T>(values: { data?: string; config?: string; json?: boolean }, io: CliIo, listing: Listing<T>): Promise<number> {
  const archive = await openArchiveFor(setup(values));
  try {
    const items = listing.read(archive);
    io.out(values.json ? `${JSON.stringify(items, null, 2)}\n` : formatTable(listing.headers, items.map(listing.row)));
    return EXIT_OK;
  } finally {
    await archive.close();
  }
}
