/**
 * `viewbox import` as functions the UI can call too: files, folders, DICOMDIRs
 * and zip archives go through the archive's InstanceSink exactly like a
 * network receipt (dataset bytes streamed, never re-encoded). Progress is
 * reported through callbacks; rendering it is the caller's business.
 */
import type { ImportJobSummary } from '../../shared/api/jobs.js';
import { DatasetParser } from '../../shared/dicom/dataset-parser.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { isStorageSopClass } from '../../shared/dicom/uid-registry.js';
import { IngestError, type IncomingInstance, type InstanceSink, type StoreStatus } from '../store/instance-sink.js';
import { readHead, type ImportItem } from './byte-source.js';
import { classifyHead, HEAD_BYTES } from './classify.js';
import { dicomdirReferences } from './dicomdir.js';
import { diskItem, walkPaths } from './walk.js';
import { openZip } from './zip.js';

export type ItemOutcome =
  | { kind: 'imported'; path: string; sopInstanceUid: string; studyInstanceUid: string; status: StoreStatus }
  | { kind: 'already-present'; path: string; sopInstanceUid: string }
  /** Same SOP Instance UID held with other bytes; the duplicates policy kept the held copy. */
  | { kind: 'kept-existing'; path: string; sopInstanceUid: string }
  | { kind: 'rejected'; path: string; reason: string }
  | { kind: 'skipped'; path: string; reason: string }
  /** A zip archive or DICOMDIR whose contents were queued. */
  | { kind: 'expanded'; path: string; count: number };

export interface ImportProgress {
  /** Items finished so far. */
  done: number;
  /** Items known so far (grows as zip archives and DICOMDIRs are opened). */
  total: number;
  outcome: ItemOutcome;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
}

/** What an import did; the same shape a node's import job reports (shared/api/jobs.ts). */
export type ImportSummary = ImportJobSummary;

export async function importPaths(paths: string[], sink: InstanceSink, options: ImportOptions = {}): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, alreadyPresent: 0, keptExisting: 0, rejected: [], skipped: [], studies: [] };
  const studies = new Set<string>();
  const walked = await walkPaths(paths);
  const queue: ImportItem[] = [...walked.items];
  let done = 0;
  const report = (outcome: ItemOutcome) => {
    switch (outcome.kind) {
      case 'imported':
        summary.imported++;
        studies.add(outcome.studyInstanceUid);
        break;
      case 'already-present':
        summary.alreadyPresent++;
        break;
      case 'kept-existing':
        summary.keptExisting++;
        break;
      case 'rejected':
        summary.rejected.push({ path: outcome.path, reason: outcome.reason });
        break;
      case 'skipped':
        summary.skipped.push({ path: outcome.path, reason: outcome.reason });
        break;
      case 'expanded':
        break;
    }
    options.onProgress?.({ done, total: queue.length + walked.rejected.length + walked.skipped.length, outcome });
  };
  for (const r of walked.rejected) report({ kind: 'rejected', ...r });
  for (const s of walked.skipped) report({ kind: 'skipped', ...s });

  const openZips: Array<() => void> = [];
  try {
    for (let i = 0; i < queue.length; i++) {
      const item = queue[i] as ImportItem;
      const outcome = await importItem(item, sink, (more, close) => {
        queue.push(...more);
        if (close) openZips.push(close);
      });
      done++;
      report(outcome);
    }
  } finally {
    for (const close of openZips) close();
  }
  summary.studies = [...studies];
  return summary;
}

type Enqueue = (items: ImportItem[], close?: () => void) => void;

async function importItem(item: ImportItem, sink: InstanceSink, enqueue: Enqueue): Promise<ItemOutcome> {
  if (item.refused !== undefined) return { kind: 'skipped', path: item.path, reason: item.refused };
  let read;
  try {
    read = await readHead(await item.open(), HEAD_BYTES);
  } catch (error) {
    return { kind: 'rejected', path: item.path, reason: `cannot read: ${(error as Error).message}` };
  }
  const { head, rest } = read;
  const classified = classifyHead(head);
  switch (classified.kind) {
    case 'skip':
    case 'reject':
      read.close();
      return { kind: classified.kind === 'skip' ? 'skipped' : 'rejected', path: item.path, reason: classified.reason };
    case 'zip':
      read.close();
      return expandZip(item, enqueue);
    case 'dicomdir':
      read.close();
      if (!item.explicit || !item.diskPath) {
        return { kind: 'skipped', path: item.path, reason: 'DICOMDIR (its folder is being imported; name the DICOMDIR itself to import only what it references)' };
      }
      return expandDicomdir(item.diskPath, enqueue);
    case 'part10': {
      const { meta, datasetOffset } = classified;
      const source = { kind: 'import', path: item.path } as const;
      if (meta.mediaStorageSopClassUid && meta.mediaStorageSopInstanceUid) {
        const incoming = { sopClassUid: meta.mediaStorageSopClassUid, sopInstanceUid: meta.mediaStorageSopInstanceUid, transferSyntaxUid: meta.transferSyntaxUid, source };
        return store(item.path, sink, incoming, withPrefix(head.subarray(datasetOffset), rest));
      }
      read.close();
      return storeWithUidsFromDataset(item, sink, meta.transferSyntaxUid, datasetOffset);
    }
    case 'raw-dataset':
      read.close();
      return storeWithUidsFromDataset(item, sink, classified.transferSyntaxUid, 0);
  }
}

