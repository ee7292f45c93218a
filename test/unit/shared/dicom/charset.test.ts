import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePersonNames, decodeString, unknownCharsets } from '../../../../shared/dicom/charset.js';
import { parseDataset } from '../../../../shared/dicom/dataset-parser.js';
import type { DicomJsonDataset, PersonNameJson } from '../../../../shared/dicom/json.js';
import { listDcm, pydicomCharsetFiles } from '../../../helpers/pydicom-corpus.js';
import { datasetOf, diffJson, pydicomRead } from './corpus-helpers.js';

const ESC = 0x1b;
const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));

describe('character sets against pydicom (charset_files)', () => {
  it('decodes Patient Name (all three component groups) and every other string as pydicom does', async () => {
    const files = listDcm(pydicomCharsetFiles);
    const oracle = await pydicomRead(files);
    const names: Record<string, PersonNameJson | undefined> = {};
    for (const file of files) {
      const py = oracle[file]?.json;
      expect(py, `pydicom reads ${basename(file)}`).toBeDefined();
      const { transferSyntaxUid, data, baseOffset } = datasetOf(file);
      const ours = parseDataset(data, { transferSyntaxUid, baseOffset });
      expect(diffJson(py!, ours), basename(file)).toEqual([]);
      expect(ours['00100010']?.Value, `${basename(file)} PatientName`).toEqual(py!['00100010']?.Value);
      names[basename(file)] = ours['00100010']?.Value?.[0] as PersonNameJson | undefined;
    }
    expect(files.length).toBe(17);
    // Anchors, so that a shared mistake of both readers would still show.
    expect(names['chrH31.dcm']).toEqual({ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' });
    expect(names['chrH32.dcm']).toEqual({ Alphabetic: 'ﾔﾏﾀﾞ^ﾀﾛｳ', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' });
    expect(names['chrI2.dcm']).toEqual({ Alphabetic: 'Hong^Gildong', Ideographic: '洪^吉洞', Phonetic: '홍^길동' });
    expect(names['chrX2.dcm']).toEqual({ Alphabetic: 'Wang^XiaoDong', Ideographic: '王^小东' });
    expect(names['chrArab.dcm']).toEqual({ Alphabetic: 'قباني^لنزار' });
  });

  it('decodes a nested item with its own Specific Character Set, or its parent\'s when it has none', () => {
    const nestedName = (name: string) => {
      const { transferSyntaxUid, data, baseOffset } = datasetOf(`${pydicomCharsetFiles}/${name}`);
      const json = parseDataset(data, { transferSyntaxUid, baseOffset });
      const item = json['00321064']!.Value![0] as DicomJsonDataset;
      return { top: json['00080005']!.Value, own: item['00080005']?.Value, name: item['00100010']!.Value };
    };
    const expected = [{ Alphabetic: 'ﾔﾏﾀﾞ^ﾀﾛｳ', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' }];
    // UTF-8 at the top, ISO 2022 in the item.
    expect(nestedName('chrSQEncoding.dcm')).toEqual({ top: ['ISO_IR 192'], own: ['ISO 2022 IR 13', 'ISO 2022 IR 87'], name: expected });
    // ISO 2022 at the top, inherited by the item.
    expect(nestedName('chrSQEncoding1.dcm')).toEqual({ top: ['ISO 2022 IR 13', 'ISO 2022 IR 87'], own: undefined, name: expected });
  });
});

describe('ISO 2022 code extensions (PS3.5 6.1.2.5.3)', () => {
  const jp = ['', 'ISO 2022 IR 87'];

  it('returns to the initial set at "^" and "=" in PN, so each component starts in ASCII', () => {
    // 山田^太郎 with the escape back to ASCII before each delimiter, as the standard requires.
    const pn = bytes([ESC], '$B', [0x3b, 0x33, 0x45, 0x44], [ESC], '(B^', [ESC], '$B', [0x42, 0x40, 0x4f, 0x3a], [ESC], '(B');
    expect(decodePersonNames(bytes('Yamada^Tarou=', Array.from(pn)), jp)).toEqual([{ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎' }]);
  });

  it('keeps delimiter bytes that are halves of two-byte JIS characters', () => {
    // JIS 0x3D5E ("乗"-range) contains "=" and "^" bytes: they must not split the name.
    const decoded = decodeString(bytes([ESC], '$B', [0x3d, 0x5e], [ESC], '(B'), jp, 'PN');
    expect(decoded).toHaveLength(1);
    expect(decoded).toBe(new TextDecoder('euc-jp').decode(new Uint8Array([0xbd, 0xde])));
  });

  it('resets to the initial set at a value delimiter and at control characters in text', () => {
    // A G1 Greek designation is dropped at "\", CR and TAB: the following high bytes are no longer Greek.
    const cs = ['ISO 2022 IR 100', 'ISO 2022 IR 126'];
    expect(decodeString(bytes([ESC], '-F', [0xc4], '\\', [0xc4]), cs, 'LO')).toBe('Δ\\Ä');
    expect(decodeString(bytes([ESC], '-F', [0xc4], '\r\n', [0xc4]), cs, 'LT')).toBe('Δ\r\nÄ');
    expect(decodeString(bytes([ESC], '-F', [0xc4], '\t', [0xc4]), cs, 'ST')).toBe('Δ\tÄ');
    // "^" and "=" are only delimiters in PN.
    expect(decodeString(bytes([ESC], '-F', [0xc4], '^', [0xc4]), cs, 'LO')).toBe('Δ^Δ');
    expect(decodeString(bytes([ESC], '-F', [0xc4], '^', [0xc4]), cs, 'PN')).toBe('Δ^Ä');
  });

  it('decodes JIS X 0212, GB 2312, KS X 1001, JIS X 0201 and Latin right halves', () => {
    expect(decodeString(bytes([ESC], '$(D', [0x30, 0x21], [ESC], '(B'), ['', 'ISO 2022 IR 159'], 'LO')).toBe('丂');
    expect(decodeString(bytes('Zhang', [ESC], '$)A', [0xd6, 0xd0]), ['', 'ISO 2022 IR 58'], 'LO')).toBe('Zhang中');
    expect(decodeString(bytes([ESC], '$)C', [0xc8, 0xab]), ['', 'ISO 2022 IR 149'], 'LO')).toBe('홍');
    expect(decodeString(bytes([0xd4, 0xcf]), ['ISO 2022 IR 13'], 'LO')).toBe('ﾔﾏ');
    expect(decodeString(bytes([ESC], '(J', 'A~', [ESC], '(B~'), ['', 'ISO 2022 IR 13'], 'LO')).toBe('A‾~');
    expect(decodeString(bytes('J', [0xe9], 'r', [0xf4], 'me'), ['ISO 2022 IR 100'], 'PN')).toBe('Jérôme');
  });
});

describe('single character sets and fallbacks', () => {
  it('decodes the ISO 8859 family, UTF-8, GB18030 and GBK', () => {
    expect(decodeString(bytes([0x80, 0xe9]), ['ISO_IR 100'], 'LO')).toBe('\u0080é'); // Latin-1 proper, not windows-1252
    expect(decodeString(bytes([0xb1]), ['ISO_IR 101'], 'LO')).toBe('ą');
    expect(decodeString(bytes([0xd0]), ['ISO_IR 144'], 'LO')).toBe('а');
    expect(decodeString(bytes([0xe0]), ['ISO_IR 138'], 'LO')).toBe('א');
    expect(decodeString(bytes([0xa1]), ['ISO_IR 166'], 'LO')).toBe('ก');
    expect(decodeString(new TextEncoder().encode('Jérôme'), ['ISO_IR 192'], 'PN')).toBe('Jérôme');
    expect(decodeString(bytes([0xd6, 0xd0, 0x5c]), ['GB18030'], 'LO')).toBe('中\\');
    expect(decodeString(bytes([0x81, 0x5c]), ['GBK'], 'LO')).toBe(new TextDecoder('gbk').decode(new Uint8Array([0x81, 0x5c])));
  });

  it('uses the default repertoire for VRs outside the character-set VRs', () => {
    expect(decodeString(bytes([0xe9]), ['ISO_IR 192'], 'CS')).toBe('é'); // not UTF-8: CS is default repertoire
  });

  it('falls back to Latin-1 for an unknown character set and reports it', () => {
    const warnings: string[] = [];
    expect(decodeString(bytes('Z', [0xe9]), ['ISO_IR 999'], 'LO', (m) => warnings.push(m))).toBe('Zé');
    expect(warnings).toEqual([expect.stringContaining('ISO_IR 999')]);
    expect(unknownCharsets(['', 'ISO 2022 IR 87', 'KOI8'])).toEqual(['KOI8']);
    expect(unknownCharsets(['ISO-IR 100'])).toEqual([]);
  });
});
