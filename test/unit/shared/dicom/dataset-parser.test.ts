import { describe, expect, it } from 'vitest';
import { DatasetParser, DicomParseError, parseDataset } from '../../../../shared/dicom/dataset-parser.js';
import { EXPLICIT_VR_BE, EXPLICIT_VR_LE, IMPLICIT_VR_LE } from '../../../../shared/dicom/uid-registry.js';

const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const text = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** One explicit VR element (little or big endian); length -1 = undefined. */
function el(tag: number, vr: string, value: number[], length = value.length, little = true): number[] {
  const out = new Uint8Array(LONG.has(vr) ? 12 : 8);
  const v = new DataView(out.buffer);
  v.setUint16(0, tag >>> 16, little);
  v.setUint16(2, tag & 0xffff, little);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (LONG.has(vr)) v.setUint32(8, length >>> 0, little);
  else v.setUint16(6, length, little);
  return [...out, ...value];
}
/** An item tag / delimiter (always 8 bytes). */
function item(tag: number, length: number, little = true): number[] {
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0xfffe, little);
  v.setUint16(2, tag, little);
  v.setUint32(4, length >>> 0, little);
  return [...out];
}
/** One implicit VR LE element. */
function imp(tag: number, value: number[], length = value.length): number[] {
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setUint16(0, tag >>> 16, true);
  v.setUint16(2, tag & 0xffff, true);
  v.setUint32(4, length >>> 0, true);
  return [...out, ...value];
}
const parse = (bytes: number[], transferSyntaxUid = EXPLICIT_VR_LE) => parseDataset(new Uint8Array(bytes), { transferSyntaxUid });

describe('DatasetParser values (PS3.18 F.2)', () => {
  it('splits multi-values, trims padding, gives null for empty values and no Value for empty elements', () => {
    const json = parse([
      ...el(0x00080008, 'CS', text('ORIGINAL\\\\AXIAL ')),
      ...el(0x00080050, 'SH', []),
      ...el(0x00080080, 'LO', text(' Leading kept ')),
      ...el(0x00081030, 'LO', text(' ')),
      ...el(0x00084000, 'LT', text(' a\\b  ')),
      ...el(0x00200032, 'DS', text('-1.5\\2e3 \\ 7 ')),
      ...el(0x00200013, 'IS', text('+12 ')),
    ]);
    expect(json['00080008']).toEqual({ vr: 'CS', Value: ['ORIGINAL', null, 'AXIAL'] });
    expect(json['00080050']).toEqual({ vr: 'SH' });
    expect(json['00080080']).toEqual({ vr: 'LO', Value: [' Leading kept'] });
    expect(json['00081030']).toEqual({ vr: 'LO' });
    expect(json['00084000']).toEqual({ vr: 'LT', Value: [' a\\b'] });
    expect(json['00200032']).toEqual({ vr: 'DS', Value: [-1.5, 2000, 7] });
    expect(json['00200013']).toEqual({ vr: 'IS', Value: [12] });
  });

  it('reads binary numbers and AT in the stream byte order (explicit VR big endian)', () => {
    const be = (tag: number, vr: string, bytes: number[]) => el(tag, vr, bytes, bytes.length, false);
    const json = parse(
      [
        ...be(0x00280010, 'US', [0x01, 0x02]),
        ...be(0x00280106, 'SS', [0xff, 0xfe]),
        ...be(0x00189219, 'FD', [0x3f, 0xf8, 0, 0, 0, 0, 0, 0]),
        ...be(0x00209165, 'AT', [0x00, 0x20, 0x00, 0x32]),
        ...be(0x00720082, 'SV', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]),
        ...be(0x00720083, 'UV', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      ],
      EXPLICIT_VR_BE,
    );
    expect(json['00280010']).toEqual({ vr: 'US', Value: [0x0102] });
    expect(json['00280106']).toEqual({ vr: 'SS', Value: [-2] });
    expect(json['00189219']).toEqual({ vr: 'FD', Value: [1.5] });
    expect(json['00209165']).toEqual({ vr: 'AT', Value: ['00200032'] });
    expect(json['00720082']).toEqual({ vr: 'SV', Value: [-2] });
    expect(json['00720083']).toEqual({ vr: 'UV', Value: ['18446744073709551615'] }); // beyond 2^53: digits kept
  });

  it('resolves implicit VRs from the dictionary, US/SS by Pixel Representation, private tags as UN/LO', () => {
    const json = parse(
      [
        ...imp(0x00090010, text('ACME ')),
        ...imp(0x00091001, [1, 2, 3, 4]),
        ...imp(0x00280103, [1, 0]),
        ...imp(0x00280106, [0xfe, 0xff]),
      ],
      IMPLICIT_VR_LE,
    );
    expect(json['00090010']).toEqual({ vr: 'LO', Value: ['ACME'] });
    expect(json['00091001']).toEqual({ vr: 'UN', InlineBinary: 'AQIDBA==' });
    expect(json['00280106']).toEqual({ vr: 'SS', Value: [-2] });
  });

  it('parses UN of undefined length as an implicit VR LE sequence (PS3.5 6.2.2), nested in explicit VR', () => {
    const json = parse([
      ...el(0x00091010, 'UN', [], -1),
      ...item(0xe000, -1),
      ...imp(0x00100010, text('Doe^John')),
      ...item(0xe00d, 0),
      ...item(0xe0dd, 0),
      ...el(0x00100020, 'LO', text('ID1 ')),
    ]);
    expect(json['00091010']).toEqual({ vr: 'SQ', Value: [{ '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^John' }] } }] });
    expect(json['00100020']).toEqual({ vr: 'LO', Value: ['ID1'] });
  });

  it('handles defined- and undefined-length sequences and items, nested, and empty sequences', () => {
    const inner = [...el(0x00080100, 'SH', text('T-1234')), ...el(0x00080102, 'SH', text('SRT '))];
    const json = parse([
      ...el(0x00082218, 'SQ', [...item(0xe000, inner.length), ...inner], 8 + inner.length),
      ...el(0x00400260, 'SQ', [], -1),
      ...item(0xe000, -1),
      ...el(0x00080104, 'LO', text('x ')),
      ...el(0x0040a170, 'SQ', [], 0),
      ...item(0xe00d, 0),
      ...item(0xe0dd, 0),
      ...el(0x00100010, 'PN', text('A^B')),
    ]);
    expect(json['00082218']).toEqual({ vr: 'SQ', Value: [{ '00080100': { vr: 'SH', Value: ['T-1234'] }, '00080102': { vr: 'SH', Value: ['SRT'] } }] });
    expect(json['00400260']).toEqual({ vr: 'SQ', Value: [{ '00080104': { vr: 'LO', Value: ['x'] }, '0040A170': { vr: 'SQ' } }] });
    expect(json['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'A^B' }] });
  });
});

