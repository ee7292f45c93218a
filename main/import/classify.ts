/**
 * What a file is, judged from its first bytes: a DICOM Part 10 file, a raw
 * dataset without File Meta, a DICOMDIR, a zip archive, or something else
 * (skipped). Pure: no I/O.
 */
import { sniffTransferSyntax } from '../../shared/dicom/dataset-parser.js';
import { readFileMeta, type FileMeta } from '../../shared/dicom/file-meta.js';
import { isStorageSopClass, transferSyntax, uidName } from '../../shared/dicom/uid-registry.js';

/** Bytes read from the start of each file before deciding; enough for any File Meta group. */
export const HEAD_BYTES = 64 * 1024;

const PART10_MAGIC_END = 132;

export const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

export type Classification =
  | { kind: 'part10'; meta: FileMeta; datasetOffset: number }
  | { kind: 'raw-dataset'; transferSyntaxUid: string }
  | { kind: 'dicomdir' }
  | { kind: 'zip' }
  | { kind: 'skip'; reason: string }
  | { kind: 'reject'; reason: string };

/** `head` is the file's first HEAD_BYTES (or all of it when shorter). Never throws. */
export function classifyHead(head: Uint8Array): Classification {
  if (isZip(head)) return { kind: 'zip' };
  let part10: ReturnType<typeof readFileMeta>;
  try {
    // Shorter than preamble + "DICM": cannot be Part 10 (a tiny raw dataset or not DICOM at all).
    part10 = head.length < PART10_MAGIC_END ? undefined : readFileMeta(head);
  } catch (error) {
    return { kind: 'reject', reason: `broken File Meta Information: ${(error as Error).message}` };
  }
  if (part10) {
    const { meta, datasetOffset } = part10;
    if (meta.mediaStorageSopClassUid === MEDIA_STORAGE_DIRECTORY) return { kind: 'dicomdir' };
    // Some writers leave (0002,0002)/(0002,0003) empty: the importer then takes the UIDs from the dataset.
    if (meta.mediaStorageSopClassUid && !isStorageSopClass(meta.mediaStorageSopClassUid)) {
      const name = uidName(meta.mediaStorageSopClassUid);
      return { kind: 'skip', reason: `SOP class ${meta.mediaStorageSopClassUid}${name ? ` (${name})` : ''} is not a storage SOP class` };
    }
    if (!transferSyntax(meta.transferSyntaxUid)) {
      return { kind: 'reject', reason: `unknown transfer syntax ${meta.transferSyntaxUid} in (0002,0010)` };
    }
    return { kind: 'part10', meta, datasetOffset };
  }
  const sniffed = sniffTransferSyntax(head);
  if (sniffed) return { kind: 'raw-dataset', transferSyntaxUid: sniffed };
  return { kind: 'skip', reason: head.length === 0 ? 'empty file' : 'not a DICOM file' };
}

function isZip(head: Uint8Array): boolean {
  // Local file header, or the end-of-central-directory record of an empty archive.
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}
