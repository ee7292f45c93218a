/**
 * The read door: what a reader outside main/store/ gets for a held instance
 * (its row, its DICOM JSON, its bytes whole or a range of them), the same
 * from the node's archive and from the read-only door of the CLI.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { openArchiveForReading } from '../../../../main/store/read-only-index.js';
import { pydicomTestFiles } from '../../../helpers/pydicom-corpus.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';
import { openTestArchive, storeFile } from './archive-helpers.js';

const { dataDir } = tempDirsPerTest('viewbox-reader-', afterEach);
const ct = join(pydicomTestFiles, 'CT_small.dcm');

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('the archive reader', () => {
  it('finds a held instance and hands out its JSON, SHA-256, size and bytes (whole or a range) as stored', async () => {
    const dir = await dataDir();
    const archive = await openTestArchive(dir);
    const outcome = await storeFile(archive, ct);
    const stored = readFileSync(join(dir, outcome.path));
    const reader = archive.reader;

    const held = reader.getInstance(outcome.sopInstanceUid)!;
    expect(held).toMatchObject({ studyUid: outcome.studyInstanceUid, sha256: outcome.sha256, size: stored.length });
    expect(reader.listInstances({ studyUid: held.studyUid }).map((i) => i.sopInstanceUid)).toEqual([outcome.sopInstanceUid]);
    expect(reader.listSeries(held.studyUid).map((s) => s.seriesUid)).toEqual([held.seriesUid]);
    expect(reader.hasStudy(held.studyUid)).toBe(true);
    expect(reader.getInstanceJson(outcome.sopInstanceUid)?.['00080018']?.Value).toEqual([outcome.sopInstanceUid]);
    expect(JSON.parse(reader.getInstanceJsonText(outcome.sopInstanceUid)!)).toEqual(reader.getInstanceJson(outcome.sopInstanceUid));

    const whole = await bytesOf(reader.openStream(held));
    expect(createHash('sha256').update(whole).digest('hex')).toBe(held.sha256);
    expect((await bytesOf(reader.openStream(held, { offset: 128, length: 4 }))).toString('latin1')).toBe('DICM');
    expect(readFileSync(reader.fileOf(held)).equals(stored)).toBe(true);
    await archive.close();
  });

  it('the read-only door of the CLI answers the same, without the folder lock', async () => {
    const dir = await dataDir();
    expect(openArchiveForReading(dir)).toBeUndefined();
    const archive = await openTestArchive(dir);
    const outcome = await storeFile(archive, ct);
    const readOnly = openArchiveForReading(dir)!;
    try {
      const held = readOnly.getInstance(outcome.sopInstanceUid)!;
      expect(held).toEqual(archive.reader.getInstance(outcome.sopInstanceUid));
      expect(readOnly.listStudies().map((s) => s.studyUid)).toEqual([outcome.studyInstanceUid]);
      expect(readOnly.counts().instances).toBe(1);
      expect((await bytesOf(readOnly.openStream(held))).equals(readFileSync(join(dir, outcome.path)))).toBe(true);
    } finally {
      readOnly.close();
      await archive.close();
    }
  });
});
