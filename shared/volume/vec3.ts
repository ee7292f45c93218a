/** Small 3-vector arithmetic for patient-space geometry (LPS, millimetres). */
export type Vec3 = readonly [number, number, number];

export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);

/** `a` scaled to length 1, or undefined for a (near) zero vector. */
export function unit(a: Vec3): Vec3 | undefined {
  const length = norm(a);
  return length > 1e-9 ? scale(a, 1 / length) : undefined;
}

/** Angle between two directions, degrees (0..180). */
export function angleDeg(a: Vec3, b: Vec3): number {
  const lengths = norm(a) * norm(b);
  if (!(lengths > 0)) return NaN;
  // atan2 of |a×b| and a·b stays accurate for tiny angles, where acos loses digits.
  return (Math.atan2(norm(cross(a, b)), dot(a, b)) * 180) / Math.PI;
}

/** The first three numbers as a Vec3, or undefined when there are fewer or one is not finite. */
export function vec3Of(values: readonly number[], from = 0): Vec3 | undefined {
  const v: Vec3 = [values[from]!, values[from + 1]!, values[from + 2]!];
  return v.every(Number.isFinite) ? v : undefined;
}
