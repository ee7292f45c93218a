import { describe, expect, it } from 'vitest';
import { CodecError, pixelInfoOf } from '../../../../main/codec/pixel-info.js';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { corpus, instanceOf } from './codec-helpers.js';

const minimal: DicomJsonDataset = {
  '00280002': { vr: 'US', Value: [1] },
  '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
  '00280010': { vr: 'US', Value: [4] },
  '00280011': { vr: 'US', Value: [6] },
  '00280100': { vr: 'US', Value: [16] },
};

describe('pixelInfoOf', () => {
  it('reads the Image Pixel module of a real file', async () => {
    const { json } = await instanceOf(corpus('rtdose.dcm'));
    expect(pixelInfoOf(json)).toEqual({
      rows: 10,
      columns: 10,
      samplesPerPixel: 1,
      bitsAllocated: 32,
      bitsStored: 32,
      highBit: 31,
      pixelRepresentation: 0,
      photometricInterpretation: 'MONOCHROME2',
      planarConfiguration: 0,
      numberOfFrames: 15,
      pixelDataVr: 'OW',
    });
  });

  it('defaults what PS3.3 lets it default', () => {
    expect(pixelInfoOf(minimal)).toMatchObject({ bitsStored: 16, highBit: 15, pixelRepresentation: 0, planarConfiguration: 0, numberOfFrames: 1 });
  });

  it.each([
    ['00280010', 'Rows (0028,0010) is missing'],
    ['00280011', 'Columns (0028,0011) is missing'],
    ['00280100', 'Bits Allocated (0028,0100) is missing'],
    ['00280002', 'Samples per Pixel (0028,0002) is missing'],
    ['00280004', 'Photometric Interpretation (0028,0004) is missing'],
  ])('without %s: CodecError "%s"', (key, message) => {
    const { [key]: _gone, ...json } = minimal;
    expect(() => pixelInfoOf(json)).toThrow(new CodecError(message));
  });

  it('names a value it cannot use', () => {
    expect(() => pixelInfoOf({ ...minimal, '00280008': { vr: 'IS', Value: ['1A'] } })).toThrow('Number of Frames (0028,0008) is not an integer ("1A")');
    expect(() => pixelInfoOf({ ...minimal, '00280100': { vr: 'US', Value: [12] } })).toThrow('Bits Allocated (0028,0100) is 12');
  });
});
