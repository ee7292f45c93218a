import { cp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyHead } from '../../../../main/import/classify.js';
import { importPaths } from '../../../../main/import/import-paths.js';
import { pydicomTestFiles } from '../../../helpers/pydicom-corpus.js';
import { run } from '../../../helpers/run.js';
import { tempDir } from '../../../helpers/tmp.js';
import { pydicomDicomdirFiles, pydicomFacts, type PydicomFacts } from './pydicom-files.js';
import { MemorySink } from './memory-sink.js';

let dir: { path: string; cleanup: () => Promise<void> };
let corpus: string[];
let facts: Map<string, PydicomFacts>;

beforeAll(async () => {
  dir = await tempDir('viewbox-import-');
  corpus = (await readdir(pydicomTestFiles, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(pydicomTestFiles, e.name)).sort();
  facts = await pydicomFacts(corpus);
});
afterAll(() => dir.cleanup());

/** Files that pydicom reads as DICOM and whose SOP UIDs it finds (File Meta or dataset). */
function dicomFiles(): PydicomFacts[] {
  return corpus.map((p) => facts.get(p)!).filter((f) => f.datasetOffset !== null && !('error' in f) && f.sopInstanceUid !== '');
}

describe('importPaths over the pydicom corpus', () => {
  it('streams exactly the dataset bytes of each file, with the File Meta UIDs', async () => {
    const sink = new MemorySink();
    const summary = await importPaths([pydicomTestFiles + '/CT_small.dcm', pydicomTestFiles + '/MR_small_bigendian.dcm', pydicomTestFiles + '/image_dfl.dcm'], sink);
    expect(summary.rejected).toEqual([]);
    for (const { incoming, bytes } of sink.committed) {
      const path = (incoming.source as { path: string }).path;
      const f = facts.get(path)!;
      const file = new Uint8Array(await readFile(path));
      expect(Buffer.from(bytes).equals(Buffer.from(file.subarray(f.datasetOffset!)))).toBe(true);
      expect(incoming).toMatchObject({ sopClassUid: f.sopClassUid, sopInstanceUid: f.sopInstanceUid, transferSyntaxUid: f.transferSyntaxUid });
    }
    expect(sink.committed).toHaveLength(3);
  });

  it('imports meta-less raw datasets with the UIDs found inside them', async () => {
    const raw = dicomFiles().filter((f) => f.datasetOffset === 0);
    expect(raw.map((f) => relative(pydicomTestFiles, f.path))).toEqual(expect.arrayContaining(['ExplVR_LitEndNoMeta.dcm', 'ExplVR_BigEndNoMeta.dcm', 'rtstruct.dcm']));
    const sink = new MemorySink();
    await importPaths(raw.map((f) => f.path), sink);
    for (const f of raw) {
      const got = sink.committed.find((c) => (c.incoming.source as { path: string }).path === f.path);
      expect(got, f.path).toBeDefined();
      expect(got!.incoming.sopInstanceUid).toBe(f.sopInstanceUid);
      expect(got!.incoming.sopClassUid).toBe(f.sopClassUid);
      expect(Buffer.from(got!.bytes).equals(await readFile(f.path))).toBe(true);
    }
  });

  it('accounts for every file of a folder: DICOM files stored, other files skipped with a reason', async () => {
    const folder = join(dir.path, 'mixed');
    await cp(pydicomTestFiles, folder, { recursive: true, filter: (src) => !src.includes('dicomdirtests') });
    await writeFile(join(folder, 'README.txt'), 'Scans from Dr. Who, CD burned 2024.\n');
    await writeFile(join(folder, 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]));
    const sink = new MemorySink();
    const summary = await importPaths([folder], sink);
    const seen = [...sink.committed.map((c) => (c.incoming.source as { path: string }).path), ...summary.rejected.map((r) => r.path), ...summary.skipped.map((s) => s.path)];
    const all = (await readdir(folder)).map((n) => join(folder, n));
    expect(seen.sort()).toEqual(all.sort());
    const skippedNames = summary.skipped.map((s) => relative(folder, s.path));
    expect(skippedNames).toEqual(expect.arrayContaining(['README.txt', 'photo.jpg', 'test1.json', 'rtplan.dump']));
    expect(summary.skipped.every((s) => s.reason.length > 0)).toBe(true);
    // Every file pydicom reads as DICOM with UIDs is either stored or rejected with a reason naming what is wrong.
    for (const f of dicomFiles()) {
      const mine = join(folder, relative(pydicomTestFiles, f.path));
      expect(seen.includes(mine) && !skippedNames.includes(relative(folder, mine)), mine).toBe(true);
    }
    for (const r of summary.rejected) expect(r.reason).not.toBe('');
    expect(sink.aborted).toHaveLength(0);
  });
});

