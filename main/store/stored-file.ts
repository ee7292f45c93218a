/**
 * Reads back a stored Part 10 file's header as the index keeps it, streaming
 * so that a large object is never held whole in memory.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
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

/** Where a stored file's dataset (what goes on the wire) begins and how long it is. */
export async function storedDatasetRange(path: string): Promise<{ path: string; offset: number; length: number; meta: FileMeta }> {
  const [{ meta, datasetOffset }, info] = await Promise.all([readMetaOf(path), stat(path)]);
  return { path, offset: datasetOffset, length: info.size - datasetOffset, meta };
}

async function readMetaOf(path: string): Promise<{ meta: FileMeta; datasetOffset: number }> {
  const handle = await open(path, 'r');
  try {
    let length = 4096;
    for (;;) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      try {
        const found = readFileMeta(buffer.subarray(0, bytesRead));
        if (!found) throw new Error(`${path}: not a Part 10 file (no DICM prefix)`);
        return found;
      } catch (error) {
        if (!(error instanceof FileMetaTruncatedError) || bytesRead < length) throw error;
        length = Math.max(error.needed, length * 2);
      }
    }
  } finally {
    await handle.close();
  }
}
