/** What a volume costs before it is loaded, and what is offered when it does not fit. */
import { describe, expect, it } from 'vitest';
import { budgetBytes, bytesPerVoxelOf, checkBudget, offerLabel, volumeBytes, volumeShapeOf, type Machine, type VolumeShape } from '../../../../shared/volume/volume-budget.js';
import type { VolumeGrid } from '../../../../shared/volume/slice-geometry.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** This machine's Chromium: SwiftShader, no norm16, 8192 texels a side. */
const swiftShader = (memoryBytes: number): Machine => ({ memoryBytes, max3dTexture: 8192, norm16: false });
const ct = (slices: number): VolumeShape => ({ columns: 512, rows: 512, slices, bytesPerVoxel: 2, spacingMm: [0.7, 0.7, 0.625] });

describe('cost', () => {
  it('16-bit voxels in JS plus a float texture without norm16; 16-bit textures with norm16 or half float', () => {
    const shape = ct(500); // the benchmark's 512×512×500 CT: 250 MB of voxels
    expect(volumeBytes(shape, swiftShader(8 * GB))).toBe(512 * 512 * 500 * (2 + 4));
    expect(volumeBytes(shape, { ...swiftShader(8 * GB), norm16: true })).toBe(512 * 512 * 500 * (2 + 2));
    expect(volumeBytes(shape, { ...swiftShader(8 * GB), halfFloat: true })).toBe(512 * 512 * 500 * (2 + 2));
    expect(volumeBytes({ ...shape, bytesPerVoxel: 1 }, swiftShader(8 * GB))).toBe(512 * 512 * 500 * 2);
    expect(volumeBytes({ ...shape, bytesPerVoxel: 4 }, swiftShader(8 * GB))).toBe(512 * 512 * 500 * 8);
  });

  it('bytes per voxel: 16-bit stays 16-bit while the rescale is whole and in range; otherwise float', () => {
    expect(bytesPerVoxelOf({ bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 1, rescaleSlope: 1, rescaleIntercept: -1024 })).toBe(4); // −32768−1024 leaves int16
    expect(bytesPerVoxelOf({ bitsAllocated: 16, bitsStored: 12, pixelRepresentation: 0, rescaleSlope: 1, rescaleIntercept: -1024 })).toBe(2); // classic CT
    expect(bytesPerVoxelOf({ bitsAllocated: 16, bitsStored: 12, pixelRepresentation: 1, rescaleSlope: 1, rescaleIntercept: 0 })).toBe(2);
    expect(bytesPerVoxelOf({ bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 0 })).toBe(2); // MR, no rescale
    expect(bytesPerVoxelOf({ bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 0, rescaleSlope: 1, rescaleIntercept: -1024 })).toBe(4);
    expect(bytesPerVoxelOf({ bitsAllocated: 16, bitsStored: 15, pixelRepresentation: 0, rescaleSlope: 0.0123 })).toBe(4); // PET-like slope
    expect(bytesPerVoxelOf({ bitsAllocated: 8 })).toBe(1);
    expect(bytesPerVoxelOf({ bitsAllocated: 32 })).toBe(4);
  });

  it('a tilt-corrected grid costs its padded size', () => {
    const grid: VolumeGrid = { origin: [0, 0, 0], dimensions: [128, 162, 64], spacing: [1, 1, 2], direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] };
    expect(volumeShapeOf(grid, 2)).toEqual({ columns: 128, rows: 162, slices: 64, bytesPerVoxel: 2, spacingMm: [1, 1, 2] });
  });
});

describe('budget', () => {
  it('half the device memory by default; a configured budget wins', () => {
    expect(budgetBytes(swiftShader(8 * GB))).toBe(4 * GB);
    expect(budgetBytes(swiftShader(8 * GB), { budgetBytes: 300 * MB })).toBe(300 * MB);
    expect(budgetBytes(swiftShader(8 * GB), { memoryShare: 0.25 })).toBe(2 * GB);
  });

  it('a 512×512×500 CT fits on an 8 GB machine', () => {
    const verdict = checkBudget(ct(500), swiftShader(8 * GB));
    expect(verdict).toEqual({ fits: true, bytes: 750 * MB, voxelBytes: 250 * MB, textureBytes: 500 * MB, budgetBytes: 4 * GB });
  });

  it('a 2,500-slice CT on a 4 GB machine: a clear reason, then decimation of the thinnest axis, a slab, the stack', () => {
    const verdict = checkBudget(ct(2500), swiftShader(4 * GB));
    if (verdict.fits) throw new Error('expected not to fit');
    expect(verdict.reason).toBe('The series needs about 3.7 GB as a volume (512×512×2500: 1.2 GB of voxels and 2.4 GB of texture); this computer allows 2.0 GB for one.');
    expect(verdict.offers.map((o) => o.kind)).toEqual(['decimate', 'slab', 'stack']);
    const [decimate, slab] = verdict.offers;
    // Every 2nd slice gives 1.25 mm slices: coarser than 0.7 mm pixels ×2 would be (1.4 mm).
    expect(decimate).toMatchObject({ kind: 'decimate', inPlane: 1, slices: 2, shape: { columns: 512, rows: 512, slices: 1250 } });
    expect(slab).toEqual({ kind: 'slab', count: 1365, bytes: 1365 * 512 * 512 * 6 });
    expect(verdict.offers.map(offerLabel)).toEqual([
      'Reduced volume 512×512×1250 (every 2nd slice) — 1.8 GB',
      '1365 slices around the current one, full resolution — 2.0 GB',
      'Stay in the stack view',
    ]);
  });

  it('5 mm MR slices give up in-plane pixels, not slices', () => {
    const mr: VolumeShape = { columns: 1024, rows: 1024, slices: 200, bytesPerVoxel: 2, spacingMm: [0.43, 0.43, 5] };
    const verdict = checkBudget(mr, swiftShader(2 * GB));
    if (verdict.fits) throw new Error('expected not to fit');
    expect(verdict.offers[0]).toMatchObject({ kind: 'decimate', inPlane: 2, slices: 1 });
  });

  it('more slices than the GPU draws along a side: says so, and offers what stays within it', () => {
    const machine: Machine = { memoryBytes: 64 * GB, max3dTexture: 2048, norm16: true };
    const verdict = checkBudget(ct(3000), machine);
    if (verdict.fits) throw new Error('expected not to fit');
    expect(verdict.reason).toBe('The series is 512×512×3000: this graphics processor draws volumes of at most 2048 voxels along each side.');
    expect(verdict.offers[0]).toMatchObject({ kind: 'decimate', inPlane: 1, slices: 2 });
    expect(verdict.offers[1]).toMatchObject({ kind: 'slab', count: 2048 });
  });

  it('a limited image cache is a limit too', () => {
    const verdict = checkBudget(ct(500), { ...swiftShader(16 * GB), cacheBytes: 200 * MB });
    if (verdict.fits) throw new Error('expected not to fit');
    expect(verdict.reason).toBe('The series needs 250 MB of images as a volume (512×512×500); the image cache holds 200 MB.');
    expect(verdict.offers[1]).toEqual({ kind: 'slab', count: 400, bytes: 400 * 512 * 512 * 6 });
  });

  it('when not even a reduced volume or three slices fit, only the stack is offered', () => {
    const verdict = checkBudget(ct(500), swiftShader(4 * MB));
    if (verdict.fits) throw new Error('expected not to fit');
    expect(verdict.offers).toEqual([{ kind: 'stack' }]);
  });
});
