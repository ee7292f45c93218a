/**
 * Will a volume fit? Before any voxel is fetched, the cost of a series as a
 * volume is estimated and held against a budget; when it does not fit, the
 * user is offered what does (a decimated volume, a slab of consecutive
 * slices, or the stack view) instead of a crash or a frozen window.
 *
 * The cost has two parts. The voxels in JS memory, in their native type
 * (16-bit for CT and MR; never a float copy unless the rescale needs one).
 * And the GPU texture: 16-bit with norm16 textures; without them (SwiftShader
 * here, many WebGL2 drivers) 16-bit data is uploaded as 32-bit float, or as
 * half float when the renderer prefers size over accuracy. A volume longer
 * than the GPU's 3D texture limit along any side cannot be drawn at all.
 */
import type { VolumeGrid } from './slice-geometry.js';

export interface VolumeShape {
  columns: number;
  rows: number;
  slices: number;
  /** Bytes per voxel in JS memory: 1, 2, or 4 (float, when the rescale is not integral). See bytesPerVoxelOf. */
  bytesPerVoxel: number;
  /** mm between columns, rows, slices: lets decimation keep voxels as even as it can. */
  spacingMm?: readonly [number, number, number] | undefined;
}

export interface Machine {
  /** Device memory, bytes (Electron: the machine's; browsers: navigator.deviceMemory, rounded and capped at 8 GB). */
  memoryBytes: number;
  /** The GPU's MAX_3D_TEXTURE_SIZE. */
  max3dTexture: number;
  /** EXT_texture_norm16: 16-bit textures without a float copy. */
  norm16: boolean;
  /** Without norm16, 16-bit data goes up as half float instead of float (Cornerstone's preferSizeOverAccuracy). */
  halfFloat?: boolean | undefined;
  /** Bytes the image cache may hold (the volume's voxels live there), if it is limited below the budget. */
  cacheBytes?: number | undefined;
}

export interface BudgetOptions {
  /** A configured budget for one volume, bytes; overrides the share of device memory. */
  budgetBytes?: number | undefined;
  /** Share of device memory one volume may use (default MEMORY_SHARE). */
  memoryShare?: number | undefined;
}

/** Share of the device memory one volume may take, voxels and texture together: the rest is the app, the OS and other windows. */
export const MEMORY_SHARE = 0.5;
/** A volume needs at least this many slices to be one (as slice-geometry's MIN_SLICES). */
const MIN_SLAB = 3;
/** Decimation factors tried, per axis. */
const FACTORS = [1, 2, 3, 4] as const;

export type Offer =
  | { kind: 'decimate'; /** factor for columns and rows */ inPlane: number; /** factor for slices */ slices: number; bytes: number; shape: VolumeShape }
  | { kind: 'slab'; /** consecutive full-resolution slices */ count: number; bytes: number }
  | { kind: 'stack' };

export type BudgetVerdict =
  | { fits: true; bytes: number; voxelBytes: number; textureBytes: number; budgetBytes: number }
  | { fits: false; bytes: number; voxelBytes: number; textureBytes: number; budgetBytes: number; reason: string; offers: Offer[] };

/**
 * Bytes per voxel the viewer will hold: 8-bit stays 1; 16-bit stays 2 while
 * the rescaled range of the stored bits is whole numbers within 16 bits
 * (CT's slope 1, intercept -1024); otherwise 4 (float). 32-bit is 4.
 */
export function bytesPerVoxelOf(pixels: { bitsAllocated: number; bitsStored?: number | undefined; pixelRepresentation?: number | undefined; rescaleSlope?: number | undefined; rescaleIntercept?: number | undefined }): number {
  const { bitsAllocated, bitsStored = bitsAllocated, pixelRepresentation = 0, rescaleSlope = 1, rescaleIntercept = 0 } = pixels;
  if (bitsAllocated <= 8) return 1;
  if (bitsAllocated > 16) return 4;
  if (!Number.isInteger(rescaleSlope) || !Number.isInteger(rescaleIntercept)) return 4;
  const [low, high] = pixelRepresentation === 1 ? [-(2 ** (bitsStored - 1)), 2 ** (bitsStored - 1) - 1] : [0, 2 ** bitsStored - 1];
  const ends = [low * rescaleSlope + rescaleIntercept, high * rescaleSlope + rescaleIntercept];
  const [min, max] = [Math.min(...ends), Math.max(...ends)];
  return (min >= -32768 && max <= 32767) || (min >= 0 && max <= 65535) ? 2 : 4;
}

/** The shape of a planned volume (a tilt-corrected grid is larger than its slices). */
export function volumeShapeOf(grid: VolumeGrid, bytesPerVoxel: number): VolumeShape {
  const [columns, rows, slices] = grid.dimensions;
  return { columns, rows, slices, bytesPerVoxel, spacingMm: grid.spacing };
}

const voxelCount = (shape: VolumeShape) => shape.columns * shape.rows * shape.slices;

/** Bytes per voxel of the GPU texture on this machine. */
export function textureBytesPerVoxel(shape: VolumeShape, machine: Machine): number {
  if (shape.bytesPerVoxel === 1) return 1;
  if (shape.bytesPerVoxel === 2) return machine.norm16 || machine.halfFloat ? 2 : 4;
  return 4;
}

/** Voxels in JS plus their texture, bytes. */
export function volumeBytes(shape: VolumeShape, machine: Machine): number {
  return voxelCount(shape) * (shape.bytesPerVoxel + textureBytesPerVoxel(shape, machine));
}

