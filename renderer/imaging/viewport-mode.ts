/**
 * What a viewport cell shows: the stack of images, MPR planes (all three, or
 * one orientation, as a hanging protocol may ask), or a volume rendering.
 */
export type ViewportMode = 'stack' | 'mpr' | 'mpr-axial' | 'mpr-sagittal' | 'mpr-coronal' | '3d';

export const isMprMode = (mode: ViewportMode): boolean => mode.startsWith('mpr');

/** A toggle key: to `target`, or back to the stack when the cell already shows it (any MPR counts as MPR). */
export function toggledMode(current: ViewportMode | undefined, target: 'mpr' | '3d'): ViewportMode {
  const showing = current === target || (target === 'mpr' && current !== undefined && isMprMode(current));
  return showing ? 'stack' : target;
}
