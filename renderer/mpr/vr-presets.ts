/**
 * Volume rendering presets offered in the 3D pane, each built on one of
 * Cornerstone3D's (3D Slicer's) volume-property presets: its opacity and
 * colour points (editable in the transfer-function editor), shading and
 * lighting. Angio/MIP draws the brightest voxel along each ray instead of
 * compositing, as a grey ramp (the Slicer preset's all-white colours would
 * leave only opacity to tell values apart).
 */
export interface VrPreset {
  id: 'ct-bone' | 'ct-soft-tissue' | 'ct-lung' | 'angio-mip' | 'mr-default';
  label: string;
  /** The name in Cornerstone's VIEWPORT_PRESETS. */
  cornerstonePreset: string;
  blend: 'composite' | 'mip';
  /** Points replacing the Cornerstone preset's (3D Slicer format: a count, then value/opacity or value/r/g/b). */
  points?: { scalarOpacity: string; colorTransfer: string };
}

export const VR_PRESETS: readonly VrPreset[] = [
  { id: 'ct-bone', label: 'CT bone', cornerstonePreset: 'CT-Bone', blend: 'composite' },
  { id: 'ct-soft-tissue', label: 'CT soft tissue', cornerstonePreset: 'CT-Soft-Tissue', blend: 'composite' },
  { id: 'ct-lung', label: 'CT lung', cornerstonePreset: 'CT-Lung', blend: 'composite' },
  // A grey ramp over contrast-filled vessels (black at -200 HU, white from 800 HU), every voxel counted.
  { id: 'angio-mip', label: 'Angio / MIP', cornerstonePreset: 'CT-MIP', blend: 'mip', points: { scalarOpacity: '4 -3024 1 3071 1', colorTransfer: '12 -3024 0 0 0 -200 0 0 0 800 1 1 1' } },
  { id: 'mr-default', label: 'MR default', cornerstonePreset: 'MR-Default', blend: 'composite' },
];

/** The preset a series opens with: MR default for MR, bone for CT and the rest. */
export function defaultVrPreset(modality: string): VrPreset {
  return VR_PRESETS.find((p) => p.id === (modality === 'MR' ? 'mr-default' : 'ct-bone'))!;
}
