/**
 * The real volumes as DICOM series: Debian's ch2 T1 brain MR (mricron-data)
 * in axial and sagittal slices, and the stent-graft CT (python3-imageio).
 * Each voxel lands where its source says (NIfTI's RAS affine turned into
 * LPS; the .npy array in slice order), and the series reconstruct with the
 * size and spacing of the source.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseSliceGeometry, type VolumePlan } from '../../../../shared/volume/slice-geometry.js';
import { dot, sub, type Vec3 } from '../../../../shared/volume/vec3.js';
import { writeCh2Series, type Ch2Series } from '../../../fixtures/volumes/ch2-t1-brain.js';
import { readSlices, storedPixelsOf, valuesOf, type ReadSlice } from '../../../fixtures/volumes/read-slices.js';
import { STENT_WINDOW, writeStentSeries } from '../../../fixtures/volumes/stent-ct.js';
import { tempDir } from '../../../helpers/tmp.js';

let root: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  root = await tempDir('viewbox-real-volumes-');
});
afterAll(() => root.cleanup());

const folder = (name: string) => {
  const dir = join(root.path, name);
  mkdirSync(dir);
  return dir;
};

function planOf(slices: ReadSlice[]): VolumePlan<ReadSlice> {
  const verdict = analyseSliceGeometry(slices);
  if (!verdict.reconstructable) throw new Error(verdict.reason);
  return verdict.plan;
}

/** Deterministic voxel picks: every voxel is equally likely, the same ones each run. */
function* picks(dims: readonly [number, number, number], count: number): Generator<[number, number, number]> {
  let seed = 12345;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let n = 0; n < count; n++) yield [next(dims[0]), next(dims[1]), next(dims[2])];
}

/** The stored value the DICOM series holds at patient point `p` (nearest pixel of the nearest slice). */
function dicomValueAt(plan: VolumePlan<ReadSlice>, p: Vec3, cache: Map<ReadSlice, Int16Array | Uint16Array>): number {
  const k = Math.round((dot(p, plan.normal) - plan.positionsAlongNormal[0]!) / plan.spacing.mean);
  const slice = plan.slices[k]!;
  const offset = sub(p, slice.position as unknown as Vec3);
  const column = Math.round(dot(offset, plan.rowDirection) / plan.pixelSpacing[1]);
  const row = Math.round(dot(offset, plan.columnDirection) / plan.pixelSpacing[0]);
  let pixels = cache.get(slice);
  if (!pixels) cache.set(slice, (pixels = storedPixelsOf(slice)));
  return pixels[row * plan.columns + column]!;
}

describe('ch2 T1 brain MR (mricron-data)', () => {
  let axial: Ch2Series;
  let sagittal: Ch2Series;
  beforeAll(() => {
    axial = writeCh2Series({ dir: folder('ch2-axial') });
    sagittal = writeCh2Series({ dir: folder('ch2-sagittal'), plane: 'sagittal', studyUid: axial.studyUid });
  });

  it('reads the NIfTI header: 181×217×181 uint8, 1 mm, sform, no scaling', () => {
    const { nifti } = axial;
    expect(nifti.dims).toEqual([181, 217, 181]);
    expect(nifti.datatype).toBe(2);
    expect(nifti.transform).toBe('sform');
    expect([nifti.slope, nifti.intercept]).toEqual([1, 0]);
    expect(nifti.affine.map((row) => row.slice(0, 3))).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    // RAS → LPS: the x and y rows change sign, z does not.
    expect(axial.affineLps[0]![0]).toBe(-1);
    expect(axial.affineLps[1]![1]).toBe(-1);
    expect(axial.affineLps[2]![2]).toBe(1);
    expect(axial.affineLps[0]![3]).toBe(-nifti.affine[0]![3]!);
  });

  it('axial: 181 slices of 181×217, 1 mm, patient left to the right and anterior up, in one study with the sagittal series', () => {
    const plan = planOf(readSlices(axial.files.map((f) => f.path)));
    expect(axial.files).toHaveLength(181);
    expect(plan.grid.dimensions).toEqual([181, 217, 181]);
    expect(plan.grid.spacing).toEqual([1, 1, 1]);
    expect(plan.plane).toBe('axial');
    expect(plan.slices[0]!.orientation).toEqual([1, 0, 0, 0, 1, 0]);
    expect(plan.inputOrder).toBe('along-normal');
    expect(plan.slices[0]!.dataset['00080060']?.Value).toEqual(['MR']);
    expect(sagittal.studyUid).toBe(axial.studyUid);
    expect(sagittal.frameOfReferenceUid).not.toBe(axial.frameOfReferenceUid);
  });

  it('sagittal: 181 slices of 217×181, anterior on the left and head up', () => {
    const plan = planOf(readSlices(sagittal.files.map((f) => f.path)));
    expect(plan.grid.dimensions).toEqual([217, 181, 181]);
    expect(plan.plane).toBe('sagittal');
    expect(plan.slices[0]!.orientation).toEqual([0, 1, 0, 0, 0, -1]);
  });

  it.each(['axial', 'sagittal'] as const)('%s: every sampled voxel is in the DICOM pixel at its patient position', (which) => {
    const series = which === 'axial' ? axial : sagittal;
    const plan = planOf(readSlices(series.files.map((f) => f.path)));
    const [ni, nj] = series.nifti.dims;
    const m = series.affineLps;
    const cache = new Map<ReadSlice, Int16Array | Uint16Array>();
    let nonZero = 0;
    for (const [i, j, k] of picks(series.nifti.dims, 400)) {
      const p: Vec3 = [0, 1, 2].map((r) => m[r]![0]! * i + m[r]![1]! * j + m[r]![2]! * k + m[r]![3]!) as unknown as Vec3;
      const expected = series.nifti.voxels[i + ni * (j + nj * k)]!;
      if (expected !== 0) nonZero++;
      expect(dicomValueAt(plan, p, cache), `voxel (${i}, ${j}, ${k})`).toBe(expected);
    }
    expect(nonZero).toBeGreaterThan(100);
  });
});

describe('stent-graft CT (python3-imageio stent.npz)', () => {
  it('256 axial slices of 128×128 at the chosen 1 mm, written head first, HU values as in the array', async () => {
    const series = await writeStentSeries({ dir: folder('stent') });
    expect(series.shape).toEqual([256, 128, 128]);
    const slices = readSlices(series.files.map((f) => f.path));
    const plan = planOf(slices);
    expect(plan.grid.dimensions).toEqual([128, 128, 256]);
    expect(plan.grid.spacing).toEqual([1, 1, 1]);
    expect(plan.plane).toBe('axial');
    expect(plan.inputOrder).toBe('reversed');
    expect(slices[0]!.dataset['00281050']?.Value).toEqual([STENT_WINDOW.center]);
    expect(slices[0]!.dataset['00281054']?.Value).toEqual(['HU']);
    // Instance n holds arr_0[256 − n] (the array runs feet to head), pixel for pixel, in HU.
    const size = 128 * 128;
    for (const n of [1, 2, 100, 128, 200, 256]) {
      const slice = slices.find((s) => s.instanceNumber === n)!;
      const k = 256 - n;
      expect([...valuesOf(slice)]).toEqual([...series.voxels.subarray(k * size, (k + 1) * size)]);
    }
    let max = 0;
    let min = Infinity;
    for (const v of series.voxels) [max, min] = [Math.max(max, v), Math.min(min, v)];
    expect([min, max]).toEqual([0, 2000]);
  });
});