export function budgetBytes(machine: Machine, options: BudgetOptions = {}): number {
  return options.budgetBytes ?? machine.memoryBytes * (options.memoryShare ?? MEMORY_SHARE);
}

function fits(shape: VolumeShape, machine: Machine, budget: number): boolean {
  if (Math.max(shape.columns, shape.rows, shape.slices) > machine.max3dTexture) return false;
  if (machine.cacheBytes !== undefined && voxelCount(shape) * shape.bytesPerVoxel > machine.cacheBytes) return false;
  return volumeBytes(shape, machine) <= budget;
}

const MB = 1024 * 1024;
/** "850 MB", "2.4 GB". */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * MB ? `${(bytes / 1024 / MB).toFixed(1)} GB` : `${Math.ceil(bytes / MB)} MB`;
}

function decimated(shape: VolumeShape, inPlane: number, slices: number): VolumeShape {
  const s = shape.spacingMm;
  return {
    ...shape,
    columns: Math.ceil(shape.columns / inPlane),
    rows: Math.ceil(shape.rows / inPlane),
    slices: Math.ceil(shape.slices / slices),
    spacingMm: s ? [s[0] * inPlane, s[1] * inPlane, s[2] * slices] : undefined,
  };
}

/**
 * The decimation that fits and loses least: the coarsest voxel side after
 * decimation as small as possible (thin-slice CT gives up slices first, 5 mm
 * MR gives up in-plane pixels), then as many voxels kept as possible.
 */
function bestDecimation(shape: VolumeShape, machine: Machine, budget: number): Extract<Offer, { kind: 'decimate' }> | undefined {
  const spacing = shape.spacingMm ?? [1, 1, 1];
  const candidates = FACTORS.flatMap((inPlane) => FACTORS.map((slices) => ({ inPlane, slices, smaller: decimated(shape, inPlane, slices) })))
    .filter(({ inPlane, slices, smaller }) => inPlane * slices > 1 && smaller.slices >= MIN_SLAB && fits(smaller, machine, budget))
    .map((c) => ({ ...c, coarsest: Math.max(spacing[0] * c.inPlane, spacing[1] * c.inPlane, spacing[2] * c.slices), kept: voxelCount(c.smaller) }))
    .sort((a, b) => a.coarsest - b.coarsest || b.kept - a.kept);
  const best = candidates[0];
  return best && { kind: 'decimate', inPlane: best.inPlane, slices: best.slices, bytes: volumeBytes(best.smaller, machine), shape: best.smaller };
}

/** The cost of `shape` against this machine's budget, with what would fit when it does not. */
export function checkBudget(shape: VolumeShape, machine: Machine, options: BudgetOptions = {}): BudgetVerdict {
  const budget = budgetBytes(machine, options);
  const voxelBytes = voxelCount(shape) * shape.bytesPerVoxel;
  const textureBytes = voxelCount(shape) * textureBytesPerVoxel(shape, machine);
  const bytes = voxelBytes + textureBytes;
  const costs = { bytes, voxelBytes, textureBytes, budgetBytes: budget };
  if (fits(shape, machine, budget)) return { fits: true, ...costs };

  const size = `${shape.columns}×${shape.rows}×${shape.slices}`;
  const reason =
    Math.max(shape.columns, shape.rows, shape.slices) > machine.max3dTexture
      ? `The series is ${size}: this graphics processor draws volumes of at most ${machine.max3dTexture} voxels along each side.`
      : machine.cacheBytes !== undefined && voxelBytes > machine.cacheBytes && bytes <= budget
        ? `The series needs ${formatBytes(voxelBytes)} of images as a volume (${size}); the image cache holds ${formatBytes(machine.cacheBytes)}.`
        : `The series needs about ${formatBytes(bytes)} as a volume (${size}: ${formatBytes(voxelBytes)} of voxels and ${formatBytes(textureBytes)} of texture); this computer allows ${formatBytes(budget)} for one.`;

  const offers: Offer[] = [];
  const decimate = bestDecimation(shape, machine, budget);
  if (decimate) offers.push(decimate);
  // The most consecutive full-resolution slices that fit: a slab of the series around the one being read.
  if (Math.max(shape.columns, shape.rows) <= machine.max3dTexture) {
    const perSlice = volumeBytes({ ...shape, slices: 1 }, machine);
    const cacheLimit = machine.cacheBytes !== undefined ? Math.floor(machine.cacheBytes / (shape.columns * shape.rows * shape.bytesPerVoxel)) : Infinity;
    const count = Math.min(shape.slices - 1, machine.max3dTexture, Math.floor(budget / perSlice), cacheLimit);
    if (count >= MIN_SLAB) offers.push({ kind: 'slab', count, bytes: count * perSlice });
  }
  offers.push({ kind: 'stack' });
  return { fits: false, ...costs, reason, offers };
}

const ordinal = (n: number) => (n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`);

/** How an offer reads on its button. */
export function offerLabel(offer: Offer): string {
  switch (offer.kind) {
    case 'decimate': {
      const parts = [offer.inPlane > 1 ? `every ${ordinal(offer.inPlane)} pixel` : '', offer.slices > 1 ? `every ${ordinal(offer.slices)} slice` : ''].filter(Boolean);
      return `Reduced volume ${offer.shape.columns}×${offer.shape.rows}×${offer.shape.slices} (${parts.join(', ')}) — ${formatBytes(offer.bytes)}`;
    }
    case 'slab':
      return `${offer.count} slices around the current one, full resolution — ${formatBytes(offer.bytes)}`;
    case 'stack':
      return 'Stay in the stack view';
  }
}
