import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../main/log.js';
import { openArchive } from '../../../../main/store/archive.js';
import { readFileMeta } from '../../../../shared/dicom/file-meta.js';
import { pydicomTestFiles } from '../../../helpers/pydicom-corpus.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';
import { datasetOf, openTestArchive, storeDataset } from './archive-helpers.js';

const { dataDir } = tempDirsPerTest('viewbox-writer-', afterEach);

const ct = datasetOf(join(pydicomTestFiles, 'CT_small.dcm'));
const { mediaStorageSopClassUid: sopClass, mediaStorageSopInstanceUid: sopUid, transferSyntaxUid: syntax } = ct.meta;

/** Every file under the archive's store/ folder. */
function storedFiles(dir: string): string[] {
  return (readdirSync(join(dir, 'store'), { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; name: string }>)
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe('instance writer', () => {
  it('writes the calling AE as Source AE and the negotiated syntax into the File Meta', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    const writer = archive.begin({
      sopClassUid: sopClass,
      sopInstanceUid: sopUid,
      transferSyntaxUid: syntax,
      source: { kind: 'dimse', callingAe: 'MODALITY_7', calledAe: 'VIEWBOX', remoteAddress: '127.0.0.1' },
    });
    await writer.write(ct.dataset);
    const outcome = await writer.commit();
    const meta = readFileMeta(readFileSync(join(dir, outcome.path)))!.meta;
    expect(meta).toMatchObject({ sourceApplicationEntityTitle: 'MODALITY_7', transferSyntaxUid: syntax, mediaStorageSopInstanceUid: sopUid });
    expect(archive.index.getInstance(sopUid)).toMatchObject({ sourceAe: 'MODALITY_7', source: 'dimse:MODALITY_7@127.0.0.1' });
    await archive.close();
  });

  it('refuses an object over the size limit as too-large, and abort leaves nothing', async () => {
    const dir = await dataDir();
    const limit = Math.floor(ct.dataset.length / 2);
    const archive = await openArchive({ dataDir: dir, duplicates: 'keep-first', maxObjectBytes: limit, logger: silentLogger });
    const attempt = storeDataset(archive, sopClass, sopUid, syntax, ct.dataset, 4096);
    await expect(attempt).rejects.toMatchObject({ code: 'too-large' });
    await expect(attempt).rejects.toThrow(String(limit));
    expect(readdirSync(join(dir, 'staging'))).toEqual([]);
    expect(archive.index.counts().instances).toBe(0);
    await archive.close();
  });

  it('abort removes the staging file, never rejects, and a later commit is refused', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    const writer = archive.begin({ sopClassUid: sopClass, sopInstanceUid: sopUid, transferSyntaxUid: syntax, source: { kind: 'import', path: 'x' } });
    // More than one write batch, so the staging file exists on disk.
    for (let i = 0; i < 40; i++) await writer.write(ct.dataset);
    expect(readdirSync(join(dir, 'staging'))).toHaveLength(1);
    await expect(writer.abort('association aborted')).resolves.toBeUndefined();
    await expect(writer.abort('again')).resolves.toBeUndefined();
    expect(readdirSync(join(dir, 'staging'))).toEqual([]);
    await expect(writer.commit()).rejects.toMatchObject({ code: 'aborted' });
    expect(archive.index.counts().instances).toBe(0);
    await archive.close();
  });

  it('serialises concurrent commits of one SOP Instance UID: identical copies give one file', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    const outcomes = await Promise.all([1, 2, 3].map(() => storeDataset(archive, sopClass, sopUid, syntax, ct.dataset, 1000)));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already-present', 'already-present', 'stored']);
    expect(new Set(outcomes.map((o) => o.path)).size).toBe(1);
    expect(storedFiles(dir)).toHaveLength(1);
    await archive.close();
  });

  it('serialises concurrent commits of one SOP Instance UID: different copies under keep-newest end in one row and one file', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir, 'keep-newest');
    const copies = [0, 1, 2].map((n) => {
      const copy = Buffer.from(ct.dataset);
      copy[copy.length - 1] = n;
      return copy;
    });
    const outcomes = await Promise.all(copies.map((copy) => storeDataset(archive, sopClass, sopUid, syntax, copy, 1000)));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['replaced', 'replaced', 'stored']);
    const held = archive.index.getInstance(sopUid)!;
    expect(storedFiles(dir)).toEqual([held.path.split('/').pop()]);
    expect(archive.index.listInstanceEvents()).toHaveLength(2);
    expect(archive.index.counts()).toMatchObject({ instances: 1, series: 1, studies: 1 });
    await archive.close();
  });
});

describe.each([1, 7, 16 * 1024, 1 << 20])('chunks of %i bytes', (chunk) => {
  it('store the same bytes and the same index row', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    const outcome = await storeDataset(archive, sopClass, sopUid, syntax, ct.dataset, chunk);
    const stored = readFileSync(join(dir, outcome.path));
    expect(Buffer.compare(stored.subarray(readFileMeta(stored)!.datasetOffset), ct.dataset)).toBe(0);
    expect(archive.index.getInstanceJson(sopUid)?.['7FE00010']?.BulkDataURI).toMatch(/^bulk\/\d+\/\d+$/);
    await archive.close();
  });
});
