import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DicomParseError, parseDataset, sniffTransferSyntax } from '../../../../shared/dicom/dataset-parser.js';
import { listDcm, pydicomCharsetFiles, pydicomTestFiles } from '../../../helpers/pydicom-corpus.js';
import { datasetOf, diffJson, parseInChunks, pydicomRead, type OracleResult } from './corpus-helpers.js';

/** Files that are broken on purpose; each has its own test below. */
const BROKEN = new Set(['MR_truncated.dcm', 'rtplan_truncated.dcm', 'meta_missing_tsyntax.dcm', 'no_meta.dcm']);

const files = [...listDcm(pydicomTestFiles), ...listDcm(pydicomCharsetFiles)];
let oracle: Record<string, OracleResult>;

beforeAll(async () => {
  oracle = await pydicomRead(files);
});

describe('dataset parser on the pydicom corpus', () => {
  it('reads every file pydicom reads to the same DICOM JSON', () => {
    const compared: string[] = [];
    const problems: string[] = [];
    for (const file of files) {
      const name = basename(file);
      const py = oracle[file];
      if (BROKEN.has(name) || py?.json === undefined) continue;
      const { transferSyntaxUid, data, baseOffset } = datasetOf(file);
      const ours = parseDataset(data, { transferSyntaxUid, baseOffset });
      problems.push(...diffJson(py.json, ours).map((d) => `${name}: ${d}`));
      compared.push(name);
    }
    expect(problems).toEqual([]);
    expect(compared.length).toBeGreaterThan(70);
  });

  it('gives the same result whatever the chunk boundaries (1 byte, 7 bytes, 64 KB)', () => {
    for (const file of files) {
      if (BROKEN.has(basename(file))) continue;
      const { transferSyntaxUid, data, baseOffset } = datasetOf(file);
      const whole = parseDataset(data, { transferSyntaxUid, baseOffset });
      for (const size of [1, 7, 65536]) {
        expect(parseInChunks(data, size, { transferSyntaxUid, baseOffset }), `${basename(file)} in ${size}-byte chunks`).toEqual(whole);
      }
    }
  });

  it('points BulkDataURI at the exact bytes of native pixel data', () => {
    const file = `${pydicomTestFiles}/CT_small.dcm`;
    const { transferSyntaxUid, data, baseOffset } = datasetOf(file);
    const json = parseDataset(data, { transferSyntaxUid, baseOffset });
    const uri = json['7FE00010']?.BulkDataURI;
    expect(uri).toMatch(/^bulk\/\d+\/\d+$/);
    const [, offset, length] = uri!.split('/').map(Number) as [number, number, number];
    const fileBytes = readFileSync(file);
    const expected = Buffer.from(oracle[file]!.json!['7FE00010']!.InlineBinary!, 'base64');
    expect(length).toBe(128 * 128 * 2);
    expect(fileBytes.subarray(offset, offset + length).equals(expected)).toBe(true);
  });

  it('gives encapsulated pixel data its real length, items and sequence delimiter included', () => {
    for (const name of ['JPEG2000.dcm', 'MR_small_RLE.dcm', 'JPEG2000-embedded-sequence-delimiter.dcm']) {
      const file = `${pydicomTestFiles}/${name}`;
      const { transferSyntaxUid, data, baseOffset } = datasetOf(file);
      const uri = parseDataset(data, { transferSyntaxUid, baseOffset })['7FE00010']?.BulkDataURI;
      const [, offset, length] = uri!.split('/').map(Number) as [number, number, number];
      const fileBytes = readFileSync(file);
      expect(fileBytes.readUInt32LE(offset), `${name}: value starts with an item tag`).toBe(0xe000fffe);
      expect(fileBytes.readUInt32LE(offset + length - 8), `${name}: value ends with the sequence delimiter`).toBe(0xe0ddfffe);
    }
  });

  it('keeps small binary values inline and turns long ones into BulkDataURI by the threshold', () => {
    const { transferSyntaxUid, data, baseOffset } = datasetOf(`${pydicomTestFiles}/CT_small.dcm`);
    const small = parseDataset(data, { transferSyntaxUid, baseOffset, bulkDataThreshold: 1 << 20 });
    expect(small['7FE00010']?.BulkDataURI).toBeDefined(); // pixel data: always bulk
    expect(small['7FE00010']?.InlineBinary).toBeUndefined();
    const waveform = datasetOf(`${pydicomTestFiles}/waveform_ecg.dcm`);
    const inline = parseDataset(waveform.data, { ...waveform, bulkDataThreshold: 1 << 20 });
    const bulk = parseDataset(waveform.data, { ...waveform, bulkDataThreshold: 16 });
    const waveformData = (d: typeof inline) => (d['54000100']!.Value![0] as Record<string, { InlineBinary?: string; BulkDataURI?: string }>)['54001010']!;
    expect(waveformData(inline).InlineBinary).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(waveformData(bulk).BulkDataURI).toMatch(/^bulk\/\d+\/\d+$/);
  });
});

