/**
 * Start-up repair after an unclean stop. A crash is simulated by never calling
 * close() (the run marker stays) and by editing the store or the index the way
 * an OS crash could have left them.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../../../main/store/archive.js';
import { ArchiveIndex } from '../../../../main/index/archive-index.js';
import { silentLogger } from '../../../../main/log.js';
import { RUNNING_MARKER } from '../../../../main/store/layout.js';
import { recoverArchive } from '../../../../main/store/recovery.js';
import { pydicomTestFiles } from '../../../helpers/pydicom-corpus.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';
import { datasetOf, openTestArchive, storeDataset, storeFile } from './archive-helpers.js';

const { dataDir } = tempDirsPerTest('viewbox-recovery-', afterEach);

const ctPath = join(pydicomTestFiles, 'CT_small.dcm');
const ct = datasetOf(ctPath);

/**
 * The process dies: the OS drops its lock on the folder (here: the archive is
 * closed, which also releases it) and the run marker stays, saying "unclean
 * since `consistentUntil`".
 */
async function crash(archive: Archive, dir: string, consistentUntil: Date): Promise<void> {
  await archive.close();
  writeFileSync(join(dir, RUNNING_MARKER), JSON.stringify({ consistentUntil: consistentUntil.toISOString() }));
}

/** The CT with its last pixel byte changed: same instance, other bytes. */
function otherCopy(): Buffer {
  const copy = Buffer.from(ct.dataset);
  copy[copy.length - 1] = copy[copy.length - 1]! ^ 0xff;
  return copy;
}

/** Store the other copy in a scratch archive and put its file into `dir`'s store, as a rename that happened just before a crash. */
async function strayCopyInto(dir: string): Promise<string> {
  const scratchDir = await dataDir();
  const scratch = await openTestArchive(scratchDir);
  const outcome = await storeDataset(scratch, ct.meta.mediaStorageSopClassUid, ct.meta.mediaStorageSopInstanceUid, ct.meta.transferSyntaxUid, otherCopy());
  await scratch.close();
  mkdirSync(dirname(join(dir, outcome.path)), { recursive: true });
  copyFileSync(join(scratchDir, outcome.path), join(dir, outcome.path));
  return outcome.path;
}

describe('recovery after an unclean stop', () => {
  it('a clean close leaves nothing to repair', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    await storeFile(archive, ctPath);
    await archive.close();
    expect(existsSync(join(dir, RUNNING_MARKER))).toBe(false);
    const reopened = await openTestArchive(dir);
    expect(reopened.recovery).toEqual({ stagingSwept: 0, reindexed: 0, strayFilesRemoved: 0, quarantined: 0, rowsDropped: 0 });
    await reopened.close();
  });

  it('removes a renamed file whose commit was lost when the held copy is still there', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir, 'keep-newest');
    const held = await storeFile(archive, ctPath);
    await crash(archive, dir, new Date());
    const stray = await strayCopyInto(dir);
    const reopened = await openTestArchive(dir, 'keep-newest');
    expect(reopened.recovery).toMatchObject({ strayFilesRemoved: 1, reindexed: 0 });
    expect(existsSync(join(dir, stray))).toBe(false);
    expect(reopened.index.getInstance(ct.meta.mediaStorageSopInstanceUid)).toMatchObject({ path: held.path, sha256: held.sha256 });
    await reopened.close();
  });

  it('re-indexes the only remaining copy when the index still points at a deleted older one', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir, 'keep-newest');
    const held = await storeFile(archive, ctPath);
    // Received before the last consistent point, so the row itself is not re-checked; its file is gone.
    await crash(archive, dir, new Date());
    const survivor = await strayCopyInto(dir);
    rmSync(join(dir, held.path));
    const reopened = await openTestArchive(dir, 'keep-newest');
    expect(reopened.recovery).toMatchObject({ reindexed: 1, strayFilesRemoved: 0 });
    const row = reopened.index.getInstance(ct.meta.mediaStorageSopInstanceUid)!;
    expect(row).toMatchObject({ path: survivor, source: 'recovery' });
    expect(row.sha256).not.toBe(held.sha256);
    expect(reopened.index.counts()).toMatchObject({ instances: 1, series: 1, studies: 1 });
    await reopened.close();
  });

  it('moves a store file that cannot be read back to quarantine/ instead of deleting it', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    const outcome = await storeFile(archive, ctPath);
    await crash(archive, dir, new Date(0));
    const broken = join(dirname(join(dir, outcome.path)), 'broken.dcm');
    writeFileSync(broken, 'not DICOM at all');
    const reopened = await openTestArchive(dir);
    expect(reopened.recovery).toMatchObject({ quarantined: 1, reindexed: 0, rowsDropped: 0 });
    expect(existsSync(broken)).toBe(false);
    const [kept] = readdirSync(join(dir, 'quarantine'));
    expect(readFileSync(join(dir, 'quarantine', kept!), 'utf8')).toBe('not DICOM at all');
    expect(reopened.index.getInstance(ct.meta.mediaStorageSopInstanceUid)?.path).toBe(outcome.path);
    await reopened.close();
  });

  it('scans only the day folders since the last consistent point', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir, 'keep-newest');
    const held = await storeFile(archive, ctPath);
    await crash(archive, dir, new Date());
    // An unindexed copy filed under a day long before the consistent point is not looked at...
    const stray = await strayCopyInto(dir);
    const old = join(dir, 'store', '2000', '01', '01', 'x', 'old.dcm');
    mkdirSync(dirname(old), { recursive: true });
    copyFileSync(join(dir, stray), old);
    rmSync(join(dir, stray));
    const reopened = await openTestArchive(dir, 'keep-newest');
    expect(reopened.recovery).toMatchObject({ reindexed: 0, strayFilesRemoved: 0, quarantined: 0 });
    expect(existsSync(old)).toBe(true);
    expect(reopened.index.getInstance(ct.meta.mediaStorageSopInstanceUid)?.path).toBe(held.path);
    await crash(reopened, dir, new Date('1999-12-31T12:00:00Z'));
    // ...but is, once the consistent point is older than that day.
    const again = await openTestArchive(dir, 'keep-newest');
    expect(again.recovery).toMatchObject({ strayFilesRemoved: 1 });
    expect(existsSync(old)).toBe(false);
    await again.close();
  });

  it('keeps a file whose row was committed between the listing and the check: it is no stray', async () => {
    // The interleaving that lost acknowledged instances when a second process ran recovery beside a node:
    // the file was listed while the node had renamed it into place but not yet indexed it (hasPath false),
    // and by the time its SOP Instance UID was looked up, the node had committed the row for this very file.
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    const stored = await storeFile(archive, ctPath);
    await archive.close();
    const index = new ArchiveIndex(join(dir, 'index.sqlite'));
    const listedTooEarly = Object.assign(Object.create(index) as ArchiveIndex, { hasPath: () => false });
    try {
      const report = await recoverArchive({ dataDir: dir, index: listedTooEarly, logger: silentLogger, uncleanSince: new Date(Date.now() - 60_000) });
      expect(report).toMatchObject({ strayFilesRemoved: 0, reindexed: 0 });
      expect(existsSync(join(dir, stored.path)), 'the acknowledged instance keeps its file').toBe(true);
    } finally {
      index.close();
    }
  });
});
