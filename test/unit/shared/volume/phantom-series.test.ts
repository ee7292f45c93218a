/**
 * The phantom series hold what their facts say, read back from the files the
 * way a viewer would (shared/dicom, Rescale applied, pixel → patient through
 * Image Position/Orientation and Pixel Spacing): the sphere is centred where
 * it should be in every acquisition, the rod has its length, and the images
 * are laid out as radiologists expect (the sphere, left-anterior-superior,
 * shows right and up on an axial slice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { add, dot, norm, scale, sub, type Vec3 } from '../../../../shared/volume/vec3.js';
import { valuesOf, type ReadSlice } from '../../../fixtures/volumes/read-slices.js';
import { phantomReader } from '../../../fixtures/volumes/phantom-reader.js';
import { tempDir } from '../../../helpers/tmp.js';

let root: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  root = await tempDir('viewbox-phantoms-');
});
afterAll(() => root.cleanup());


const write = phantomReader(() => root.path);

interface Pixel {
  slice: ReadSlice;
  column: number;
  row: number;
  at: Vec3;
}

/** Every pixel whose modality value is `value`, with its patient position. */
function pixelsOf(slices: readonly ReadSlice[], value: number): Pixel[] {
  const found: Pixel[] = [];
  for (const slice of slices) {
    const values = valuesOf(slice);
    const [rx, ry, rz, cx, cy, cz] = slice.orientation!;
    const [dr, dc] = slice.pixelSpacing!;
    const origin = slice.position as unknown as Vec3;
    values.forEach((v, n) => {
      if (v !== value) return;
      const [row, column] = [Math.floor(n / slice.columns!), n % slice.columns!];
      found.push({ slice, column, row, at: add(add(origin, scale([rx!, ry!, rz!], column * dc!)), scale([cx!, cy!, cz!], row * dr!)) });
    });
  }
  return found;
}

const centroid = (points: readonly Vec3[]): Vec3 => scale(points.reduce<Vec3>((s, p) => add(s, p), [0, 0, 0]), 1 / points.length);

describe('the sphere lies at its patient position whatever the acquisition', () => {
  it.each(['phantom-axial', 'phantom-coronal', 'phantom-sagittal', 'phantom-oblique', 'phantom-gantry-tilt', 'phantom-tilted-plane'] as const)('%s', (name) => {
    const { series, slices } = write(name);
    const { sphere } = series.facts;
    const inside = pixelsOf(slices, sphere.value);
    // A 10 mm sphere sampled on a 1 × 1 × 2 mm grid: about 4/3·π·10³ / 2 ≈ 2100 voxels.
    expect(inside.length).toBeGreaterThan(1800);
    expect(inside.length).toBeLessThan(2400);
    const centre = centroid(inside.map((p) => p.at));
    expect(norm(sub(centre, sphere.centre)), `centroid [${centre.map((v) => v.toFixed(2))}] vs [${sphere.centre}]`).toBeLessThan(0.5);
    expect(Math.max(...inside.map((p) => norm(sub(p.at, sphere.centre))))).toBeLessThanOrEqual(sphere.radiusMm + 1e-6);
  });
});

describe('layout as read', () => {
  it('axial: the sphere (patient left, anterior) is right of and above the image centre; the CT values are HU', () => {
    const { series, slices } = write('phantom-axial');
    const inside = pixelsOf(slices, series.facts.sphere.value);
    const column = inside.reduce((s, p) => s + p.column, 0) / inside.length;
    const row = inside.reduce((s, p) => s + p.row, 0) / inside.length;
    // 20 mm left and 15 mm anterior of the centre at 1 mm pixels.
    expect(column).toBeCloseTo(63.5 + 20, 0);
    expect(row).toBeCloseTo(63.5 - 15, 0);
    const values = new Set(slices.flatMap((s) => [...valuesOf(s)]));
    expect([...values].sort((a, b) => a - b)).toEqual([-1000, 40, 300, 1000]);
  });

  it('sagittal: anterior on the left, head up; the sphere (anterior, superior) is left of and above the centre', () => {
    const { series, slices } = write('phantom-sagittal');
    expect(slices[0]!.orientation).toEqual([0, 1, 0, 0, 0, -1]);
    const inside = pixelsOf(slices, series.facts.sphere.value);
    const column = inside.reduce((s, p) => s + p.column, 0) / inside.length;
    const row = inside.reduce((s, p) => s + p.row, 0) / inside.length;
    expect(column).toBeCloseTo(63.5 - 15, 0);
    expect(row).toBeCloseTo(63.5 - 12, 0);
  });
});

describe('the rod', () => {
  it('measures its length (60 mm) in the sagittal slice through it, along its direction', () => {
    const { series, slices } = write('phantom-sagittal');
    const { rod } = series.facts;
    expect(rod.lengthMm).toBeCloseTo(60, 6);
    const rodPixels = pixelsOf(slices, rod.value);
    // The sagittal slice nearest the rod's plane (x = −25 mm).
    const nearest = [...new Set(rodPixels.map((p) => p.slice))].sort((a, b) => Math.abs(a.position![0]! + 25) - Math.abs(b.position![0]! + 25))[0]!;
    const along = rodPixels.filter((p) => p.slice === nearest).map((p) => dot(sub(p.at, rod.from), rod.direction));
    expect(Math.max(...along) - Math.min(...along)).toBeGreaterThan(rod.lengthMm - 1.5);
    expect(Math.max(...along) - Math.min(...along)).toBeLessThanOrEqual(rod.lengthMm);
    expect(Math.min(...along)).toBeGreaterThanOrEqual(0);
    // Every rod pixel lies within its radius of the axis.
    for (const p of rodPixels) {
      const t = dot(sub(p.at, rod.from), rod.direction);
      expect(norm(sub(p.at, add(rod.from, scale(rod.direction, t))))).toBeLessThanOrEqual(rod.radiusMm + 1e-6);
    }
  });
});

describe('the broken phantoms say what is broken', () => {
  it('phantom-missing-slice: 63 files, instance 41 absent', () => {
    const { series, slices } = write('phantom-missing-slice');
    expect(series.facts.missingInstanceNumbers).toEqual([41]);
    expect(slices.map((s) => s.instanceNumber)).toEqual([...Array.from({ length: 40 }, (_, i) => i + 1), ...Array.from({ length: 23 }, (_, i) => i + 42)]);
  });

  it('phantom-gantry-tilt: axial orientation, positions stepping 0.54 mm in y per 2 mm slice, Gantry/Detector Tilt 15', () => {
    const { slices } = write('phantom-gantry-tilt');
    expect(slices[0]!.orientation).toEqual([1, 0, 0, 0, 1, 0]);
    const [a, b] = [slices[0]!.position!, slices[1]!.position!];
    expect(b[1]! - a[1]!).toBeCloseTo(-2 * Math.tan((15 * Math.PI) / 180), 6);
    expect(b[2]! - a[2]!).toBeCloseTo(-2, 6);
    expect(slices[0]!.dataset['00181120']?.Value).toEqual([15]);
  });
});
