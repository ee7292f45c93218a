import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DicomParseError } from '../../../../shared/dicom/dataset-parser.js';
import { FileMetaTruncatedError, encodeFileMeta, readFileMeta, type FileMeta } from '../../../../shared/dicom/file-meta.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../../../../shared/dicom/implementation.js';
import { listDcm, pydicomCharsetFiles, pydicomTestFiles } from '../../../helpers/pydicom-corpus.js';
import { pydicomRead } from './corpus-helpers.js';
import { debianPython } from './pydicom-oracle.js';
import { run } from '../../../helpers/run.js';
import { tempDir } from '../../../helpers/tmp.js';
import { writeFile } from 'node:fs/promises';

describe('readFileMeta', () => {
  it('reads group 0002 of every corpus file as pydicom does, from the first 4 KB only', async () => {
    const files = [...listDcm(pydicomTestFiles), ...listDcm(pydicomCharsetFiles)];
    const oracle = await pydicomRead(files);
    let withMeta = 0;
    for (const file of files) {
      const name = basename(file);
      const py = oracle[file];
      const head = new Uint8Array(readFileSync(file).subarray(0, 4096));
      if (name === 'meta_missing_tsyntax.dcm') {
        expect(() => readFileMeta(head)).toThrow(/no Transfer Syntax UID \(0002,0010\)/);
        continue;
      }
      const ours = readFileMeta(head);
      if (py?.error !== undefined) continue; // pydicom cannot read it (badVR.dcm): nothing to compare
      if (py?.meta == null || py.meta.transferSyntaxUid === '') {
        expect(ours, name).toBeUndefined();
        continue;
      }
      withMeta++;
      const expected: Record<string, string> = { ...py.meta };
      // Optional fields are absent when empty; the three required ones are '' when a file lacks them.
      for (const key of ['implementationClassUid', 'implementationVersionName', 'sourceApplicationEntityTitle']) if (expected[key] === '') delete expected[key];
      expect(ours?.meta, name).toEqual(expected);
    }
    expect(withMeta).toBeGreaterThan(60);
  });

  it('says how many bytes it needs when given too few', () => {
    const file = new Uint8Array(readFileSync(`${pydicomTestFiles}/CT_small.dcm`));
    const { datasetOffset } = readFileMeta(file)!;
    for (const cut of [10, 140, datasetOffset - 1]) {
      const error = (() => {
        try {
          readFileMeta(file.subarray(0, cut));
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, `cut at ${cut}`).toBeInstanceOf(FileMetaTruncatedError);
      expect(error).toBeInstanceOf(DicomParseError);
      expect((error as FileMetaTruncatedError).needed).toBeGreaterThan(cut);
      expect((error as FileMetaTruncatedError).needed).toBeLessThanOrEqual(datasetOffset);
    }
    expect(readFileMeta(file.subarray(0, datasetOffset))?.datasetOffset).toBe(datasetOffset);
  });
});

describe('encodeFileMeta', () => {
  const meta: FileMeta = {
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    mediaStorageSopInstanceUid: '1.2.3.4.5',
    sourceApplicationEntityTitle: 'MODALITY1',
  };

  it('round-trips, with Viewbox identity by default, even lengths and a correct group length', () => {
    const bytes = encodeFileMeta(meta);
    expect(Array.from(bytes.subarray(0, 128)).every((b) => b === 0)).toBe(true);
    expect(new TextDecoder().decode(bytes.subarray(128, 132))).toBe('DICM');
    const read = readFileMeta(bytes);
    expect(read).toEqual({
      meta: { ...meta, implementationClassUid: IMPLEMENTATION_CLASS_UID, implementationVersionName: IMPLEMENTATION_VERSION_NAME },
      datasetOffset: bytes.length,
    });
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getUint32(140, true)).toBe(bytes.length - 144); // (0002,0000) counts everything after itself
    // (0002,0003) UI "1.2.3.4.5" is 9 characters: length 10, padded with one NUL.
    expect(Buffer.from(bytes).includes(Buffer.from([0x02, 0x00, 0x03, 0x00, 0x55, 0x49, 10, 0, ...Buffer.from('1.2.3.4.5'), 0]))).toBe(true);
  });

  it('writes a header that DCMTK and pydicom accept', async () => {
    const dir = await tempDir();
    try {
      const dataset = new Uint8Array([0x10, 0x00, 0x10, 0x00, 0x50, 0x4e, 0x04, 0x00, 0x41, 0x5e, 0x42, 0x20]); // (0010,0010) PN "A^B "
      const path = `${dir.path}/x.dcm`;
      await writeFile(path, Buffer.concat([encodeFileMeta(meta), dataset]));
      const dump = await run('dcmdump', ['-M', path]);
      expect(dump.stderr).toBe('');
      expect(dump.stdout).toContain('(0002,0001) OB 00\\01');
      expect(dump.stdout).toContain(`(0002,0012) UI [${IMPLEMENTATION_CLASS_UID}]`);
      expect(dump.stdout).toContain('(0010,0010) PN [A^B]');
      const py = await run(debianPython, ['-c', 'import sys,pydicom; d=pydicom.dcmread(sys.argv[1]); print(d.file_meta.FileMetaInformationGroupLength, d.file_meta.SourceApplicationEntityTitle, d.PatientName)', path]);
      expect(py.stdout.trim()).toBe(`${encodeFileMeta(meta).length - 144} MODALITY1 A^B`);
    } finally {
      await dir.cleanup();
    }
  });
});
