import { readFileSync } from 'node:fs';
import { readFileMeta } from '../../../../shared/dicom/file-meta.js';
import { silentLogger } from '../../../../main/log.js';
import { openArchive, type Archive } from '../../../../main/store/archive.js';
import type { DuplicatePolicy } from '../../../../shared/config.js';
import type { StoreOutcome } from '../../../../main/store/instance-sink.js';

export function openTestArchive(dataDir: string, duplicates: DuplicatePolicy = 'keep-first'): Promise<Archive> {
  return openArchive({ dataDir, duplicates, maxObjectBytes: 64 * 1024 * 1024, logger: silentLogger });
}

/** A Part 10 file split the way a receiver sees it: the announced UIDs and syntax, and the dataset bytes. */
export function datasetOf(path: string) {
  const bytes = readFileSync(path);
  const found = readFileMeta(bytes);
  if (!found) throw new Error(`${path}: no File Meta`);
  return { meta: found.meta, dataset: bytes.subarray(found.datasetOffset) };
}

/** Stream a Part 10 file's dataset through the archive in 16 KB chunks, as a C-STORE would. */
export async function storeFile(archive: Archive, path: string, chunk = 16 * 1024): Promise<StoreOutcome> {
  const { meta, dataset } = datasetOf(path);
  return storeDataset(archive, meta.mediaStorageSopClassUid, meta.mediaStorageSopInstanceUid, meta.transferSyntaxUid, dataset, chunk);
}

export async function storeDataset(
  archive: Archive,
  sopClassUid: string,
  sopInstanceUid: string,
  transferSyntaxUid: string,
  dataset: Uint8Array,
  chunk = 16 * 1024,
): Promise<StoreOutcome> {
  const writer = archive.begin({ sopClassUid, sopInstanceUid, transferSyntaxUid, source: { kind: 'import', path: 'test' } });
  try {
    for (let at = 0; at < dataset.length; at += chunk) await writer.write(dataset.subarray(at, at + chunk));
  } catch (error) {
    await writer.abort(String(error));
    throw error;
  }
  return writer.commit();
}
