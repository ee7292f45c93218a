/**
 * Fitting a volume in an MPR plane or the 3D view: the camera's parallel
 * scale that shows the volume's whole extent, as seen from the camera, inside
 * the pane with a margin and clear of a tool bar; and a refit when the pane
 * changes size, unless the reader zoomed, panned or turned the view since.
 * Cornerstone's own fit puts the volume's edges on the canvas edges, where
 * anatomy (a face, a neck) touching the volume's edges is cut by the frame.
 */
import type { Types } from '@cornerstonejs/core';

type Vec3 = readonly [number, number, number];

/** What the fitted volume keeps clear of, in the pane's CSS pixels. */
export interface FitRoom {
  /** Share of each side of the pane left free around the volume. */
  margin: number;
  /** Pixels kept free at the top (a tool bar), and for symmetry at the bottom. */
  reserve: number;
}

export const PLANE_ROOM: FitRoom = { margin: 0.03, reserve: 0 };

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** The eight outer corners of a volume's voxels, in patient coordinates (mm). */
export function volumeCorners({ origin, spacing, dimensions, direction }: Pick<Types.IImageVolume, 'origin' | 'spacing' | 'dimensions' | 'direction'>): Vec3[] {
  const axis = (k: number): Vec3 => [direction[k * 3]!, direction[k * 3 + 1]!, direction[k * 3 + 2]!];
  const corners: Vec3[] = [];
  for (const i of [-0.5, dimensions[0] - 0.5])
    for (const j of [-0.5, dimensions[1] - 0.5])
      for (const k of [-0.5, dimensions[2] - 0.5]) {
        const steps = [i * spacing[0], j * spacing[1], k * spacing[2]];
        corners.push([0, 1, 2].map((c) => origin[c]! + steps[0]! * axis(0)[c]! + steps[1]! * axis(1)[c]! + steps[2]! * axis(2)[c]!) as unknown as Vec3);
      }
  return corners;
}

/** Width and height (mm) of the points' outline seen along `viewPlaneNormal` with `viewUp` up. */
export function extentInView(points: readonly Vec3[], viewUp: Vec3, viewPlaneNormal: Vec3): { width: number; height: number } {
  const right = cross(viewUp, viewPlaneNormal);
  const spread = (axis: Vec3) => {
    const along = points.map((p) => dot(p, axis));
    return Math.max(...along) - Math.min(...along);
  };
  return { width: spread(right), height: spread(viewUp) };
}

/** The parallel scale (half the pane's height, in mm) that fits `extent` in a pane of `pane` CSS pixels with `room` kept free. */
export function fitParallelScale(extent: { width: number; height: number }, pane: { width: number; height: number }, room: FitRoom): number {
  const freeWidth = pane.width * (1 - 2 * room.margin);
  const freeHeight = pane.height * (1 - 2 * room.margin) - 2 * room.reserve;
  if (freeWidth <= 0 || freeHeight <= 0) return extent.height / 2;
  return Math.max((extent.height * pane.height) / (2 * freeHeight), (extent.width * pane.height) / (2 * freeWidth));
}

interface FittableViewport {
  element: HTMLDivElement;
  getCamera(): Types.ICamera;
  setCamera(camera: Types.ICamera): void;
  resetCamera(options?: { resetPan?: boolean; resetZoom?: boolean; resetToCenter?: boolean; suppressEvents?: boolean }): boolean;
  render(): void;
}

/** The camera each viewport was last fitted with: a resize refits only while the camera is still that one. */
const fittedCameras = new WeakMap<FittableViewport, Types.ICamera>();

const near = (a: Vec3 | undefined, b: Vec3 | undefined) => !!a && !!b && Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) < 1e-3;

/** The volume's focal point moves along the normal when the plane scrolls: only the part within the plane is a pan. */
function inPlaneOffset(from: Vec3, to: Vec3, normal: Vec3): Vec3 {
  const d: Vec3 = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
  const along = dot(d, normal);
  return [d[0] - along * normal[0], d[1] - along * normal[1], d[2] - along * normal[2]];
}

function untouchedSinceFit(viewport: FittableViewport): boolean {
  const fitted = fittedCameras.get(viewport);
  const now = viewport.getCamera();
  if (!fitted?.parallelScale || !now.parallelScale || !fitted.focalPoint || !now.focalPoint || !now.viewPlaneNormal) return false;
  return Math.abs(fitted.parallelScale - now.parallelScale) < 1e-6 * fitted.parallelScale && near(fitted.viewPlaneNormal, now.viewPlaneNormal) && near(fitted.viewUp, now.viewUp) && near(inPlaneOffset(fitted.focalPoint, now.focalPoint, now.viewPlaneNormal), [0, 0, 0]);
}

/** Centres the volume in the plane (keeping the slice shown) and fits its extent with `room` kept free. */
export function fitVolume(viewport: FittableViewport, volume: Types.IImageVolume, room: FitRoom): void {
  // Quietly: the crosshairs answer a camera reset by resetting every plane to Cornerstone's own fit.
  viewport.resetCamera({ resetPan: true, resetZoom: true, resetToCenter: false, suppressEvents: true });
  const { viewUp, viewPlaneNormal } = viewport.getCamera();
  const { clientWidth: width, clientHeight: height } = viewport.element;
  if (!viewUp || !viewPlaneNormal || width === 0 || height === 0) return;
  viewport.setCamera({ parallelScale: fitParallelScale(extentInView(volumeCorners(volume), viewUp, viewPlaneNormal), { width, height }, room) });
  fittedCameras.set(viewport, viewport.getCamera());
  viewport.render();
}

/** After the pane changed size: fits the volume again, unless the reader zoomed, panned or turned it since the last fit. */
export function refitVolume(viewport: FittableViewport, volume: Types.IImageVolume, room: FitRoom): void {
  if (untouchedSinceFit(viewport)) fitVolume(viewport, volume, room);
}