describe('DatasetParser errors', () => {
  const error = (f: () => unknown): DicomParseError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(DicomParseError);
      return e as DicomParseError;
    }
    throw new Error('expected a DicomParseError');
  };

  it('rejects an odd length for a fixed-size VR, naming tag and offset', () => {
    const e = error(() => parse([...el(0x00080008, 'CS', text('AB')), ...el(0x00280010, 'US', [1, 2, 3])]));
    expect(e.tag).toBe('(0028,0010)');
    expect(e.offset).toBe(10);
    expect(e.message).toMatch(/\(0028,0010\) at offset 10: length 3 is not a multiple of 2 for VR US/);
  });

  it('rejects a value running past the end of its item', () => {
    const e = error(() => parse([...el(0x00082218, 'SQ', [...item(0xe000, 8), ...el(0x00080100, 'SH', text('LONGER'))], 22)]));
    expect(e.message).toMatch(/\(0008,0100\).*past the end of the enclosing item/);
  });

  it('reports data ending inside a sequence or an element', () => {
    expect(error(() => parse([...el(0x00400260, 'SQ', [], -1), ...item(0xe000, -1)])).message).toMatch(/ended inside an item/);
    expect(error(() => parse(el(0x00100010, 'PN', text('Doe'), 10))).message).toMatch(/\(0010,0010\).*ended 7 bytes before/);
    expect(error(() => parse(el(0x00100010, 'PN', []).slice(0, 5))).message).toMatch(/inside an element header/);
  });

  it('prefixes error and BulkDataURI offsets with baseOffset', () => {
    const bytes = new Uint8Array([...el(0x7fe00010, 'OW', [1, 2, 3, 4])]);
    expect(parseDataset(bytes, { transferSyntaxUid: EXPLICIT_VR_LE, baseOffset: 1000 })['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: 'bulk/1012/4' });
  });
});

