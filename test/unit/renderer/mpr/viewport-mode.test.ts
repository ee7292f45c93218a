/** The mode keys: Shift+M and Shift+V switch a viewport to MPR or 3D, and back to its stack. */
import { describe, expect, it } from 'vitest';
import { toggledMode } from '../../../../renderer/imaging/viewport-mode.js';
import { defaultVrPreset, VR_PRESETS } from '../../../../renderer/mpr/vr-presets.js';

describe('viewport mode', () => {
  it('toggles between the stack and MPR or 3D', () => {
    expect(toggledMode(undefined, 'mpr')).toBe('mpr');
    expect(toggledMode('stack', 'mpr')).toBe('mpr');
    expect(toggledMode('mpr', 'mpr')).toBe('stack');
    // A single plane a hanging protocol asked for is MPR too.
    expect(toggledMode('mpr-sagittal', 'mpr')).toBe('stack');
    expect(toggledMode('mpr', '3d')).toBe('3d');
    expect(toggledMode('3d', '3d')).toBe('stack');
    expect(toggledMode('3d', 'mpr')).toBe('mpr');
  });

  it('offers the five presets, MR default for MR and bone for the rest', () => {
    expect(VR_PRESETS.map((p) => p.label)).toEqual(['CT bone', 'CT soft tissue', 'CT lung', 'Angio / MIP', 'MR default']);
    expect(defaultVrPreset('MR').id).toBe('mr-default');
    expect(defaultVrPreset('CT').id).toBe('ct-bone');
  });
});
