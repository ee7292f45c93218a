/** Pure parts of the viewer: layouts, series and image order, orientation letters, windows. */
import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { assignSeries, defaultLayout, layoutById, oneAndStack } from '../../../../renderer/imaging/layouts.js';
import { edgeMarkers, orientationLabel } from '../../../../shared/volume/orientation-labels.js';
import { seriesOfStudy } from '../../../../renderer/imaging/study-series.js';
import { CT_PRESETS, voiRangeOf, windowOf } from '../../../../renderer/imaging/voi-presets.js';

describe('layouts', () => {
  it('opens a study with a viewport per series, side by side first, at most 4×4', () => {
    expect([1, 2, 3, 4, 5, 7, 9, 11, 20].map((n) => defaultLayout(n).id)).toEqual(['1x1', '1x2', '1x3', '2x2', '2x3', '2x4', '3x3', '3x4', '4x4']);
  });

  it('builds 1+2 and 1+3 with one tall viewport on the left', () => {
    expect(oneAndStack(3).cells).toEqual([
      { row: 0, col: 0, rowSpan: 3, colSpan: 1 },
      { row: 0, col: 1, rowSpan: 1, colSpan: 1 },
      { row: 1, col: 1, rowSpan: 1, colSpan: 1 },
      { row: 2, col: 1, rowSpan: 1, colSpan: 1 },
    ]);
    expect(layoutById('1+2')?.cells).toHaveLength(3);
    expect(layoutById('4x4')?.cells).toHaveLength(16);
    expect(layoutById('5x5')).toBeUndefined();
  });

  it('keeps what viewports show when the layout changes, and fills new ones with series not shown', () => {
    expect(assignSeries([], 4, 3)).toEqual([0, 1, 2, -1]);
    expect(assignSeries([2, 0], 4, 4)).toEqual([2, 0, 1, 3]);
    expect(assignSeries([2, 0, 1], 1, 3)).toEqual([2]);
  });
});

function instance(series: string, sop: string, fields: { number?: number; position?: number[]; orientation?: number[]; frames?: number; pixels?: boolean; seriesNumber?: number }): DicomJsonDataset {
  const ds: DicomJsonDataset = {
    '0020000D': { vr: 'UI', Value: ['1.2.3'] },
    '0020000E': { vr: 'UI', Value: [series] },
    '00080018': { vr: 'UI', Value: [sop] },
    '00200011': { vr: 'IS', Value: [fields.seriesNumber ?? 1] },
    '00200013': { vr: 'IS', Value: [fields.number ?? 1] },
  };
  if (fields.pixels !== false) ds['7FE00010'] = { vr: 'OW', BulkDataURI: 'http://x/frames' };
  if (fields.position) ds['00200032'] = { vr: 'DS', Value: fields.position };
  if (fields.orientation) ds['00200037'] = { vr: 'DS', Value: fields.orientation };
  if (fields.frames) ds['00280008'] = { vr: 'IS', Value: [fields.frames] };
  return ds;
}

const url = ({ sopInstanceUid, frame }: { sopInstanceUid: string; frame: number }) => `http://node/${sopInstanceUid}/frames/${frame}`;
const AXIAL = [1, 0, 0, 0, 1, 0];

describe('series of a study', () => {
  it('orders series by number and images head first along the slice normal, whatever the instance numbers', () => {
    const series = seriesOfStudy(
      [
        instance('s2', 'b1', { seriesNumber: 2, number: 1, position: [0, 0, -10], orientation: AXIAL }),
        instance('s2', 'b2', { seriesNumber: 2, number: 2, position: [0, 0, 10], orientation: AXIAL }),
        instance('s2', 'b3', { seriesNumber: 2, number: 3, position: [0, 0, 0], orientation: AXIAL }),
        instance('s1', 'a1', { seriesNumber: 1 }),
      ],
      url,
    );
    expect(series.map((s) => s.seriesUid)).toEqual(['s1', 's2']);
    expect(series[1]!.images.map((i) => i.sopInstanceUid)).toEqual(['b2', 'b3', 'b1']);
  });

  it('falls back to instance numbers without geometry, gives each frame an image, and leaves out objects without pixels', () => {
    const [series] = seriesOfStudy(
      [instance('s', 'm2', { number: 2 }), instance('s', 'm1', { number: 1, frames: 3 }), instance('s', 'sr', { number: 0, pixels: false })],
      url,
    );
    expect(series!.images.map((i) => i.imageId)).toEqual(['wadors:http://node/m1/frames/1', 'wadors:http://node/m1/frames/2', 'wadors:http://node/m1/frames/3', 'wadors:http://node/m2/frames/1']);
  });
});

describe('orientation markers', () => {
  it('name the patient directions (LPS) with DICOM letters', () => {
    expect(orientationLabel([1, 0, 0])).toBe('L');
    expect(orientationLabel([-1, 0, 0])).toBe('R');
    expect(orientationLabel([0, -1, 0])).toBe('A');
    expect(orientationLabel([0, 0, 1])).toBe('H');
    expect(orientationLabel([0, 0, -1])).toBe('F');
  });

  it('give oblique directions a letter per noticeable axis, the main one first', () => {
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    expect(orientationLabel([s, c, 0])).toBe('PL');
    expect(orientationLabel([0.97, 0.17, 0.17])).toBe('L');
  });

  it('mark a standard axial view R on the left, A at the top', () => {
    expect(edgeMarkers([1, 0, 0], [0, 1, 0])).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  });
});

describe('windows', () => {
  it('maps a window to the range of the DICOM LINEAR function and back', () => {
    for (const preset of CT_PRESETS) {
      const back = windowOf(voiRangeOf(preset.width, preset.center));
      expect(back.width).toBeCloseTo(preset.width, 9);
      expect(back.center).toBeCloseTo(preset.center, 9);
    }
    expect(voiRangeOf(400, 40)).toEqual({ lower: -160, upper: 239 });
  });
});
