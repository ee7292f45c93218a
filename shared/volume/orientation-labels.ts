/**
 * Which way the patient lies: orientation letters for a direction, markers
 * for the edges of a view, and the anatomical plane a slice is nearest to.
 * Letters follow DICOM Patient Orientation (PS3.3 C.7.6.1.1.1): R/L, A/P,
 * H/F in the patient coordinate system (LPS: +x left, +y posterior, +z head).
 * An oblique direction gets a letter for each axis it leans along
 * noticeably, the main one first ("LP").
 */
import { angleDeg, cross, unit, type Vec3 } from './vec3.js';

export type { Vec3 as Vector3 } from './vec3.js';

export interface EdgeMarkers {
  top: string;
  bottom: string;
  left: string;
  right: string;
}

export type AnatomicalPlane = 'axial' | 'coronal' | 'sagittal';

/** Components smaller than this (about 14°) do not earn a letter. */
const OBLIQUE_THRESHOLD = 0.25;

const LETTERS: ReadonlyArray<readonly [negative: string, positive: string]> = [
  ['R', 'L'],
  ['A', 'P'],
  ['F', 'H'],
];

/** Letters of a direction, e.g. "L", "HA", "PLF"; '' for a zero vector. */
export function orientationLabel(direction: Vec3): string {
  const length = Math.hypot(...direction);
  if (!(length > 0)) return '';
  return [0, 1, 2]
    .map((axis) => ({ axis, value: direction[axis]! / length }))
    .filter(({ value }) => Math.abs(value) >= OBLIQUE_THRESHOLD)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .map(({ axis, value }) => LETTERS[axis]![value > 0 ? 1 : 0])
    .join('');
}

/** Markers for each edge, from the patient directions that point right and down on screen. */
export function edgeMarkers(right: Vec3, down: Vec3): EdgeMarkers {
  const negate = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];
  return { right: orientationLabel(right), left: orientationLabel(negate(right)), bottom: orientationLabel(down), top: orientationLabel(negate(down)) };
}

/**
 * Markers of a slice drawn as stored (first column on the left, first row on
 * top): right is the row direction of Image Orientation (Patient), down its
 * column direction.
 */
export function sliceEdgeMarkers(imageOrientation: readonly number[]): EdgeMarkers | undefined {
  if (imageOrientation.length !== 6 || !imageOrientation.every(Number.isFinite)) return undefined;
  const [rx, ry, rz, cx, cy, cz] = imageOrientation as [number, number, number, number, number, number];
  return edgeMarkers([rx, ry, rz], [cx, cy, cz]);
}

const AXES: ReadonlyArray<readonly [AnatomicalPlane, Vec3]> = [
  ['sagittal', [1, 0, 0]],
  ['coronal', [0, 1, 0]],
  ['axial', [0, 0, 1]],
];

/**
 * The anatomical plane whose normal is nearest to `normal`, and how far the
 * slice is tilted from it (degrees, 0..90): a radiologist's "axial, 8°
 * oblique" rather than a yes/no cut-off.
 */
export function nearestPlane(normal: Vec3): { plane: AnatomicalPlane; obliqueDeg: number } | undefined {
  if (!unit(normal)) return undefined;
  let best: { plane: AnatomicalPlane; obliqueDeg: number } | undefined;
  for (const [plane, axis] of AXES) {
    const angle = angleDeg(normal, axis);
    const obliqueDeg = Math.min(angle, 180 - angle);
    if (!best || obliqueDeg < best.obliqueDeg) best = { plane, obliqueDeg };
  }
  return best;
}

/** The plane of a slice from its Image Orientation (Patient). */
export function planeOfOrientation(imageOrientation: readonly number[]): { plane: AnatomicalPlane; obliqueDeg: number } | undefined {
  if (imageOrientation.length !== 6 || !imageOrientation.every(Number.isFinite)) return undefined;
  const [rx, ry, rz, cx, cy, cz] = imageOrientation as [number, number, number, number, number, number];
  return nearestPlane(cross([rx, ry, rz], [cx, cy, cz]));
}
