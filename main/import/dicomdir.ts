/**
 * The files a DICOMDIR references (PS3.10 media): each directory record's
 * Referenced File ID (0004,1500), resolved against the DICOMDIR's folder.
 * Components are matched case-insensitively and with ISO 9660 ";1" version
 * suffixes ignored, because CDs are written upper case and often read back
 * differently.
 *
 * A DICOMDIR is input from whoever made the medium, so a reference must stay
 * on it: one that names a path (a "/" inside a component, "..") or whose real
 * path (symbolic links resolved) lies outside the DICOMDIR's folder is
 * refused, and so is anything but a regular file (opening a FIFO blocks).
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { parseDataset } from '../../shared/dicom/dataset-parser.js';
import { readFileMeta } from '../../shared/dicom/file-meta.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { describeFileType, isInside } from './confine.js';

const DIRECTORY_RECORD_SEQUENCE = '00041220';
const REFERENCED_FILE_ID = '00041500';

export interface DicomdirReferences {
  /** Existing regular files on the medium, in record order, without repeats: the path as found and the real one to open. */
  files: Array<{ path: string; realPath: string }>;
  /** References that resolve to no file. */
  missing: Array<{ path: string; reason: string }>;
  /** References refused: leaving the medium's folder, or not a regular file. */
  refused: Array<{ path: string; reason: string }>;
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
  const realRoot = await realpath(root);
  const found: DicomdirReferences = { files: [], missing: [], refused: [] };
  const seen = new Set<string>();
  for (const components of referencedFileIds(dataset)) {
    // As written on the medium, not normalised: the user sees what the DICOMDIR asked for.
    const path = [root, ...components].join(sep);
    const refusal = componentRefusal(components);
    if (refusal) {
      found.refused.push({ path, reason: `${refusal} (referenced by ${dicomdirPath}): not followed` });
      continue;
    }
    const resolved = await resolveCaseInsensitive(root, components);
    if (!resolved) {
      found.missing.push({ path, reason: `referenced by ${dicomdirPath} but not found` });
      continue;
    }
    const real = await realpath(resolved).catch(() => undefined);
    if (real === undefined) {
      found.missing.push({ path, reason: `referenced by ${dicomdirPath} but not found (broken symbolic link)` });
      continue;
    }
    if (!isInside(realRoot, real)) {
      found.refused.push({ path, reason: `resolves to ${real}, outside the DICOMDIR's folder ${realRoot}: not followed` });
      continue;
    }
    const type = describeFileType(await stat(real));
    if (type !== 'regular file') {
      found.refused.push({ path, reason: `not a regular file (${type}): not opened` });
      continue;
    }
    if (!seen.has(real)) {
      seen.add(real);
      found.files.push({ path: resolved, realPath: real });
    }
  }
  return found;
}

/** Every Referenced File ID of the directory records, as path components (records without one are not file records). */
export function referencedFileIds(dataset: DicomJsonDataset): string[][] {
  const records = dataset[DIRECTORY_RECORD_SEQUENCE]?.Value ?? [];
  const ids: string[][] = [];
  for (const record of records) {
    const value = (record as DicomJsonDataset | null)?.[REFERENCED_FILE_ID]?.Value;
    const components = (value ?? []).filter((c): c is string => typeof c === 'string' && c.trim().length > 0).map((c) => c.trim());
    if (components.length > 0) ids.push(components);
  }
  return ids;
}

/** Components are single names (PS3.10 8.5: up to 8 of A-Z, 0-9, _); anything that makes them a path is refused. */
function componentRefusal(components: string[]): string | undefined {
  if (components.some((c) => c === '..' || c === '.')) return 'a ".." or "." component climbs out of the medium';
  const separator = components.join('').match(/[/\\]/)?.[0];
  if (separator !== undefined) return `a component holds "${separator}" (each component is one name, not a path)`;
  return undefined;
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
