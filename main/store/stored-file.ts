/**
 * Reads back a stored Part 10 file's header as the index keeps it, streaming
 * so that a large object is never held whole in memory.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { DatasetParser } from '../../shared/dicom/dataset-parser.js';
import { FileMetaTruncatedError, readFileMeta, type FileMeta } from '../../shared/dicom/file-meta.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { transferSyntax } from '../../shared/dicom/uid-registry.js';

export interface StoredHeader {
  meta: FileMeta;
  json: DicomJsonDataset;
  deflated: boolean;
}

export async function readStoredHeader(path: string): Promise<StoredHeader> {
  const { meta, datasetOffset } = await readMetaOf(path);
  const deflated = !!transferSyntax(meta.transferSyntaxUid)?.deflated;
  const parser = new DatasetParser({ transferSyntaxUid: meta.transferSyntaxUid, baseOffset: datasetOffset });
  const source = createReadStream(path, { start: datasetOffset, highWaterMark: 1 << 20 });
  const stream = deflated ? source.pipe(createInflateRaw()) : source;
  for await (const chunk of stream) parser.push(chunk as Buffer);
  return { meta, json: parser.end(), deflated };
}

export interface StoredDataset {
  path: string;
  /** Where the dataset (what goes on the wire) begins in the file, and how long it is. */
  offset: number;
  length: number;
  meta: FileMeta;
  /** The dataset bytes, when read whole (see `readWholeUpTo`). */
  bytes?: Uint8Array;
}

/** Most File Meta groups fit here: one read covers the header and, for a small file, everything. */
const HEAD_BYTES = 4096;

/**
 * Where a stored file's dataset begins and how long it is; with
 * `readWholeUpTo`, a dataset up to that many bytes comes back read, from the
 * same open and mostly the same read (a sender prepares the next instance
 * while one is on the wire: fewer file operations keep it ahead).
 */
export async function storedDatasetRange(path: string, options: { readWholeUpTo?: number } = {}): Promise<StoredDataset> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const whole = options.readWholeUpTo !== undefined && size <= options.readWholeUpTo + HEAD_BYTES;
    let buffer = Buffer.allocUnsafe(whole ? size : Math.min(size, HEAD_BYTES));
    let filled = await readInto(handle, buffer, 0);
    for (;;) {
      let found: ReturnType<typeof readFileMeta>;
      try {
        found = readFileMeta(buffer.subarray(0, filled));
      } catch (error) {
        if (!(error instanceof FileMetaTruncatedError) || filled >= size) throw error;
        // A File Meta longer than what was read: read more of the head.
        const larger = Buffer.allocUnsafe(Math.min(size, Math.max(error.needed, buffer.length * 2)));
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
        filled = await readInto(handle, buffer, filled);
        continue;
      }
      if (!found) throw new Error(`${path}: not a Part 10 file (no DICM prefix)`);
      const range: StoredDataset = { path, offset: found.datasetOffset, length: size - found.datasetOffset, meta: found.meta };
      if (!whole || range.length > options.readWholeUpTo!) return range;
      if (filled < size) filled = await readInto(handle, buffer, filled);
      if (filled < size) throw new Error(`${path} ended at byte ${filled} of ${size} while being read`);
      return { ...range, bytes: buffer.subarray(found.datasetOffset, size) };
    }
  } finally {
    await handle.close();
  }
}

/** Reads from `at` to the end of `buffer` (or the end of the file); returns how far it got. */
async function readInto(handle: FileHandle, buffer: Buffer, at: number): Promise<number> {
  let filled = at;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

async function readMetaOf(path: string): Promise<{ meta: FileMeta; datasetOffset: number }> {
  const { meta, offset } = await storedDatasetRange(path);
  return { meta, datasetOffset: offset };
}
