/**
 * The files a DICOMDIR references (PS3.10 media): each directory record's
 * Referenced File ID (0004,1500), resolved against the DICOMDIR's folder.
 * Components are matched case-insensitively and with ISO 9660 ";1" version
 * suffixes ignored, because CDs are written upper case and often read back
 * differently.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseDataset } from '../../shared/dicom/dataset-parser.js';
import { readFileMeta } from '../../shared/dicom/file-meta.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';

const DIRECTORY_RECORD_SEQUENCE = '00041220';
const REFERENCED_FILE_ID = '00041500';

export interface DicomdirReferences {
  /** Existing files, in record order, without repeats. */
  files: string[];
  /** References that resolve to no file. */
  missing: Array<{ path: string; reason: string }>;
}

export async function dicomdirReferences(dicomdirPath: string): Promise<DicomdirReferences> {
  const bytes = new Uint8Array(await readFile(dicomdirPath));
  const part10 = readFileMeta(bytes);
  if (!part10) throw new Error(`${dicomdirPath}: not a DICOM Part 10 file`);
  const dataset = parseDataset(bytes.subarray(part10.datasetOffset), {
    transferSyntaxUid: part10.meta.transferSyntaxUid,
    baseOffset: part10.datasetOffset,
  });
  const root = dirname(dicomdirPath);
  const files: string[] = [];
  const missing: DicomdirReferences['missing'] = [];
  const seen = new Set<string>();
  for (const components of referencedFileIds(dataset)) {
    const resolved = await resolveCaseInsensitive(root, components);
    if (!resolved) {
      missing.push({ path: join(root, ...components), reason: `referenced by ${dicomdirPath} but not found` });
    } else if (!seen.has(resolved)) {
      seen.add(resolved);
      files.push(resolved);
    }
  }
  return { files, missing };
}

/** Every Referenced File ID of the directory records, as path components. */
export function referencedFileIds(dataset: DicomJsonDataset): string[][] {
  const records = dataset[DIRECTORY_RECORD_SEQUENCE]?.Value ?? [];
  const ids: string[][] = [];
  for (const record of records) {
    const value = (record as DicomJsonDataset | null)?.[REFERENCED_FILE_ID]?.Value;
    const components = (value ?? []).filter((c): c is string => typeof c === 'string' && c.trim().length > 0).map((c) => c.trim());
    // A component may not climb out of the medium's root.
    if (components.length > 0 && !components.some((c) => c === '..' || c === '.')) ids.push(components);
  }
  return ids;
}

async function resolveCaseInsensitive(root: string, components: string[]): Promise<string | undefined> {
  let here = root;
  for (const component of components) {
    const exact = join(here, component);
    if (await exists(exact)) {
      here = exact;
      continue;
    }
    let names: string[];
    try {
      names = await readdir(here);
    } catch {
      return undefined;
    }
    const wanted = normalise(component);
    const match = names.find((name) => normalise(name) === wanted);
    if (match === undefined) return undefined;
    here = join(here, match);
  }
  return here;
}

function normalise(name: string): string {
  return name.replace(/\.?;\d+$/, '').toLowerCase();
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
