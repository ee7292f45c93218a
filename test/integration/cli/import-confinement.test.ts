/**
 * `viewbox import` keeps to the folder it is given. A DICOMDIR's references
 * that leave the medium's folder (a "/" inside a component, "..", a symbolic
 * link to a file elsewhere) or name something that is not a regular file (a
 * FIFO, which would block an open forever) are refused and reported in the
 * summary's skipped list; the medium's legitimate references still import.
 * Folder walks do not follow links out of the folder either.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, symlink } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { run } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { pydicomDicomdirFiles, pydicomFacts } from '../../unit/main/import/pydicom-files.js';
import { assertBuilt, isolatedEnv, viewbox } from './viewbox-cli.js';
import type { ImportSummary } from '../../../main/import/import-paths.js';

const TINY_ALPHA = join(pydicomTestFiles, 'dicomdirtests', 'TINY_ALPHA');
const OUTSIDE_SOURCE = join(pydicomTestFiles, 'CT_small.dcm');
/** Well under a second here; a FIFO that blocks an open would never finish. */
const IMPORT_TIMEOUT_MS = 15_000;

let dir: { path: string; cleanup: () => Promise<void> };
let env: NodeJS.ProcessEnv;
let outsideFile: string;
let outsideStudyUid: string;
let mediaReferences: number;
let cases = 0;

beforeAll(async () => {
  assertBuilt();
  dir = await tempDir('viewbox-import-confinement-');
  env = isolatedEnv(dir.path);
  // A DICOM file beside the media folders, where no reference may reach.
  await mkdir(join(dir.path, 'outside'));
  outsideFile = join(dir.path, 'outside', 'X.DCM');
  await cp(OUTSIDE_SOURCE, outsideFile);
  outsideStudyUid = (await pydicomFacts([outsideFile])).get(outsideFile)!.studyInstanceUid;
  mediaReferences = new Set(await pydicomDicomdirFiles(join(TINY_ALPHA, 'DICOMDIR'))).size;
});
afterAll(() => dir.cleanup());

/** A copy of TINY_ALPHA (at DIR/<name>/MEDIA) whose first image record references `fileId` instead of its own file. */
async function mediaWith(name: string, fileId: string | string[]): Promise<string> {
  const media = join(dir.path, name, 'MEDIA');
  await cp(TINY_ALPHA, media, { recursive: true });
  const made = await run('/usr/bin/python3', ['-c', `
import json, sys, warnings
from pydicom import dcmread
warnings.simplefilter('ignore')
ds = dcmread(sys.argv[1])
record = next(r for r in ds.DirectoryRecordSequence if 'ReferencedFileID' in r)
record.ReferencedFileID = json.loads(sys.argv[2])
ds.save_as(sys.argv[1])
`, join(media, 'DICOMDIR'), JSON.stringify(fileId)]);
  expect(made.code, made.stderr).toBe(0);
  return media;
}

async function importDicomdir(media: string): Promise<{ code: number | null; summary: ImportSummary; stderr: string }> {
  const data = join(dir.path, `archive-${++cases}`);
  const r = await viewbox(['import', '--data', data, '--json', join(media, 'DICOMDIR')], env, IMPORT_TIMEOUT_MS);
  expect(r.signal, `import did not finish within ${IMPORT_TIMEOUT_MS} ms; stderr: ${r.stderr}`).toBeNull();
  return { code: r.code, summary: JSON.parse(r.stdout) as ImportSummary, stderr: r.stderr };
}

/** The refused reference is in `skipped` with a reason, nothing outside was imported, and every other reference was. */
function expectRefused(summary: ImportSummary, path: string, reason: RegExp): void {
  expect(summary.skipped, JSON.stringify(summary.skipped)).toContainEqual({ path, reason: expect.stringMatching(reason) });
  expect(summary.studies).not.toContain(outsideStudyUid);
  expect(summary.imported + summary.alreadyPresent + summary.keptExisting).toBe(mediaReferences - 1);
  expect(summary.rejected).toEqual([]);
}