describe('broken and unusual files', () => {
  it('MR_truncated.dcm: a DicomParseError naming Pixel Data and the offset where the data ended', () => {
    const { transferSyntaxUid, data, baseOffset } = datasetOf(`${pydicomTestFiles}/MR_truncated.dcm`);
    const error = catchError(() => parseDataset(data, { transferSyntaxUid, baseOffset }));
    expect(error).toBeInstanceOf(DicomParseError);
    expect(error.tag).toBe('(7FE0,0010)');
    expect(error.offset).toBe(baseOffset + data.length);
    expect(error.message).toMatch(/\(7FE0,0010\).*offset \d+.*data ended \d+ bytes before/);
  });

  it('rtplan_truncated.dcm: a DicomParseError naming the element cut short', () => {
    const { transferSyntaxUid, data, baseOffset } = datasetOf(`${pydicomTestFiles}/rtplan_truncated.dcm`);
    const error = catchError(() => parseDataset(data, { transferSyntaxUid, baseOffset }));
    expect(error).toBeInstanceOf(DicomParseError);
    expect(error.tag).toBe('(300A,012C)');
    expect(error.message).toContain('(300A,012C)');
  });

  it('badVR.dcm: the invalid IS "1A" is kept as a string, the other values parse (pydicom refuses the file)', () => {
    expect(oracle[`${pydicomTestFiles}/badVR.dcm`]?.error).toMatch(/1A/);
    const { transferSyntaxUid, data, baseOffset } = datasetOf(`${pydicomTestFiles}/badVR.dcm`);
    const json = parseDataset(data, { transferSyntaxUid, baseOffset });
    expect(json['00280008']).toEqual({ vr: 'IS', Value: ['1A'] });
    expect(json['00280010']).toEqual({ vr: 'US', Value: [10] });
    expect(json['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'Lastname^Firstname' }] });
  });

  it('no_meta.dcm is not a dataset: it starts with a stray byte, and pydicom reads it as one garbage element', () => {
    const py = oracle[`${pydicomTestFiles}/no_meta.dcm`]?.json;
    expect(Object.keys(py ?? {})).toEqual(['08200500']); // (0008,0005) shifted by one byte
    const bytes = new Uint8Array(readFileSync(`${pydicomTestFiles}/no_meta.dcm`));
    expect(sniffTransferSyntax(bytes)).toBeUndefined();
    expect(sniffTransferSyntax(bytes.subarray(1))).toBe('1.2.840.10008.1.2.1');
    const json = parseDataset(bytes.subarray(1), { transferSyntaxUid: '1.2.840.10008.1.2.1' });
    expect(json['00100010']?.Value).toEqual([{ Alphabetic: 'CompressedSamples^CT1' }]);
  });

  it('sniffs the encoding of raw datasets', () => {
    const raw = (name: string) => new Uint8Array(readFileSync(`${pydicomTestFiles}/${name}`));
    expect(sniffTransferSyntax(raw('ExplVR_LitEndNoMeta.dcm'))).toBe('1.2.840.10008.1.2.1');
    expect(sniffTransferSyntax(raw('ExplVR_BigEndNoMeta.dcm'))).toBe('1.2.840.10008.1.2.2');
    expect(sniffTransferSyntax(datasetOf(`${pydicomTestFiles}/MR_small_implicit.dcm`).data)).toBe('1.2.840.10008.1.2');
    expect(sniffTransferSyntax(datasetOf(`${pydicomTestFiles}/MR_small_bigendian.dcm`).data)).toBe('1.2.840.10008.1.2.2');
    expect(sniffTransferSyntax(new TextEncoder().encode('%PDF-1.4 not dicom at all'))).toBeUndefined();
    expect(sniffTransferSyntax(raw('CT_small.dcm'))).toBeUndefined(); // a preamble of zeros
  });

  it('rejects bytes that are not a dataset, naming the offset', () => {
    const error = catchError(() => parseDataset(new TextEncoder().encode('<html><body>hello</body></html>'), { transferSyntaxUid: '1.2.840.10008.1.2.1' }));
    expect(error).toBeInstanceOf(DicomParseError);
    expect(error.message).toMatch(/offset 0/);
  });
});

function catchError(f: () => unknown): DicomParseError {
  try {
    f();
  } catch (e) {
    return e as DicomParseError;
  }
  throw new Error('expected an error');
}
