/**
 * Every file of the pydicom corpus streamed through the archive's writer in
 * 16 KB chunks, as a C-STORE receiver would: the stored file's dataset must be
 * the original dataset bytes, and its SHA-256 the stored file's. What the
 * archive should do with each file is decided by two independent readers:
 * pydicom (UIDs, and whether it had to guess the encoding) and DCMTK's
 * dcmdump (whether the data can be read to the end).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Archive } from '../../../main/store/archive.js';
import { IngestError, type StoreOutcome } from '../../../main/store/instance-sink.js';
import { readFileMeta } from '../../../shared/dicom/file-meta.js';
import { sha256, splitPart10 } from '../../fixtures/part10-split.js';
import { listDcm, pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { run } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { openTestArchive, storeFile } from '../../unit/main/store/archive-helpers.js';

/** pydicom's view of one file (null fields: absent). */
interface PydicomView {
  error?: string;
  transferSyntaxUid?: string;
  metaSopInstanceUid?: string;
  SOPInstanceUID?: string;
  SOPClassUID?: string;
  StudyInstanceUID?: string;
  SeriesInstanceUID?: string;
  /** pydicom found the dataset encoded otherwise than its transfer syntax says and read it anyway. */
  guessedEncoding?: boolean;
}

const PYDICOM_VIEW = `
import json, sys, warnings
import pydicom
out = {}
for path in sys.argv[1:]:
    r = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            ds = pydicom.dcmread(path)
            r['transferSyntaxUid'] = str(ds.file_meta.get('TransferSyntaxUID', '') or '')
            r['metaSopInstanceUid'] = str(ds.file_meta.get('MediaStorageSOPInstanceUID', '') or '')
            for k in ('SOPInstanceUID', 'SOPClassUID', 'StudyInstanceUID', 'SeriesInstanceUID'):
                r[k] = str(ds.get(k, '') or '')
            for element in ds.iterall():
                element.value
        except Exception as e:
            r['error'] = str(e)
    r['guessedEncoding'] = any('VR, but found' in str(w.message) for w in caught)
    out[path] = r
print(json.dumps(out))
`;

const files = listDcm(pydicomTestFiles);
let pydicom: Record<string, PydicomView>;
let data: { path: string; cleanup: () => Promise<void> };
let archive: Archive;

beforeAll(async () => {
  pydicom = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PYDICOM_VIEW, ...files], { encoding: 'utf8', maxBuffer: 1 << 24 })) as Record<string, PydicomView>;
  data = await tempDir('viewbox-store-corpus-');
  // keep-newest: the corpus has several files with one SOP Instance UID; each is checked right after its own commit.
  archive = await openTestArchive(data.path, 'keep-newest');
});

afterAll(async () => {
  await archive?.close();
  await data?.cleanup();
});

async function dcmdumpReadsToTheEnd(path: string): Promise<boolean> {
  return (await run('dcmdump', ['-q', path])).code === 0;
}

/** What a receiver could announce for this file: nothing when it has no File Meta, syntax or SOP Instance UID. */
function sendable(view: PydicomView): boolean {
  return !view.error?.includes('File Meta') && !!view.transferSyntaxUid && !!view.metaSopInstanceUid;
}

type Expected = { kind: 'not-sendable' } | { kind: 'refused'; code: string; names: RegExp } | { kind: 'stored' };

async function expectedFor(path: string): Promise<Expected> {
  const view = pydicom[path]!;
  if (!sendable(view)) return { kind: 'not-sendable' };
  // A dataset that cannot be read to the end is refused before its UIDs are looked at.
  if (!(await dcmdumpReadsToTheEnd(path)) && !view.guessedEncoding) return { kind: 'refused', code: 'malformed', names: /\([0-9A-F]{4},[0-9A-F]{4}\)/i };
  const missing = (['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'SOPClassUID'] as const).find((k) => !view[k]);
  if (missing) return { kind: 'refused', code: 'malformed', names: new RegExp(missing) };
  if (view.SOPInstanceUID !== view.metaSopInstanceUid) return { kind: 'refused', code: 'uid-mismatch', names: new RegExp(view.SOPInstanceUID!.replace(/\./g, '\\.')) };
  return { kind: 'stored' };
}

describe('the pydicom corpus through the archive writer (16 KB chunks)', () => {
  it('has files to test', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(files.map((f) => [basename(f), f]))('%s', async (_name, path) => {
    const expected = await expectedFor(path);
    if (expected.kind === 'not-sendable') {
      // Our own File Meta reader must agree that there is nothing to announce.
      const announced = (() => {
        try {
          return readFileMeta(readFileSync(path))?.meta.mediaStorageSopInstanceUid;
        } catch {
          return undefined;
        }
      })();
      expect(announced ?? '').toBe('');
      return;
    }
    const result = await storeFile(archive, path).catch((error: unknown) => error);
    if (expected.kind === 'refused') {
      expect(result).toBeInstanceOf(IngestError);
      expect(result).toMatchObject({ code: expected.code });
      expect((result as Error).message).toMatch(expected.names);
      return;
    }
    if (result instanceof Error) throw result;
    const outcome = result as StoreOutcome;
    expect(['stored', 'replaced', 'already-present']).toContain(outcome.status);
    const original = splitPart10(readFileSync(path), path);
    const stored = readFileSync(join(data.path, outcome.path));
    const storedParts = splitPart10(stored, outcome.path);
    expect(Buffer.compare(storedParts.dataset, original.dataset), 'dataset bytes as received').toBe(0);
    expect(storedParts.meta.transferSyntaxUid).toBe(original.meta.transferSyntaxUid);
    expect(sha256(stored)).toBe(outcome.sha256);
    expect(stored.length).toBe(outcome.size);
    const row = archive.index.getInstance(outcome.sopInstanceUid)!;
    const view = pydicom[path]!;
    expect(row).toMatchObject({ path: outcome.path, sha256: outcome.sha256, studyUid: view.StudyInstanceUID, seriesUid: view.SeriesInstanceUID });
  });

  it('leaves no staging files behind', async () => {
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(data.path, 'staging'))).toEqual([]);
  });
});