describe('viewbox import of a DICOMDIR', () => {
  it('refuses a Referenced File ID component holding "/" that climbs out of the medium', async () => {
    const media = await mediaWith('slash', '../outside/X.DCM');
    const r = await importDicomdir(media);
    expect(r.code, r.stderr).toBe(0);
    expectRefused(r.summary, `${media}${sep}../outside/X.DCM`, /"\/"/);
  });

  it('reports references with ".." components instead of dropping them silently', async () => {
    const media = await mediaWith('dotdot', ['..', 'outside', 'X.DCM']);
    const r = await importDicomdir(media);
    expect(r.code, r.stderr).toBe(0);
    expectRefused(r.summary, [media, '..', 'outside', 'X.DCM'].join(sep), /"\.\."/);
  });

  it('refuses a symbolic link inside the medium that leads to a file outside it', async () => {
    const media = await mediaWith('link', ['PT000000', 'LINK']);
    await symlink(outsideFile, join(media, 'PT000000', 'LINK'));
    const r = await importDicomdir(media);
    expect(r.code, r.stderr).toBe(0);
    expectRefused(r.summary, join(media, 'PT000000', 'LINK'), /outside/);
  });

  it('skips a reference to a FIFO without opening it, and finishes', async () => {
    const media = await mediaWith('fifo', ['PT000000', 'FIFO']);
    execFileSync('mkfifo', [join(media, 'PT000000', 'FIFO')]);
    const started = performance.now();
    const r = await importDicomdir(media);
    expect(performance.now() - started).toBeLessThan(IMPORT_TIMEOUT_MS);
    expect(r.code, r.stderr).toBe(0);
    expectRefused(r.summary, join(media, 'PT000000', 'FIFO'), /not a regular file/);
  });

  it('still follows a link that stays inside the medium', async () => {
    const media = await mediaWith('inner-link', ['PT000000', 'INNER']);
    await symlink(join(media, 'PT000000', 'ST000000', 'SE000000', 'IM000000'), join(media, 'PT000000', 'INNER'));
    const r = await importDicomdir(media);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary).toMatchObject({ imported: mediaReferences, rejected: [], skipped: [] });
  });
});

describe('viewbox import of a folder', () => {
  it('does not follow links out of the folder and never opens a FIFO', async () => {
    const folder = join(dir.path, 'walk');
    await mkdir(folder);
    await cp(join(pydicomTestFiles, 'MR_small.dcm'), join(folder, 'a.dcm'));
    await symlink(join(folder, 'a.dcm'), join(folder, 'b-inner-link.dcm'));
    await symlink(outsideFile, join(folder, 'c-outer-link.dcm'));
    execFileSync('mkfifo', [join(folder, 'd-fifo.dcm')]);
    await symlink(join(folder, 'd-fifo.dcm'), join(folder, 'e-link-to-fifo.dcm'));
    const r = await viewbox(['import', '--data', join(dir.path, 'walk-archive'), '--json', folder], env, IMPORT_TIMEOUT_MS);
    expect(r.signal, `import did not finish; stderr: ${r.stderr}`).toBeNull();
    const summary = JSON.parse(r.stdout) as ImportSummary;
    expect(r.code, r.stderr).toBe(0);
    expect(summary).toMatchObject({ imported: 1, alreadyPresent: 1, rejected: [] });
    expect(summary.studies).not.toContain(outsideStudyUid);
    expect(summary.skipped).toEqual([
      { path: join(folder, 'c-outer-link.dcm'), reason: expect.stringMatching(/outside/) },
      { path: join(folder, 'd-fifo.dcm'), reason: expect.stringMatching(/not a regular file/) },
      { path: join(folder, 'e-link-to-fifo.dcm'), reason: expect.stringMatching(/not a regular file/) },
    ]);
  });
});
