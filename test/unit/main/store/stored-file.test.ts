/**
 * Reading a stored file's dataset back for sending: where it begins, and its
 * bytes in one pass when small enough, whatever the size of the File Meta.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedDatasetRange } from '../../../../main/store/stored-file.js';
import { encodeElement, encodeElements, newUid } from '../../../fixtures/part10-writer.js';
import { tempDir } from '../../../helpers/tmp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir('viewbox-stored-file-');
});
afterAll(() => dir?.cleanup());

/** A Part 10 file whose File Meta carries `privateBytes` of Private Information (0002,0102). */
function part10(name: string, privateBytes: number, datasetBytes: number): { path: string; dataset: Buffer; metaLength: number } {
  const body = encodeElements([
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
    { tag: 0x00020003, vr: 'UI', value: newUid() },
    { tag: 0x00020010, vr: 'UI', value: '1.2.840.10008.1.2.1' },
    { tag: 0x00020012, vr: 'UI', value: '1.2.3.4' },
    ...(privateBytes > 0 ? [{ tag: 0x00020100, vr: 'UI', value: '1.2.3.4.5' }, { tag: 0x00020102, vr: 'OB', value: new Uint8Array(privateBytes).fill(7) }] : []),
  ]);
  const meta = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), encodeElement({ tag: 0x00020000, vr: 'UL', value: body.length }), body]);
  const dataset = encodeElements([{ tag: 0x7fe00010, vr: 'OB', value: new Uint8Array(datasetBytes).map((_, i) => i % 251) }]);
  const path = join(dir.path, name);
  writeFileSync(path, Buffer.concat([meta, dataset]));
  return { path, dataset, metaLength: meta.length };
}

describe('stored dataset range', () => {
  it.each([
    ['a small file', 0, 1000],
    ['a File Meta longer than the first read', 10_000, 1000],
    ['a dataset larger than the first read', 0, 100_000],
  ])('finds and reads the dataset of %s', async (_, privateBytes, datasetBytes) => {
    const file = part10(`f-${privateBytes}-${datasetBytes}.dcm`, privateBytes, datasetBytes);
    const whole = await storedDatasetRange(file.path, { readWholeUpTo: 1 << 20 });
    expect([whole.offset, whole.length]).toEqual([file.metaLength, file.dataset.length]);
    expect(Buffer.from(whole.bytes!).equals(file.dataset)).toBe(true);
    const range = await storedDatasetRange(file.path);
    expect([range.offset, range.length, range.bytes]).toEqual([file.metaLength, file.dataset.length, undefined]);
  });

  it('leaves a dataset above the limit to be streamed', async () => {
    const file = part10('big.dcm', 0, 200_000);
    const range = await storedDatasetRange(file.path, { readWholeUpTo: 100_000 });
    expect([range.offset, range.length, range.bytes]).toEqual([file.metaLength, file.dataset.length, undefined]);
  });

  it('names the file that is not Part 10', async () => {
    const path = join(dir.path, 'not-dicom.dcm');
    writeFileSync(path, Buffer.alloc(300));
    await expect(storedDatasetRange(path)).rejects.toThrow(/not-dicom\.dcm: not a Part 10 file/);
  });
});
