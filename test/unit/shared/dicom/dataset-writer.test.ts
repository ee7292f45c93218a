import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDataset } from '../../../../shared/dicom/dataset-parser.js';
import { encodeDataset } from '../../../../shared/dicom/dataset-writer.js';
import { encodeFileMeta } from '../../../../shared/dicom/file-meta.js';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { EXPLICIT_VR_LE, IMPLICIT_VR_LE } from '../../../../shared/dicom/uid-registry.js';
import { run } from '../../../helpers/run.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';

const dirs = tempDirsPerTest('viewbox-dataset-writer-', afterEach);

/** A query answer with every kind of value the writer handles. */
const SAMPLE: DicomJsonDataset = {
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' }] },
  '00080020': { vr: 'DA', Value: ['20240131'] },
  '00080052': { vr: 'CS', Value: ['STUDY'] },
  '00080061': { vr: 'CS', Value: ['CT', 'MR'] },
  '0020000D': { vr: 'UI', Value: ['1.2.3.4.5'] },
  '00081030': { vr: 'LO' },
  '00100020': { vr: 'LO', Value: ['PID-7'] },
  '00201206': { vr: 'IS', Value: [3] },
  '00280030': { vr: 'DS', Value: [0.5, 0.625] },
  '00280010': { vr: 'US', Value: [512] },
  '00281052': { vr: 'DS', Value: [-1024] },
  '00189087': { vr: 'FD', Value: [1.25] },
  '00209165': { vr: 'AT', Value: ['00200032'] },
  '00420011': { vr: 'OB', InlineBinary: 'AQIDBA==' },
  '00081115': {
    vr: 'SQ',
    Value: [
      { '0020000E': { vr: 'UI', Value: ['1.2.3.4.5.6'] }, '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] } },
      { '0020000E': { vr: 'UI', Value: ['1.2.3.4.5.7'] }, '0008103E': { vr: 'LO', Value: ['Müller série'] } },
    ],
  },
};

describe('encodeDataset', () => {
  for (const [name, explicitVr, transferSyntaxUid] of [
    ['explicit VR LE', true, EXPLICIT_VR_LE],
    ['implicit VR LE', false, IMPLICIT_VR_LE],
  ] as const) {
    it(`round-trips through parseDataset (${name}): sequences, PN in three groups, non-ASCII text, numbers, empty keys`, () => {
      const bytes = encodeDataset(SAMPLE, { explicitVr });
      expect(bytes.length % 2).toBe(0);
      const back = parseDataset(bytes, { transferSyntaxUid });
      // Non-ASCII text makes the whole dataset UTF-8.
      expect(back).toEqual({ ...SAMPLE, '00080005': { vr: 'CS', Value: ['ISO_IR 192'] } });
    });
  }

  it('writes tags in ascending order with VR, the right length field size, and even padding (UI with NUL, text with space)', () => {
    const bytes = encodeDataset(
      {
        '00100020': { vr: 'LO', Value: ['ABC'] },
        '00080018': { vr: 'UI', Value: ['1.2.3'] },
        '00081030': { vr: 'UT', Value: ['x'] },
      },
      { explicitVr: true },
    );
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex).toBe(
      [
        '08001800' + '5549' + '0600' + Buffer.from('1.2.3\0').toString('hex'),
        '08003010' + '5554' + '0000' + '02000000' + Buffer.from('x ').toString('hex'),
        '10002000' + '4c4f' + '0400' + Buffer.from('ABC ').toString('hex'),
      ].join(''),
    );
    // Implicit VR: tag and a 4-byte length, no VR.
    expect(Buffer.from(encodeDataset({ '00100020': { vr: 'LO', Value: ['ABC'] } }, { explicitVr: false })).toString('hex')).toBe('10002000' + '04000000' + Buffer.from('ABC ').toString('hex'));
  });

  it('encodes empty elements with length zero (C-FIND return keys) and an empty sequence', () => {
    const bytes = encodeDataset({ '00100010': { vr: 'PN' }, '00081115': { vr: 'SQ' }, '00280010': { vr: 'US' } }, { explicitVr: true });
    expect(Buffer.from(bytes).toString('hex')).toBe('08001511' + '5351' + '0000' + '00000000' + '10001000' + '504e' + '0000' + '28001000' + '5553' + '0000');
  });

  it('keeps an all-ASCII dataset in its own character set, and replaces it with ISO_IR 192 when a value is not ASCII', () => {
    const latin1: DicomJsonDataset = { '00080005': { vr: 'CS', Value: ['ISO_IR 100'] }, '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Smith^John' }] } };
    expect(parseDataset(encodeDataset(latin1, { explicitVr: true }), { transferSyntaxUid: EXPLICIT_VR_LE })).toEqual(latin1);
    const mixed: DicomJsonDataset = { ...latin1, '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Müller^Jürgen' }, { Alphabetic: 'Ἀθηνᾶ' }] } };
    const back = parseDataset(encodeDataset(mixed, { explicitVr: true }), { transferSyntaxUid: EXPLICIT_VR_LE });
    expect(back['00080005']).toEqual({ vr: 'CS', Value: ['ISO_IR 192'] });
    expect(back['00100010']).toEqual(mixed['00100010']);
  });

  it('keeps multi-values with empty entries, shortens DS to 16 characters, writes signed and big numbers', () => {
    const back = parseDataset(
      encodeDataset(
        {
          '00080008': { vr: 'CS', Value: ['ORIGINAL', null, 'AXIAL'] },
          '00280030': { vr: 'DS', Value: [0.1 + 0.2, 1 / 3] },
          '00280106': { vr: 'SS', Value: [-2] },
          '00720082': { vr: 'SV', Value: [-2] },
          '00720083': { vr: 'UV', Value: ['18446744073709551615'] },
        },
        { explicitVr: true },
      ),
      { transferSyntaxUid: EXPLICIT_VR_LE },
    );
    expect(back['00080008']!.Value).toEqual(['ORIGINAL', null, 'AXIAL']);
    expect(back['00280030']!.Value).toEqual([0.3, 0.33333333333333]);
    expect(back['00280106']!.Value).toEqual([-2]);
    expect(back['00720082']!.Value).toEqual([-2]);
    expect(back['00720083']!.Value).toEqual(['18446744073709551615']);
  });

  it('refuses, naming the tag, values it cannot write', () => {
    expect(() => encodeDataset({ '7FE00010': { vr: 'OW', BulkDataURI: 'bulk/100/200' } }, { explicitVr: true })).toThrow(/\(7FE0,0010\).*BulkDataURI/);
    expect(() => encodeDataset({ '00280010': { vr: 'US', Value: [70000] } }, { explicitVr: true })).toThrow(/\(0028,0010\)/);
    expect(() => encodeDataset({ '00200013': { vr: 'IS', Value: [1.5] } }, { explicitVr: true })).toThrow(/\(0020,0013\)/);
    expect(() => encodeDataset({ '00100020': { vr: 'LO', Value: ['x'.repeat(70000)] } }, { explicitVr: true })).toThrow(/\(0010,0020\).*16-bit/);
    expect(() => encodeDataset({ '0010': { vr: 'LO' } }, { explicitVr: true })).toThrow(/"0010"/);
  });

  it('writes a file DCMTK dcmdump reads, values intact', async () => {
    const dir = await dirs.dataDir();
    const path = join(dir, 'answer.dcm');
    const dataset: DicomJsonDataset = {
      ...SAMPLE,
      '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
      '00080018': { vr: 'UI', Value: ['1.2.3.4.5.99'] },
    };
    const meta = encodeFileMeta({ transferSyntaxUid: EXPLICIT_VR_LE, mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.7', mediaStorageSopInstanceUid: '1.2.3.4.5.99' });
    const body = encodeDataset(dataset, { explicitVr: true });
    await writeFile(path, Buffer.concat([meta, body]));
    const result = await run('dcmdump', ['-q', '+U8', path]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('(0008,0005) CS [ISO_IR 192]');
    expect(result.stdout).toContain('(0010,0010) PN [Yamada^Tarou=山田^太郎=やまだ^たろう]');
    expect(result.stdout).toContain('(0008,103e) LO [Müller série]');
    expect(result.stdout).toContain('(0028,0030) DS [0.5\\0.625]');
    expect(result.stdout).toContain('(0028,0010) US 512');
    expect(result.stdout).toContain('(0020,9165) AT (0020,0032)');
    expect(result.stdout).toMatch(/\(0008,1030\) LO \(no value available\)/);
  });
});
