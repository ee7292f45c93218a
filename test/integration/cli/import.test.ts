import { createHash } from 'node:crypto';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { run } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { pydicomDicomdirFiles, pydicomFacts, type PydicomFacts } from '../../unit/main/import/pydicom-files.js';
import { assertBuilt, isolatedEnv, viewbox } from './viewbox-cli.js';
import type { ImportSummary } from '../../../main/import/import-paths.js';

type Summary = ImportSummary;

let dir: { path: string; cleanup: () => Promise<void> };
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  assertBuilt();
  dir = await tempDir('viewbox-import-cli-');
  env = isolatedEnv(dir.path);
});
afterAll(() => dir.cleanup());

async function importJson(data: string, paths: string[]): Promise<{ code: number | null; summary: Summary; stderr: string }> {
  const r = await viewbox(['import', '--data', data, '--json', ...paths], env);
  return { code: r.code, summary: JSON.parse(r.stdout) as Summary, stderr: r.stderr };
}

/** What the archive holds for a file: it is the same instance only if UID, syntax, class and dataset bytes are. */
async function contentKey(f: PydicomFacts): Promise<string> {
  const bytes = (await readFile(f.path)).subarray(f.datasetOffset ?? 0);
  return createHash('sha256').update(`${f.sopInstanceUid}|${f.sopClassUid}|${f.transferSyntaxUid}|`).update(bytes).digest('hex');
}

/** Expected counts for files imported in this order under keep-first: first of a UID imported, same content already present, other content kept existing. */
async function expectedCounts(files: PydicomFacts[]): Promise<{ imported: number; alreadyPresent: number; keptExisting: number; studies: Set<string> }> {
  const held = new Map<string, string>();
  const counts = { imported: 0, alreadyPresent: 0, keptExisting: 0, studies: new Set<string>() };
  for (const f of files) {
    const key = await contentKey(f);
    const first = held.get(f.sopInstanceUid);
    if (first === undefined) {
      held.set(f.sopInstanceUid, key);
      counts.imported++;
      counts.studies.add(f.studyInstanceUid);
    } else if (first === key) counts.alreadyPresent++;
    else counts.keptExisting++;
  }
  return counts;
}

