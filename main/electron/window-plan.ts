/**
 * One window per display: what to open, move or close when the set of
 * displays changes. Pure; window-manager.ts carries the actions out.
 *
 * The first window (the main one, which holds the worklist) is never closed
 * by a display change: when its display goes, it moves to the primary display
 * and takes the place of the window there. Other windows close with their
 * display. A display that is new gets a window.
 */
import type { HostDisplay } from '../../shared/host/host-bridge.js';

export interface PlacedWindow {
  id: number;
  /** The display the window was last known to be on. */
  displayId: string;
}

export type WindowAction =
  | { kind: 'open'; displayId: string }
  | { kind: 'move'; windowId: number; displayId: string }
  | { kind: 'close'; windowId: number };

/**
 * @param windows the open windows in creation order (the first is the main window)
 * @param displays the displays now, primary first
 * @param newDisplayIds displays that should get a window if none is on them (all of them at start)
 */
export function planWindows(windows: readonly PlacedWindow[], displays: readonly HostDisplay[], newDisplayIds: ReadonlySet<string>): WindowAction[] {
  const present = new Set(displays.map((d) => d.id));
  const primary = displays.find((d) => d.primary) ?? displays[0];
  if (!primary) return [];
  const actions: WindowAction[] = [];
  const occupied = new Map<string, number>();
  const [main, ...others] = windows;
  const mainMoves = main !== undefined && !present.has(main.displayId);
  if (main) occupied.set(mainMoves ? primary.id : main.displayId, main.id);
  for (const w of others) {
    if (!present.has(w.displayId) || (mainMoves && w.displayId === primary.id)) actions.push({ kind: 'close', windowId: w.id });
    else if (!occupied.has(w.displayId)) occupied.set(w.displayId, w.id);
  }
  if (main && mainMoves) actions.push({ kind: 'move', windowId: main.id, displayId: primary.id });
  for (const d of displays) {
    if (newDisplayIds.has(d.id) && !occupied.has(d.id)) actions.push({ kind: 'open', displayId: d.id });
  }
  return actions;
}
