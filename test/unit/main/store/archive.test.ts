import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readFileMeta } from '../../../../shared/dicom/file-meta.js';
import { IngestError } from '../../../../main/store/instance-sink.js';
import { pydicomCharsetFiles, pydicomTestFiles } from '../../../helpers/pydicom-corpus.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';
import { run } from '../../../helpers/run.js';
import { datasetOf, openTestArchive, storeDataset, storeFile } from './archive-helpers.js';

const { dataDir, track } = tempDirsPerTest('viewbox-archive-', afterEach);

const ct = join(pydicomTestFiles, 'CT_small.dcm');
const mr = join(pydicomTestFiles, 'MR_small.dcm');

describe('archive', () => {
  it('stores the dataset bytes unchanged behind a File Meta, and indexes the file by its hash', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    const files = ['CT_small.dcm', 'MR_small_bigendian.dcm', 'image_dfl.dcm', 'JPEG2000.dcm', 'rtdose_rle.dcm', 'liver_1frame.dcm'];
    for (const name of files) {
      const path = join(pydicomTestFiles, name);
      const outcome = await storeFile(archive, path);
      expect(outcome.status, name).toBe('stored');
      const stored = readFileSync(join(dir, outcome.path));
      const found = readFileMeta(stored)!;
      expect(Buffer.compare(stored.subarray(found.datasetOffset), datasetOf(path).dataset), name).toBe(0);
      expect(found.meta.transferSyntaxUid).toBe(datasetOf(path).meta.transferSyntaxUid);
      expect(createHash('sha256').update(stored).digest('hex')).toBe(outcome.sha256);
      const row = archive.index.getInstance(outcome.sopInstanceUid)!;
      expect(row).toMatchObject({ path: outcome.path, sha256: outcome.sha256, size: stored.length });
    }
    expect(archive.index.getInstance(datasetOf(join(pydicomTestFiles, 'image_dfl.dcm')).meta.mediaStorageSopInstanceUid)?.deflated).toBe(true);
    expect(readdirSync(join(dir, 'staging'))).toEqual([]);
    await archive.close();
  });

  it('answers a second identical copy as already present without a second file', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    const first = await storeFile(archive, ct);
    const second = await storeFile(archive, ct, 999);
    expect(second).toMatchObject({ status: 'already-present', path: first.path });
    expect(archive.index.counts().instances).toBe(1);
    expect(archive.index.listInstanceEvents()).toEqual([]);
    await archive.close();
  });

  describe.each([
    ['keep-first', 'kept-existing', 'first'],
    ['keep-newest', 'replaced', 'second'],
    ['reject', 'rejected', 'first'],
  ] as const)('same UID, other bytes, policy %s', (policy, event, survivor) => {
    it(`keeps the ${survivor} copy and records the event`, async () => {
      const dir = await dataDir();
      const archive = await openTestArchive(dir, policy);
      const { meta, dataset } = datasetOf(ct);
      const first = await storeFile(archive, ct);
      // Same instance, one byte of a private/pixel value changed near the end.
      const altered = Buffer.from(dataset);
      altered[altered.length - 1] = altered[altered.length - 1]! ^ 0xff;
      const second = storeDataset(archive, meta.mediaStorageSopClassUid, meta.mediaStorageSopInstanceUid, meta.transferSyntaxUid, altered);
      if (policy === 'reject') {
        await expect(second).rejects.toMatchObject({ code: 'duplicate-rejected' });
      } else {
        expect((await second).status).toBe(event);
      }
      const held = archive.index.getInstance(meta.mediaStorageSopInstanceUid)!;
      const expected = survivor === 'first' ? dataset : altered;
      const stored = readFileSync(join(dir, held.path));
      expect(Buffer.compare(stored.subarray(readFileMeta(stored)!.datasetOffset), expected)).toBe(0);
      if (survivor === 'second') expect(existsSync(join(dir, first.path))).toBe(false);
      const events = archive.index.listInstanceEvents();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ sopUid: meta.mediaStorageSopInstanceUid, event, policy, heldSha256: first.sha256 });
      expect(archive.index.counts().instances).toBe(1);
      await archive.close();
    });
  });

  it('refuses a dataset whose SOP Instance UID differs from the announced one, keeping nothing', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    const { meta, dataset } = datasetOf(ct);
    const attempt = storeDataset(archive, meta.mediaStorageSopClassUid, '1.2.3.4.5', meta.transferSyntaxUid, dataset);
    await expect(attempt).rejects.toMatchObject({ code: 'uid-mismatch' });
    await expect(attempt).rejects.toThrow(/1\.2\.3\.4\.5/);
    expect(archive.index.counts().instances).toBe(0);
    expect(readdirSync(join(dir, 'staging'))).toEqual([]);
    await archive.close();
  });

  it('refuses a truncated dataset as malformed, naming the tag', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    const path = join(pydicomTestFiles, 'MR_truncated.dcm');
    const attempt = storeFile(archive, path);
    await expect(attempt).rejects.toMatchObject({ code: 'malformed' });
    await expect(attempt).rejects.toThrow(/7FE0,0010/i);
    expect(readdirSync(join(dir, 'staging'))).toEqual([]);
    await archive.close();
  });

  it('finds a patient by the alphabetic and by the ideographic form of the name', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    await storeFile(archive, join(pydicomCharsetFiles, 'chrH31.dcm'));
    for (const query of ['yamada', 'YAMADA^Tarou', '山田', 'やまだ']) {
      const found = archive.index.findPatients(query);
      expect(found, query).toHaveLength(1);
      expect(found[0]!.name).toEqual({ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' });
    }
    expect(archive.index.findPatients('suzuki')).toEqual([]);
    await archive.close();
  });

  it('records a demographic conflict once per study instead of overwriting the patient', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    await storeFile(archive, ct);
    const { meta, dataset } = datasetOf(ct);
    // Same patient ID, another name: rewrite the name bytes in place (same length keeps the dataset valid).
    const original = Buffer.from('CompressedSamples^CT1');
    const at = Buffer.from(dataset).indexOf(original);
    expect(at).toBeGreaterThan(0);
    for (const [index, uid] of ['1.2.826.0.1.3680043.2.1125.9.1', '1.2.826.0.1.3680043.2.1125.9.2'].entries()) {
      const altered = Buffer.from(dataset);
      Buffer.from('DifferentPerson^CT1XY').copy(altered, at);
      const uidAt = altered.indexOf(Buffer.from(meta.mediaStorageSopInstanceUid));
      const newUid = Buffer.alloc(meta.mediaStorageSopInstanceUid.length, 0);
      Buffer.from(uid).copy(newUid);
      newUid.copy(altered, uidAt);
      const outcome = await storeDataset(archive, meta.mediaStorageSopClassUid, uid, meta.transferSyntaxUid, altered);
      expect(outcome.status, `copy ${index}`).toBe('stored');
    }
    const conflicts = archive.index.listConflicts();
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ field: 'name', heldValue: { Alphabetic: 'CompressedSamples^CT1' }, incomingValue: { Alphabetic: 'DifferentPerson^CT1XY' } });
    expect(archive.index.findPatients('1CT1')[0]?.name).toEqual({ Alphabetic: 'CompressedSamples^CT1' });
    await archive.close();
  });

  it('repairs after a crash: staging swept, unindexed file adopted, row without file dropped', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    const kept = await storeFile(archive, ct);
    const lost = await storeFile(archive, mr);
    // Crash: the run marker stays (the OS drops the lock; here close() releases it). Simulate an OS crash that lost the last index commit, and a write in flight.
    const marker = readFileSync(join(dir, 'running.json'));
    archive.index.removeInstance(lost.sopInstanceUid);
    await archive.close();
    writeFileSync(join(dir, 'running.json'), marker);
    writeFileSync(join(dir, 'staging', 'in-flight.part'), 'partial');
    const rowOnly = await openTestArchive(await dataDir());
    await rowOnly.close();
    const reopened = await openTestArchive(dir);
    expect(readdirSync(join(dir, 'staging'))).toEqual([]);
    expect(reopened.index.getInstance(lost.sopInstanceUid)).toMatchObject({ path: lost.path, sha256: lost.sha256 });
    expect(reopened.index.getInstance(kept.sopInstanceUid)?.path).toBe(kept.path);
    await reopened.close();
    // A row whose file vanished while the node was down uncleanly.
    writeFileSync(join(dir, 'running.json'), JSON.stringify({ consistentUntil: new Date(0).toISOString() }));
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, kept.path));
    const third = await openTestArchive(dir);
    expect(third.index.getInstance(kept.sopInstanceUid)).toBeUndefined();
    expect(third.index.counts().instances).toBe(1);
    await third.close();
  });

  it('reports a full disk as disk-full and leaves nothing half-stored', async (context) => {
    const dir = await dataDir();
    mkdirSync(join(dir, 'mnt'));
    const mount = await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', join(dir, 'mnt')]);
    if (mount.code !== 0) {
      context.skip(`cannot mount a tmpfs here: ${mount.stderr.trim()}`);
      return;
    }
    track(async () => void (await run('umount', ['-l', join(dir, 'mnt')])));
    const archive = await openTestArchive(join(dir, 'mnt'));
    const { meta, dataset } = datasetOf(ct);
    const error = await storeDataset(archive, meta.mediaStorageSopClassUid, meta.mediaStorageSopInstanceUid, meta.transferSyntaxUid, padTo(dataset, 2_000_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).code).toBe('disk-full');
    expect((error as IngestError).message).toMatch(/disk full/);
    expect(readdirSync(join(dir, 'mnt', 'staging'))).toEqual([]);
    expect(archive.index.counts().instances).toBe(0);
    // Space again: the same instance is accepted.
    expect((await storeFile(archive, ct)).status).toBe('stored');
    await archive.close();
  });
});

/** The dataset with a trailing private OB element making it about `size` bytes (still valid explicit VR LE). */
function padTo(dataset: Buffer, size: number): Buffer {
  const length = Math.max(0, size - dataset.length - 12) & ~1;
  const header = Buffer.alloc(12);
  header.writeUInt16LE(0x0099, 0);
  header.writeUInt16LE(0x1000, 2);
  header.write('OB', 4, 'latin1');
  header.writeUInt32LE(length, 8);
  return Buffer.concat([dataset, header, Buffer.alloc(length)]);
}
