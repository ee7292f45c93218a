/**
 * The patient's axes as a 3D view shows them: for each direction letter
 * (R/L, A/P, F/H), where its end lies on screen (x right, y down, unit
 * length) and how far it points towards the viewer, from the camera's view-up
 * and view-plane normal (the normal points from the scene to the camera).
 */
import type { Vector3 } from '../../shared/volume/orientation-labels.js';

export interface AxisEnd {
  letter: string;
  x: number;
  y: number;
  /** Positive: towards the viewer. */
  depth: number;
}

const ENDS: ReadonlyArray<readonly [string, Vector3]> = [
  ['L', [1, 0, 0]],
  ['R', [-1, 0, 0]],
  ['P', [0, 1, 0]],
  ['A', [0, -1, 0]],
  ['H', [0, 0, 1]],
  ['F', [0, 0, -1]],
];

const dot = (a: Vector3, b: Vector3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** The axis ends, farthest from the viewer first (the order to draw them in). */
export function axisEnds(viewUp: Vector3, viewPlaneNormal: Vector3): AxisEnd[] {
  // The screen's right: view-up × normal (the camera looks along −normal).
  const right: Vector3 = [viewUp[1] * viewPlaneNormal[2] - viewUp[2] * viewPlaneNormal[1], viewUp[2] * viewPlaneNormal[0] - viewUp[0] * viewPlaneNormal[2], viewUp[0] * viewPlaneNormal[1] - viewUp[1] * viewPlaneNormal[0]];
  return ENDS.map(([letter, direction]) => ({ letter, x: dot(direction, right), y: -dot(direction, viewUp), depth: dot(direction, viewPlaneNormal) })).sort((a, b) => a.depth - b.depth);
}