describe('DatasetParser streaming', () => {
  it('skips a 1 GB Pixel Data value without buffering it', () => {
    const parser = new DatasetParser({ transferSyntaxUid: EXPLICIT_VR_LE, baseOffset: 132 });
    const gb = 1024 * 1024 * 1024;
    parser.push(new Uint8Array([...el(0x00100010, 'PN', text('Big^Image ')), ...el(0x7fe00010, 'OW', [], gb)]));
    const chunk = new Uint8Array(16 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    for (let sent = 0; sent < gb; sent += chunk.length) parser.push(chunk);
    const grown = process.memoryUsage().rss - before;
    const json = parser.end();
    expect(json['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: `bulk/${132 + 18 + 12}/${gb}` });
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });

  it('counts past a 256 MB UT (bulk data, like pixel data) without buffering or decoding it', () => {
    const parser = new DatasetParser({ transferSyntaxUid: EXPLICIT_VR_LE, baseOffset: 132 });
    const size = 256 * 1024 * 1024;
    parser.push(new Uint8Array([...el(0x00100010, 'PN', text('Big^Text')), ...el(0x0018990f, 'UT', [], size)]));
    const chunk = new Uint8Array(16 * 1024 * 1024).fill(0x41);
    const before = process.memoryUsage().rss;
    for (let sent = 0; sent < size; sent += chunk.length) parser.push(chunk);
    const grown = process.memoryUsage().rss - before;
    parser.push(new Uint8Array(el(0x0020000d, 'UI', text('1.2.3 '))));
    const json = parser.end();
    expect(json['0018990F']).toEqual({ vr: 'UT', BulkDataURI: `bulk/${132 + 16 + 12}/${size}` });
    expect(json['0020000D']).toEqual({ vr: 'UI', Value: ['1.2.3'] });
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('large non-binary values are bulk data', () => {
  const long = (n: number) => new Array<number>(n).fill(0x61);

  it('keeps text up to the threshold inline and makes longer text of any VR a BulkDataURI', () => {
    const bytes = new Uint8Array([...el(0x00084000, 'UT', long(64)), ...el(0x00204000, 'LT', long(66))]);
    const json = parseDataset(bytes, { transferSyntaxUid: EXPLICIT_VR_LE, textBulkDataThreshold: 64 });
    expect(json['00084000']).toEqual({ vr: 'UT', Value: ['a'.repeat(64)] });
    expect(json['00204000']).toEqual({ vr: 'LT', BulkDataURI: `bulk/${12 + 64 + 8}/66` });
  });

  it('does the same for numbers and for short-header VRs in implicit VR (a 32-bit length)', () => {
    const fd = new Array<number>(100 * 8).fill(0);
    const bytes = new Uint8Array([...imp(0x00081163, fd), ...imp(0x00100010, long(70 * 1024))]);
    const json = parseDataset(bytes, { transferSyntaxUid: IMPLICIT_VR_LE, textBulkDataThreshold: 512 });
    expect(json['00100010']).toEqual({ vr: 'PN', BulkDataURI: `bulk/${8 + 800 + 8}/${70 * 1024}` });
    expect(json['00081163']).toEqual({ vr: 'FD', BulkDataURI: 'bulk/8/800' });
  });

  it('defaults to 64 KiB for text and 1024 bytes for binary values', () => {
    const bytes = new Uint8Array([...el(0x00084000, 'UT', long(65536)), ...el(0x00204000, 'UT', long(65538)), ...el(0x00290010, 'OB', long(1026))]);
    const json = parse([...bytes]);
    expect(json['00084000']?.Value).toHaveLength(1);
    expect(json['00204000']).toEqual({ vr: 'UT', BulkDataURI: `bulk/${12 + 65536 + 12}/65538` });
    expect(json['00290010']?.BulkDataURI).toMatch(/^bulk\/\d+\/1026$/);
  });
});

describe('zero padding after the dataset', () => {
  const dataset = el(0x00100020, 'LO', text('PID-1 '));

  it('is read past with a warning, however the bytes are split', () => {
    const bytes = new Uint8Array([...dataset, ...new Array<number>(1000).fill(0)]);
    for (const split of [bytes.length, dataset.length + 3, 5]) {
      const warnings: string[] = [];
      const parser = new DatasetParser({ transferSyntaxUid: EXPLICIT_VR_LE, onWarning: (w) => warnings.push(w) });
      for (let at = 0; at < bytes.length; at += split) parser.push(bytes.subarray(at, at + split));
      expect(parser.end()['00100020']?.Value).toEqual(['PID-1']);
      expect(warnings).toEqual(['1000 bytes of zero padding after the dataset were ignored']);
    }
  });

  it('refuses data after the padding, saying where', () => {
    const bytes = [...dataset, ...new Array<number>(40).fill(0), 7];
    expect(() => parse(bytes)).toThrow(DicomParseError);
    expect(() => parse(bytes)).toThrow(/data after 40 bytes of zero padding at the end of the dataset/);
  });
});

describe('a stray command group length', () => {
  it('is accepted first in a dataset (as DCMTK sends zero-padded files), other group 0000 starts are not', () => {
    const dataset = [...el(0x00000000, 'UL', [0, 0, 0, 0]), ...el(0x00100020, 'LO', text('PID-1 '))];
    expect(parse(dataset)['00100020']?.Value).toEqual(['PID-1']);
    expect(() => parse([...el(0x00000100, 'US', [1, 0]), ...el(0x00100020, 'LO', text('PID-1 '))])).toThrow(/implausible first element/);
  });
});
