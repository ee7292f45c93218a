/** The entries of a zip archive as import items, read streamed (yauzl) from the archive on disk. */
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { ImportItem } from './byte-source.js';

export interface OpenZip {
  items: ImportItem[];
  close(): void;
}

export function openZip(zipPath: string): Promise<OpenZip> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error(`cannot open zip ${zipPath}`));
      const items: ImportItem[] = [];
      zip.on('error', (e: Error) => {
        zip.close();
        reject(e);
      });
      zip.on('entry', (entry: Entry) => {
        // Folder entries carry no data; their files are entries of their own.
        if (!entry.fileName.endsWith('/')) items.push(entryItem(zip, zipPath, entry));
        zip.readEntry();
      });
      zip.on('end', () => resolve({ items, close: () => zip.close() }));
      zip.readEntry();
    });
  });
}

function entryItem(zip: ZipFile, zipPath: string, entry: Entry): ImportItem {
  return {
    path: `${zipPath}!/${entry.fileName}`,
    open: () =>
      new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (error, stream) => (error || !stream ? reject(error ?? new Error('no stream')) : resolve(stream))),
      ),
  };
}