/** No SOP UIDs in a File Meta (none there, or left empty): read the dataset once to find them, then again to store it. */
async function storeWithUidsFromDataset(item: ImportItem, sink: InstanceSink, transferSyntaxUid: string, datasetOffset: number): Promise<ItemOutcome> {
  const uids = await sopUidsOf(item, transferSyntaxUid, datasetOffset);
  if ('reason' in uids) return { kind: 'rejected', path: item.path, reason: uids.reason };
  if (!isStorageSopClass(uids.sopClassUid)) return { kind: 'skipped', path: item.path, reason: `SOP class ${uids.sopClassUid} is not a storage SOP class` };
  let dataset: AsyncIterable<Uint8Array>;
  try {
    dataset = skipBytes(await item.open(), datasetOffset);
  } catch (error) {
    return { kind: 'rejected', path: item.path, reason: `cannot read: ${(error as Error).message}` };
  }
  return store(item.path, sink, { ...uids, transferSyntaxUid, source: { kind: 'import', path: item.path } }, dataset);
}

async function store(path: string, sink: InstanceSink, incoming: IncomingInstance, dataset: AsyncIterable<Uint8Array>): Promise<ItemOutcome> {
  const writer = sink.begin(incoming);
  try {
    for await (const chunk of dataset) await writer.write(chunk);
  } catch (error) {
    await writer.abort(`import of ${path} failed while reading`);
    return { kind: 'rejected', path, reason: error instanceof IngestError ? error.message : `cannot read: ${(error as Error).message}` };
  }
  try {
    const outcome = await writer.commit();
    const sopInstanceUid = outcome.sopInstanceUid;
    switch (outcome.status) {
      case 'stored':
      case 'replaced':
        return { kind: 'imported', path, sopInstanceUid, studyInstanceUid: outcome.studyInstanceUid, status: outcome.status };
      case 'already-present':
        return { kind: 'already-present', path, sopInstanceUid };
      case 'kept-existing':
        return { kind: 'kept-existing', path, sopInstanceUid };
    }
  } catch (error) {
    return { kind: 'rejected', path, reason: (error as Error).message };
  }
}

async function expandZip(item: ImportItem, enqueue: Enqueue): Promise<ItemOutcome> {
  if (!item.diskPath) return { kind: 'skipped', path: item.path, reason: 'zip archive inside a zip archive (extract the outer one first)' };
  try {
    const zip = await openZip(item.diskPath);
    enqueue(zip.items, zip.close);
    return { kind: 'expanded', path: item.path, count: zip.items.length };
  } catch (error) {
    return { kind: 'rejected', path: item.path, reason: `broken zip archive: ${(error as Error).message}` };
  }
}

async function expandDicomdir(path: string, enqueue: Enqueue): Promise<ItemOutcome> {
  try {
    const { files, missing, refused } = await dicomdirReferences(path);
    enqueue([
      ...files.map((file) => diskItem(file.path, false, file.realPath)),
      ...missing.map((m) => missingItem(m.path, m.reason)),
      ...refused.map((r) => refusedItem(r.path, r.reason)),
    ]);
    return { kind: 'expanded', path, count: files.length + missing.length + refused.length };
  } catch (error) {
    return { kind: 'rejected', path, reason: `cannot read DICOMDIR: ${(error as Error).message}` };
  }
}

/** A DICOMDIR reference that resolves to nothing: it fails when opened, so it is counted like any unreadable file. */
function missingItem(path: string, reason: string): ImportItem {
  return { path, open: () => Promise.reject(new Error(reason)) };
}

/** A DICOMDIR reference refused before opening (outside the medium, not a regular file): reported as skipped with its reason. */
function refusedItem(path: string, reason: string): ImportItem {
  return { path, refused: reason, open: () => Promise.reject(new Error(reason)) };
}

const SOP_CLASS_UID = '00080016';
const SOP_INSTANCE_UID = '00080018';

async function sopUidsOf(item: ImportItem, transferSyntaxUid: string, datasetOffset: number): Promise<{ sopClassUid: string; sopInstanceUid: string } | { reason: string }> {
  let dataset: DicomJsonDataset;
  try {
    const parser = new DatasetParser({ transferSyntaxUid });
    for await (const chunk of skipBytes(await item.open(), datasetOffset)) parser.push(chunk);
    dataset = parser.end();
  } catch (error) {
    return { reason: `not a readable DICOM dataset: ${(error as Error).message}` };
  }
  const sopClassUid = firstString(dataset, SOP_CLASS_UID);
  const sopInstanceUid = firstString(dataset, SOP_INSTANCE_UID);
  if (!sopClassUid || !sopInstanceUid) return { reason: 'no SOP Class UID (0008,0016) or SOP Instance UID (0008,0018) in the File Meta or the dataset' };
  return { sopClassUid, sopInstanceUid };
}

function firstString(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

async function* withPrefix(prefix: Uint8Array, rest: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  if (prefix.length > 0) yield prefix;
  yield* rest;
}

async function* skipBytes(stream: AsyncIterable<Uint8Array>, count: number): AsyncIterable<Uint8Array> {
  let toSkip = count;
  for await (const chunk of stream) {
    if (toSkip >= chunk.length) {
      toSkip -= chunk.length;
      continue;
    }
    yield toSkip > 0 ? chunk.subarray(toSkip) : chunk;
    toSkip = 0;
  }
}
