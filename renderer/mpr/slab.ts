/**
 * Slab rendering of an MPR plane: a thickness in mm along the plane's normal
 * and how the voxels across it are combined. Thickness 0 is the single
 * resampled plane. Pure: the pane turns it into Cornerstone blend modes.
 */
export type SlabMode = 'mip' | 'minip' | 'average';

export interface Slab {
  mode: SlabMode;
  /** mm; 0 = one plane. */
  thickness: number;
}

/** The thicknesses the keys step through (mm): thin slabs for vessels and nodules, thick ones for overviews. */
export const SLAB_STEPS_MM: readonly number[] = [0, 2, 5, 10, 15, 20, 30, 50];

export const SLAB_LABELS: Record<SlabMode, string> = { mip: 'MIP', minip: 'MinIP', average: 'Avg' };

export const SINGLE_PLANE: Slab = { mode: 'mip', thickness: 0 };

/** The next step up from `mm` (the largest step stays). */
export function thickerSlab(mm: number): number {
  return SLAB_STEPS_MM.find((step) => step > mm + 1e-6) ?? SLAB_STEPS_MM[SLAB_STEPS_MM.length - 1]!;
}

/** The next step down from `mm` (0 stays). */
export function thinnerSlab(mm: number): number {
  return [...SLAB_STEPS_MM].reverse().find((step) => step < mm - 1e-6) ?? 0;
}

/**
 * Choosing a mode with no slab gives it a useful thickness at once (the first
 * step): pressing "MIP" and seeing nothing change would look broken.
 */
export function withMode(slab: Slab, mode: SlabMode): Slab {
  return { mode, thickness: slab.thickness > 0 ? slab.thickness : SLAB_STEPS_MM[2]! };
}

/** What the overlay says: "MIP 10 mm", or nothing for a single plane. */
export function slabLabel(slab: Slab): string | undefined {
  if (slab.thickness <= 0) return undefined;
  return `${SLAB_LABELS[slab.mode]} ${Number(slab.thickness.toFixed(1))} mm`;
}
