/**
 * Orientation markers of a stack or volume viewport, and a plane's place in
 * the patient, measured through the viewport's own world-to-canvas
 * transform, so rotation, flips, oblique planes and any camera change are
 * accounted for as drawn.
 */
import type { Types } from '@cornerstonejs/core';
import { edgeMarkers, orientationLabel, type EdgeMarkers, type Vector3 } from '../../shared/volume/orientation-labels.js';

type Viewport = Pick<Types.IViewport, 'getCamera' | 'worldToCanvas'>;

export function viewMarkers(viewport: Viewport): EdgeMarkers | undefined {
  const { focalPoint } = viewport.getCamera();
  if (!focalPoint) return undefined;
  const [x0, y0] = viewport.worldToCanvas(focalPoint);
  const shifted = [0, 1, 2].map((axis) => {
    const point: Types.Point3 = [focalPoint[0], focalPoint[1], focalPoint[2]];
    point[axis]! += 1;
    const [x, y] = viewport.worldToCanvas(point);
    return [x - x0, y - y0] as const;
  });
  const right: Vector3 = [shifted[0]![0], shifted[1]![0], shifted[2]![0]];
  const down: Vector3 = [shifted[0]![1], shifted[1]![1], shifted[2]![1]];
  return edgeMarkers(right, down);
}

/**
 * Where the plane lies, as radiologists read it: the main direction of its
 * normal and the position along it in mm, e.g. "H 12.5" for an axial plane
 * 12.5 mm above the origin, "L 30.0" for a sagittal plane.
 */
export function planePosition(viewport: Viewport): string | undefined {
  const { focalPoint, viewPlaneNormal } = viewport.getCamera();
  if (!focalPoint || !viewPlaneNormal) return undefined;
  // The normal points at the viewer; name the direction it leans along most, taken positive (L, P, H).
  const axis = [0, 1, 2].reduce((best, k) => (Math.abs(viewPlaneNormal[k]!) > Math.abs(viewPlaneNormal[best]!) ? k : best), 0);
  const direction: Vector3 = [axis === 0 ? 1 : 0, axis === 1 ? 1 : 0, axis === 2 ? 1 : 0];
  const along = focalPoint[axis]!;
  const label = orientationLabel(along >= 0 ? direction : [-direction[0], -direction[1], -direction[2]]);
  return `${label} ${Math.abs(along).toFixed(1)} mm`;
}