describe('zip archives', () => {
  it('imports the DICOM entries of a zip, nested folders included, byte-exact', async () => {
    const names = ['CT_small.dcm', 'MR_small_RLE.dcm', 'ExplVR_BigEndNoMeta.dcm', 'README.txt'];
    const zip = join(dir.path, 'cd.zip');
    const r = await run('/usr/bin/python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('PATIENT/', '')
    for i, p in enumerate(sys.argv[2:]):
        z.write(p, ('PATIENT/STUDY%d/' % i) + p.split('/')[-1])
`, zip, ...names.map((n) => join(pydicomTestFiles, n))]);
    expect(r.code, r.stderr).toBe(0);
    const sink = new MemorySink();
    const summary = await importPaths([zip], sink);
    expect(summary.imported).toBe(3);
    expect(summary.skipped.map((s) => s.path)).toEqual([`${zip}!/PATIENT/STUDY3/README.txt`]);
    for (const [i, name] of names.slice(0, 3).entries()) {
      const got = sink.committed.find((c) => (c.incoming.source as { path: string }).path === `${zip}!/PATIENT/STUDY${i}/${name}`);
      expect(got, name).toBeDefined();
      const f = facts.get(join(pydicomTestFiles, name))!;
      expect(Buffer.from(got!.bytes).equals((await readFile(f.path)).subarray(f.datasetOffset!))).toBe(true);
    }
  });

  it('rejects a broken zip with the reason', async () => {
    const broken = join(dir.path, 'broken.zip');
    await writeFile(broken, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 7)]));
    const summary = await importPaths([broken], new MemorySink());
    expect(summary.rejected).toHaveLength(1);
    expect(summary.rejected[0]?.reason).toMatch(/zip/);
  });
});

describe('DICOMDIR', () => {
  const dicomdir = join(pydicomTestFiles, 'dicomdirtests', 'DICOMDIR');

  it('imports exactly the files its records reference', async () => {
    const expected = await pydicomDicomdirFiles(dicomdir);
    const sink = new MemorySink();
    const summary = await importPaths([dicomdir], sink);
    expect(summary.rejected).toEqual([]);
    expect(sink.committed.map((c) => (c.incoming.source as { path: string }).path).sort()).toEqual([...new Set(expected)].sort());
  });

  it('resolves references case-insensitively (a CD copied with lower-case names)', async () => {
    const tree = join(dir.path, 'lower');
    await cp(join(pydicomTestFiles, 'dicomdirtests', 'TINY_ALPHA'), tree, { recursive: true });
    await lowerCaseTree(tree, (name) => name === 'DICOMDIR');
    const sink = new MemorySink();
    const summary = await importPaths([join(tree, 'DICOMDIR')], sink);
    const expected = await pydicomDicomdirFiles(join(pydicomTestFiles, 'dicomdirtests', 'TINY_ALPHA', 'DICOMDIR'));
    expect(expected.length).toBeGreaterThan(0);
    expect(summary.rejected).toEqual([]);
    expect(sink.committed).toHaveLength(new Set(expected).size);
  });

  it('skips a DICOMDIR met while walking a folder, and reports references that lead nowhere', async () => {
    const tree = join(dir.path, 'partial');
    await cp(join(pydicomTestFiles, 'dicomdirtests', 'TINY_ALPHA'), tree, { recursive: true });
    const walked = await importPaths([tree], new MemorySink());
    expect(walked.skipped.map((s) => relative(tree, s.path))).toEqual(['DICOMDIR', 'README']);
    const series = join(tree, 'PT000000', 'ST000000', 'SE000000');
    const victim = (await readdir(series)).sort()[0]!;
    await rename(join(series, victim), join(dir.path, 'moved-away'));
    const summary = await importPaths([join(tree, 'DICOMDIR')], new MemorySink());
    expect(summary.rejected).toHaveLength(1);
    expect(summary.rejected[0]?.path).toBe(join(series, victim));
    expect(summary.rejected[0]?.reason).toMatch(/not found/);
  });
});

describe('classifyHead', () => {
  it('tells DICOM from other files by content, not by name', async () => {
    expect(classifyHead(new Uint8Array(0))).toEqual({ kind: 'skip', reason: 'empty file' });
    expect(classifyHead(new TextEncoder().encode('hello world')).kind).toBe('skip');
    expect(classifyHead(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0])).kind).toBe('zip');
    const ct = new Uint8Array(await readFile(join(pydicomTestFiles, 'CT_small.dcm')));
    expect(classifyHead(ct)).toMatchObject({ kind: 'part10', datasetOffset: facts.get(join(pydicomTestFiles, 'CT_small.dcm'))!.datasetOffset });
    expect(classifyHead(new Uint8Array(await readFile(join(pydicomTestFiles, 'dicomdirtests', 'DICOMDIR')))).kind).toBe('dicomdir');
    expect(classifyHead(ct.subarray(0, 140)).kind).toBe('reject');
  });
});

async function lowerCaseTree(root: string, keep: (name: string) => boolean): Promise<void> {
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const from = join(root, entry.name);
    const to = keep(entry.name) ? from : join(root, entry.name.toLowerCase());
    if (to !== from) await rename(from, to);
    if (entry.isDirectory()) await lowerCaseTree(to, keep);
  }
}

