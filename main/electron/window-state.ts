/**
 * Where each display's window was, kept across starts: the JSON document
 * (parse, update) and how a saved placement comes back when the displays have
 * changed since (moved, resized, renumbered, gone). Pure; the file itself is
 * window-state-file.ts.
 */
import type { HostDisplay, HostRect } from '../../shared/host/host-bridge.js';
import { clampToArea, sameRect } from './display-geometry.js';

export interface SavedWindow {
  displayId: string;
  /** The display's bounds when saved: recognises a display whose id changed, and places the window relative to it. */
  displayBounds: HostRect;
  /** The window's normal (not full-screen, not maximised) bounds. */
  bounds: HostRect;
  fullScreen: boolean;
}

export interface WindowState {
  version: 1;
  windows: SavedWindow[];
}

/** More displays than anyone reads on; older entries beyond this are forgotten. */
const MAX_SAVED_WINDOWS = 16;

export function emptyWindowState(): WindowState {
  return { version: 1, windows: [] };
}

function isRect(value: unknown): value is HostRect {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every((k) => typeof r[k] === 'number' && Number.isFinite(r[k])) && (r.width as number) > 0 && (r.height as number) > 0;
}

function isSavedWindow(value: unknown): value is SavedWindow {
  if (typeof value !== 'object' || value === null) return false;
  const w = value as Record<string, unknown>;
  return typeof w.displayId === 'string' && isRect(w.displayBounds) && isRect(w.bounds) && typeof w.fullScreen === 'boolean';
}

/**
 * The state in `text`. A damaged or foreign file is not fatal (windows then
 * open on their displays' work areas): the problem is returned for the log.
 */
export function parseWindowState(text: string): { state: WindowState; problem?: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { state: emptyWindowState(), problem: `not JSON (${(error as Error).message})` };
  }
  const d = doc as Record<string, unknown> | null;
  if (typeof d !== 'object' || d === null || d.version !== 1 || !Array.isArray(d.windows)) {
    return { state: emptyWindowState(), problem: 'not a version 1 window state ({"version":1,"windows":[...]})' };
  }
  const windows = d.windows.filter(isSavedWindow);
  const dropped = d.windows.length - windows.length;
  return dropped > 0 ? { state: { version: 1, windows }, problem: `${dropped} malformed window entr${dropped === 1 ? 'y' : 'ies'} ignored` } : { state: { version: 1, windows } };
}

/** The saved window for this display: by id; else by identical bounds (ids can change when the OS re-enumerates displays). */
export function savedWindowFor(state: WindowState, display: HostDisplay): SavedWindow | undefined {
  return state.windows.find((w) => w.displayId === display.id) ?? state.windows.find((w) => sameRect(w.displayBounds, display.bounds));
}

/**
 * Where the display's window opens: its saved bounds, moved with the display
 * if the display moved and kept inside its work area; the whole work area
 * when nothing was saved.
 */
export function restorePlacement(saved: SavedWindow | undefined, display: HostDisplay): { bounds: HostRect; fullScreen: boolean } {
  if (!saved) return { bounds: { ...display.workArea }, fullScreen: false };
  const moved = {
    ...saved.bounds,
    x: saved.bounds.x + display.bounds.x - saved.displayBounds.x,
    y: saved.bounds.y + display.bounds.y - saved.displayBounds.y,
  };
  return { bounds: clampToArea(moved, display.workArea), fullScreen: saved.fullScreen };
}

/** The state with this window's entry replacing any earlier one for the same display (the newest first). */
export function rememberWindow(state: WindowState, entry: SavedWindow): WindowState {
  const others = state.windows.filter((w) => w.displayId !== entry.displayId && !sameRect(w.displayBounds, entry.displayBounds));
  return { version: 1, windows: [entry, ...others].slice(0, MAX_SAVED_WINDOWS) };
}
