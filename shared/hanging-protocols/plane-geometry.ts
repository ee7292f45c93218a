/**
 * Image plane geometry from ImageOrientationPatient / ImagePositionPatient:
 * which anatomical plane a series is in, and whether its slices form a
 * regular volume that MPR and 3D can use.
 */
import type { Orientation } from './study-facts.js';

export type Vec3 = [number, number, number];

/** A plane is axial, coronal or sagittal when its normal is within 30° of that axis; otherwise oblique. */
const PLANE_COSINE = Math.cos((30 * Math.PI) / 180);

export function planeNormal(iop: readonly number[]): Vec3 | null {
  if (iop.length !== 6) return null;
  const [rx, ry, rz, cx, cy, cz] = iop as [number, number, number, number, number, number];
  const n: Vec3 = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
  const length = Math.hypot(...n);
  return length > 1e-6 ? [n[0] / length, n[1] / length, n[2] / length] : null;
}

export function orientationOf(iop: readonly number[] | null): Orientation | null {
  const n = iop ? planeNormal(iop) : null;
  if (!n) return null;
  const [x, y, z] = n.map(Math.abs) as Vec3;
  if (z >= PLANE_COSINE) return 'axial';
  if (y >= PLANE_COSINE) return 'coronal';
  if (x >= PLANE_COSINE) return 'sagittal';
  return 'oblique';
}

export interface FrameGeometry {
  orientation: readonly number[];
  position: readonly number[];
}

/**
 * A volume: at least three frames, one orientation (within 0.001), distinct
 * positions along the normal with every gap within 10 % of the mean gap
 * (so a missing slice or a mixed series is not reconstructed).
 */
export function isRegularVolume(frames: readonly FrameGeometry[]): boolean {
  if (frames.length < 3) return false;
  const first = frames[0]!;
  const normal = planeNormal(first.orientation);
  if (!normal) return false;
  for (const f of frames) {
    if (f.orientation.length !== 6 || f.position.length !== 3) return false;
    if (f.orientation.some((v, i) => Math.abs(v - first.orientation[i]!) > 1e-3)) return false;
  }
  const distances = frames.map((f) => f.position[0]! * normal[0] + f.position[1]! * normal[1] + f.position[2]! * normal[2]).sort((a, b) => a - b);
  const gaps = distances.slice(1).map((d, i) => d - distances[i]!);
  const mean = (distances[distances.length - 1]! - distances[0]!) / gaps.length;
  if (mean < 1e-3) return false;
  return gaps.every((g) => Math.abs(g - mean) <= 0.1 * mean);
}
