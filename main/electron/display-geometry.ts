/**
 * Displays and rectangles: Electron's displays as HostDisplays, which display
 * a window is on, and keeping a window inside a display's work area. Pure.
 */
import type { HostDisplay, HostRect } from '../../shared/host/host-bridge.js';

/** What the shell reads of an Electron `Display`. */
export interface DisplayLike {
  id: number;
  label: string;
  bounds: HostRect;
  workArea: HostRect;
  scaleFactor: number;
}

/** Smaller than this a reading window is useless; a work area smaller still wins. */
export const MIN_WINDOW_SIZE = { width: 640, height: 480 } as const;

/** HostDisplays, primary first, the others left to right then top to bottom (the order a reader names monitors in). */
export function toHostDisplays(displays: readonly DisplayLike[], primaryId: number): HostDisplay[] {
  return displays
    .map((d) => ({
      id: String(d.id),
      label: d.label,
      bounds: { ...d.bounds },
      workArea: { ...d.workArea },
      scaleFactor: d.scaleFactor,
      primary: d.id === primaryId,
    }))
    .sort((a, b) => Number(b.primary) - Number(a.primary) || a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y);
}

function overlapArea(a: HostRect, b: HostRect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The display a window is on: the one it overlaps most (as Electron's
 * screen.getDisplayMatching decides), else the one nearest its centre.
 * `displays` must not be empty.
 */
export function displayMatching(rect: HostRect, displays: readonly HostDisplay[]): HostDisplay {
  const first = displays[0];
  if (!first) throw new Error('no displays to match a window against');
  let best = first;
  let bestArea = -1;
  for (const d of displays) {
    const area = overlapArea(rect, d.bounds);
    if (area > bestArea) [best, bestArea] = [d, area];
  }
  if (bestArea > 0) return best;
  const cx = rect.x + rect.width / 2;
  const cy = rect.y + rect.height / 2;
  const distance = (d: HostDisplay) => Math.hypot(cx - (d.bounds.x + d.bounds.width / 2), cy - (d.bounds.y + d.bounds.height / 2));
  return displays.reduce((a, b) => (distance(b) < distance(a) ? b : a));
}

/** `rect` moved and shrunk as little as needed to lie inside `area`, and no smaller than MIN_WINDOW_SIZE (unless the area is). */
export function clampToArea(rect: HostRect, area: HostRect): HostRect {
  const width = Math.min(Math.max(Math.round(rect.width), MIN_WINDOW_SIZE.width), area.width);
  const height = Math.min(Math.max(Math.round(rect.height), MIN_WINDOW_SIZE.height), area.height);
  const x = Math.min(Math.max(Math.round(rect.x), area.x), area.x + area.width - width);
  const y = Math.min(Math.max(Math.round(rect.y), area.y), area.y + area.height - height);
  return { x, y, width, height };
}

export function sameRect(a: HostRect, b: HostRect): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}
