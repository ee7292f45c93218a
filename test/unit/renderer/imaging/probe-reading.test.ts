import { describe, expect, it } from 'vitest';
import { patientPosition, probeLines, type ProbeReading } from '../../../../renderer/imaging/probe-reading.js';

const ct: ProbeReading = { modality: 'CT', value: 1500, unit: 'HU', rescale: { slope: 1, intercept: -1024 }, world: [8, -12, -2], column: 40, row: 20, image: 2 };

describe('probe reading', () => {
  it('gives a CT pixel its HU, its place in the patient and its pixel index', () => {
    expect(probeLines(ct)).toEqual(['1500 HU', 'L 8.0 A 12.0 F 2.0 mm', 'Col 40 Row 20 Im 2']);
  });

  it('names each axis by the direction its coordinate points to (LPS)', () => {
    expect(patientPosition([-3.25, 4, 17.04])).toBe('R 3.3 P 4.0 H 17.0 mm');
    expect(patientPosition([0, 0, 0])).toBe('L 0.0 P 0.0 H 0.0 mm');
  });

  it('shows the stored value beside the modality value of a rescaled image other than CT', () => {
    expect(probeLines({ ...ct, modality: 'MR', unit: '', value: 4024, rescale: { slope: 2, intercept: -1024 } })?.[0]).toBe('4024 (stored 2524)');
    expect(probeLines({ ...ct, modality: 'PT', unit: 'SUV', value: 2.5, rescale: { slope: 0.001, intercept: 0 } })?.[0]).toBe('2.5 SUV (stored 2500)');
  });

  it('shows the value alone when the image is not rescaled', () => {
    expect(probeLines({ ...ct, modality: 'MR', unit: '', value: 812, rescale: { slope: 1, intercept: 0 } })?.[0]).toBe('812');
    expect(probeLines({ ...ct, modality: 'MR', unit: '', value: 812, rescale: undefined })?.[0]).toBe('812');
  });

  it('leaves the image number out when it is not known, and shows nothing without a value', () => {
    expect(probeLines({ ...ct, image: undefined })?.[2]).toBe('Col 40 Row 20');
    expect(probeLines({ ...ct, value: undefined })).toBeUndefined();
  });
});
