/** Window/level presets (width and level in HU for CT), bound to the keys 1-8 (keyboard-map.ts). */
import { viewerSettings } from '../app/lib/viewer-settings.js';

export interface VoiPreset {
  name: string;
  width: number;
  center: number;
}

export const CT_PRESETS: readonly VoiPreset[] = [
  { name: 'Brain', width: 80, center: 40 },
  { name: 'Subdural', width: 215, center: 75 },
  { name: 'Stroke', width: 40, center: 40 },
  { name: 'Lung', width: 1500, center: -600 },
  { name: 'Mediastinum', width: 350, center: 50 },
  { name: 'Abdomen', width: 400, center: 60 },
  { name: 'Liver', width: 160, center: 60 },
  { name: 'Bone', width: 1500, center: 300 },
];

/** The presets in force, in menu order (preset1 first): the reader's own (viewer-settings.json), else the CT ones above. */
export function windowPresets(): readonly VoiPreset[] {
  return viewerSettings().windowPresets ?? CT_PRESETS;
}

/**
 * The range of values mapped from black to white for a window, with the
 * DICOM LINEAR function (PS3.3 C.11.2.1.2.1), as Cornerstone3D applies it.
 */
export function voiRangeOf(width: number, center: number): { lower: number; upper: number } {
  return { lower: center - 0.5 - (width - 1) / 2, upper: center - 0.5 + (width - 1) / 2 };
}

/** The window (as DICOM and radiologists write it) of a range. */
export function windowOf(range: { lower: number; upper: number }): { width: number; center: number } {
  return { width: range.upper - range.lower + 1, center: (range.upper + range.lower + 1) / 2 };
}
