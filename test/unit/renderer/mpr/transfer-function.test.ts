/** The transfer-function editor's model: Slicer presets read, points moved within their neighbours, the histogram. */
import { describe, expect, it } from 'vitest';
import { addColorPoint, addOpacityPoint, colorAt, histogramOf, moveOpacityPoint, opacityAt, parseSlicerPoints, recolourPoint, removeOpacityPoint, transferFunctionOf } from '../../../../renderer/mpr/transfer-function.js';

// Cornerstone's (3D Slicer's) CT-Bone preset.
const CT_BONE = {
  scalarOpacity: '8 -3024 0 -16.4458 0 641.385 0.715686 3071 0.705882',
  colorTransfer: '16 -3024 0 0 0 -16.4458 0.729412 0.254902 0.301961 641.385 0.905882 0.815686 0.552941 3071 1 1 1',
};

describe('transfer function', () => {
  it('reads a Slicer preset into opacity and colour points', () => {
    const tf = transferFunctionOf(CT_BONE);
    expect(tf.opacity).toEqual([
      { value: -3024, opacity: 0 },
      { value: -16.4458, opacity: 0 },
      { value: 641.385, opacity: 0.715686 },
      { value: 3071, opacity: 0.705882 },
    ]);
    expect(tf.color[3]).toEqual({ value: 3071, rgb: [1, 1, 1] });
    expect(() => parseSlicerPoints('3 0 1 2', 2)).toThrow('not a opacity point list: "3 0 1 2"');
    expect(() => parseSlicerPoints('8 0 0 0', 4)).toThrow(/not a colour point list/);
  });

  it('interpolates opacity and colour as vtk.js does, flat beyond the ends', () => {
    const tf = transferFunctionOf(CT_BONE);
    expect(opacityAt(tf, -2000)).toBe(0);
    expect(opacityAt(tf, (641.385 - 16.4458) / 2)).toBeCloseTo(0.715686 / 2, 6);
    expect(opacityAt(tf, 5000)).toBeCloseTo(0.705882, 6);
    expect(colorAt(tf, 3071)).toEqual([1, 1, 1]);
    expect(colorAt(tf, -5000)).toEqual([0, 0, 0]);
  });

  it('keeps a moved point between its neighbours and its opacity within 0..1', () => {
    const tf = transferFunctionOf(CT_BONE);
    expect(moveOpacityPoint(tf, 2, 5000, 1.4).opacity[2]).toEqual({ value: 3071, opacity: 1 });
    expect(moveOpacityPoint(tf, 2, -9000, -1).opacity[2]).toEqual({ value: -16.4458, opacity: 0 });
    expect(moveOpacityPoint(tf, 2, 300, 0.5).opacity[2]).toEqual({ value: 300, opacity: 0.5 });
    expect(moveOpacityPoint(tf, 9, 0, 0)).toBe(tf);
  });

  it('adds points where the curve is, removes inner ones, keeps the ends', () => {
    const tf = transferFunctionOf(CT_BONE);
    const added = addOpacityPoint(tf, 300);
    expect(added.opacity.map((p) => p.value)).toEqual([-3024, -16.4458, 300, 641.385, 3071]);
    expect(added.opacity[2]!.opacity).toBeCloseTo(opacityAt(tf, 300), 9);
    expect(removeOpacityPoint(added, 2).opacity).toEqual(tf.opacity);
    expect(removeOpacityPoint(tf, 0)).toBe(tf);
    expect(removeOpacityPoint(tf, 3)).toBe(tf);
    const coloured = recolourPoint(addColorPoint(tf, 1000), 3, [1, 0, 0]);
    expect(coloured.color.map((p) => p.value)).toEqual([-3024, -16.4458, 641.385, 1000, 3071]);
    expect(coloured.color[3]!.rgb).toEqual([1, 0, 0]);
  });

  it('counts values into equal bins over their range, reading every stride-th voxel', () => {
    const slices = [Int16Array.from([-1000, -1000, 0, 0]), Int16Array.from([0, 1000, 1000, 1000])];
    expect(histogramOf(slices, 4)).toEqual({ min: -1000, max: 1000, counts: [2, 0, 3, 3] });
    expect(histogramOf(slices, 2, 2)).toEqual({ min: -1000, max: 1000, counts: [1, 3] });
    expect(histogramOf([], 3)).toEqual({ min: 0, max: 0, counts: [0, 0, 0] });
  });
});
