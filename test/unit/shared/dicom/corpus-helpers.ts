import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { DatasetParser, sniffTransferSyntax } from '../../../../shared/dicom/dataset-parser.js';
import { readFileMeta, type FileMeta } from '../../../../shared/dicom/file-meta.js';
import type { DicomJsonDataset, DicomJsonElement } from '../../../../shared/dicom/json.js';
import { transferSyntax } from '../../../../shared/dicom/uid-registry.js';
import { debianPython } from './pydicom-oracle.js';
import { run } from '../../../helpers/run.js';

export interface OracleResult {
  json?: DicomJsonDataset;
  meta?: Required<FileMeta> | null;
  error?: string;
}

/** pydicom's reading of every file, in one python process. */
export async function pydicomRead(files: string[]): Promise<Record<string, OracleResult>> {
  const script = new URL('./pydicom_oracle.py', import.meta.url).pathname;
  const result = await run(debianPython, [script, ...files], { timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`pydicom oracle failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, OracleResult>;
}

/** A Part 10 file (or raw dataset) split into what the parser needs; deflated data inflated as a caller would. */
export function datasetOf(path: string): { transferSyntaxUid: string; data: Uint8Array; baseOffset: number } {
  const bytes = new Uint8Array(readFileSync(path));
  const fm = readFileMeta(bytes);
  const baseOffset = fm?.datasetOffset ?? 0;
  const transferSyntaxUid = fm?.meta.transferSyntaxUid ?? sniffTransferSyntax(bytes);
  if (transferSyntaxUid === undefined) throw new Error(`${basename(path)}: not recognisable as DICOM`);
  let data = bytes.subarray(baseOffset);
  if (transferSyntax(transferSyntaxUid)?.deflated) data = new Uint8Array(inflateRawSync(data));
  return { transferSyntaxUid, data, baseOffset };
}

/** Parse feeding chunks of `size` bytes. */
export function parseInChunks(data: Uint8Array, size: number, options: { transferSyntaxUid: string; baseOffset: number }): DicomJsonDataset {
  const parser = new DatasetParser(options);
  for (let i = 0; i < data.length; i += size) parser.push(data.slice(i, i + size));
  return parser.end();
}

const isPrivate = (key: string): boolean => (parseInt(key.slice(0, 4), 16) & 1) === 1;

/**
 * Differences between pydicom's to_json_dict() and ours, as readable lines.
 * Tolerated on purpose: values are compared after trimming each value's
 * trailing spaces (pydicom keeps them inside multi-values, PS3.5 6.2 says they
 * are padding) and with "" ≡ null for empty values; binary values compared by
 * presence (pydicom inlines bulk data); private tags in implicit VR, which
 * pydicom types from its private dictionary and we keep as UN bytes, by presence.
 */
export function diffJson(py: DicomJsonDataset, ours: DicomJsonDataset, path = ''): string[] {
  const diffs: string[] = [];
  for (const key of new Set([...Object.keys(py), ...Object.keys(ours)])) {
    const a = py[key];
    const b = ours[key];
    const at = `${path}${key}`;
    if (a === undefined || b === undefined) {
      diffs.push(`${at}: only in ${a === undefined ? 'ours' : 'pydicom'}`);
      continue;
    }
    if (b.vr === 'UN' && isPrivate(key)) {
      if (hasContent(a) !== hasContent(b)) diffs.push(`${at}: private value presence differs`);
      continue;
    }
    if (a.vr !== b.vr) diffs.push(`${at}: VR ${a.vr} (pydicom) vs ${b.vr} (ours)`);
    if (a.vr === 'SQ' || b.vr === 'SQ') {
      const itemsA = (a.Value ?? []) as DicomJsonDataset[];
      const itemsB = (b.Value ?? []) as DicomJsonDataset[];
      if (itemsA.length !== itemsB.length) diffs.push(`${at}: ${itemsA.length} items (pydicom) vs ${itemsB.length} (ours)`);
      for (let i = 0; i < Math.min(itemsA.length, itemsB.length); i++) diffs.push(...diffJson(itemsA[i]!, itemsB[i]!, `${at}[${i}].`));
      continue;
    }
    if (a.Value !== undefined || b.Value !== undefined) {
      const x = normalise(a.Value);
      const y = normalise(b.Value);
      if (x !== y) diffs.push(`${at} ${a.vr}: ${x.slice(0, 120)} (pydicom) vs ${y.slice(0, 120)} (ours)`);
    } else if (hasContent(a) !== hasContent(b)) {
      diffs.push(`${at}: binary value presence differs`);
    }
  }
  return diffs;
}

function hasContent(e: DicomJsonElement): boolean {
  return e.Value !== undefined || e.InlineBinary !== undefined || e.BulkDataURI !== undefined;
}

function normalise(values: DicomJsonElement['Value']): string {
  return JSON.stringify(
    (values ?? []).map((v) => (typeof v === 'string' ? (v.trim() === '' ? null : v.trimEnd()) : v)),
  );
}