describe('viewbox import', () => {
  it('imports a folder of the pydicom corpus plus a README and a JPEG; a second import finds everything present', async () => {
    const folder = join(dir.path, 'corpus');
    await cp(pydicomTestFiles, folder, { recursive: true, filter: (src) => !src.includes('dicomdirtests') });
    await writeFile(join(folder, 'README.txt'), 'Exported from the CD of Mrs Example.\n');
    await writeFile(join(folder, 'scan.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]));
    const names = (await readdir(folder)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const paths = names.map((n) => join(folder, n));
    const facts = await pydicomFacts(paths);
    const data = join(dir.path, 'archive');

    const first = await importJson(data, [folder]);
    const { summary } = first;
    const rejected = new Set(summary.rejected.map((r) => r.path));
    const skipped = new Set(summary.skipped.map((r) => r.path));

    // Known-broken corpus files are rejected, each with a reason; nothing pydicom sees as a DICOM instance is skipped.
    expect([...rejected]).toEqual(expect.arrayContaining([join(folder, 'MR_truncated.dcm'), join(folder, 'rtplan_truncated.dcm')]));
    for (const r of summary.rejected) expect(r.reason.length, r.path).toBeGreaterThan(10);
    expect([...skipped]).toEqual(expect.arrayContaining(['README.txt', 'scan.jpg', 'test1.json', 'rtplan.dump', 'zipMR.gz'].map((n) => join(folder, n))));
    for (const path of skipped) expect(facts.get(path)?.sopInstanceUid ?? '', path).toBe('');
    expect(first.code).toBe(rejected.size > 0 ? 1 : 0);

    // Every other file was stored once per distinct instance, in walk order.
    const accepted = paths.filter((p) => !rejected.has(p) && !skipped.has(p)).map((p) => facts.get(p)!);
    const expected = await expectedCounts(accepted);
    expect(expected.keptExisting + expected.alreadyPresent).toBeGreaterThan(0); // the corpus does share SOP Instance UIDs
    expect({ imported: summary.imported, alreadyPresent: summary.alreadyPresent, keptExisting: summary.keptExisting }).toEqual({
      imported: expected.imported,
      alreadyPresent: expected.alreadyPresent,
      keptExisting: expected.keptExisting,
    });
    expect(summary.imported + summary.alreadyPresent + summary.keptExisting + rejected.size + skipped.size).toBe(paths.length);

    const again = await importJson(data, [folder]);
    expect(again.summary.imported).toBe(0);
    expect(again.summary.alreadyPresent + again.summary.keptExisting).toBe(accepted.length);
    expect(again.summary.rejected.length).toBe(rejected.size);

    // The human summary says the same, naming each rejected file.
    const text = await viewbox(['import', '--data', data, folder], env);
    expect(text.stdout).toMatch(/^imported: 0$/m);
    expect(text.stdout).toMatch(new RegExp(`^already present: ${accepted.length}\\b`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^rejected: ${rejected.size}$`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^skipped: ${skipped.size}$`, 'm'));
    for (const path of rejected) expect(text.stdout).toContain(`  ${path}: `);
    expect(text.stderr).not.toMatch(/\[#*\.*\]/); // no progress bar when stderr is not a terminal

    // The studies listing shows every study that received an instance.
    const studies = await viewbox(['studies', '--data', data, '--json'], env);
    expect(studies.code, studies.stderr).toBe(0);
    for (const uid of expected.studies) expect(studies.stdout, uid).toContain(uid);
    const table = await viewbox(['studies', '--data', data], env);
    expect(table.stdout.split('\n')[0]).toMatch(/PATIENT\s+DATE\s+MODALITIES\s+DESCRIPTION\s+SERIES\/INSTANCES\s+STUDY UID/);
  });

  it('imports the DICOM entries of a zip archive', async () => {
    const names = ['CT_small.dcm', 'MR_small.dcm', 'ExplVR_LitEndNoMeta.dcm', 'README.txt'];
    const zip = join(dir.path, 'export.zip');
    const made = await run('/usr/bin/python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for p in sys.argv[2:]:
        z.write(p, 'EXPORT/IMAGES/' + p.split('/')[-1])
`, zip, ...names.map((n) => join(pydicomTestFiles, n))]);
    expect(made.code, made.stderr).toBe(0);
    const r = await importJson(join(dir.path, 'zip-archive'), [zip]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary).toMatchObject({ imported: 3, alreadyPresent: 0, keptExisting: 0, rejected: [] });
    expect(r.summary.skipped.map((s) => s.path)).toEqual([`${zip}!/EXPORT/IMAGES/README.txt`]);
  });

  it('imports the files a DICOMDIR references', async () => {
    const dicomdir = join(pydicomTestFiles, 'dicomdirtests', 'DICOMDIR');
    const referenced = [...new Set(await pydicomDicomdirFiles(dicomdir))];
    const facts = await pydicomFacts(referenced);
    const expected = await expectedCounts(referenced.map((p) => facts.get(p)!));
    const data = join(dir.path, 'dicomdir-archive');
    const r = await importJson(data, [dicomdir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary).toMatchObject({ imported: expected.imported, alreadyPresent: expected.alreadyPresent, keptExisting: expected.keptExisting, rejected: [], skipped: [] });
    const studies = await viewbox(['studies', '--data', data, '--json'], env);
    for (const uid of expected.studies) expect(studies.stdout).toContain(uid);
  });

  it('exits 2 on a usage error and names a missing path as rejected', async () => {
    expect((await viewbox(['import', '--data', join(dir.path, 'x')], env)).code).toBe(2);
    const missing = join(dir.path, 'no-such-folder');
    const r = await importJson(join(dir.path, 'x'), [missing]);
    expect(r.code).toBe(1);
    expect(r.summary.rejected).toEqual([{ path: missing, reason: 'no such file or folder' }]);
  });
});

describe('viewbox patients conflicts', () => {
  it('lists conflicting demographics received for one patient', async () => {
    // Two corpus files of one Patient ID whose names differ would be ideal; build them from CT_small with pydicom instead.
    const a = join(dir.path, 'conflict-a.dcm');
    const b = join(dir.path, 'conflict-b.dcm');
    const made = await run('/usr/bin/python3', ['-c', `
import sys, pydicom
from pydicom.uid import generate_uid
ds = pydicom.dcmread(sys.argv[1])
ds.PatientID = 'CONFLICT-1'
ds.PatientName = 'Doe^Jane'
ds.save_as(sys.argv[2])
ds.PatientName = 'Roe^Jane'
ds.SOPInstanceUID = generate_uid()
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
ds.save_as(sys.argv[3])
`, join(pydicomTestFiles, 'CT_small.dcm'), a, b]);
    expect(made.code, made.stderr).toBe(0);
    const data = join(dir.path, 'conflicts');
    expect((await importJson(data, [a, b])).summary.imported).toBe(2);
    const r = await viewbox(['patients', 'conflicts', '--data', data], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('CONFLICT-1');
    expect(r.stdout).toContain('Doe^Jane');
    expect(r.stdout).toContain('Roe^Jane');
  });
});
