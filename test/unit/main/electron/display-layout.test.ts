import { describe, expect, it } from 'vitest';
import { clampToArea, displayMatching, toHostDisplays } from '../../../../main/electron/display-geometry.js';
import { planWindows } from '../../../../main/electron/window-plan.js';
import { parseWindowState, rememberWindow, restorePlacement, savedWindowFor, type SavedWindow } from '../../../../main/electron/window-state.js';
import { display } from './fakes.js';

// Laptop (primary, 1920×1080 at 1.5×) with two reading monitors to its right and one above.
const laptop = display(1, 0, 0, 1920, 1080, 1.5);
const left = display(7, 1920, 0, 2560, 1440);
const right = display(3, 4480, 0, 2560, 1440);
const above = display(9, 0, -1440, 2560, 1440);
const hosts = (primaryId = 1) => toHostDisplays([right, above, laptop, left], primaryId);

describe('displays as HostDisplays', () => {
  it('lists the primary first, then left to right, with string ids, work areas and scale factors', () => {
    const list = hosts();
    expect(list.map((d) => d.id)).toEqual(['1', '9', '7', '3']);
    expect(list[0]).toEqual({ id: '1', label: 'Display 1', bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 1.5, primary: true });
    expect(list.filter((d) => d.primary)).toHaveLength(1);
  });

  it('finds the display a window is on by the largest overlap, else the nearest', () => {
    const list = hosts();
    expect(displayMatching({ x: 1800, y: 100, width: 1000, height: 800 }, list).id).toBe('7');
    expect(displayMatching({ x: 100, y: -300, width: 800, height: 600 }, list).id).toBe('1');
    expect(displayMatching({ x: 9000, y: 100, width: 500, height: 500 }, list).id).toBe('3');
  });

  it('clamps a window into a work area: moved first, shrunk only when larger, never below the minimum size', () => {
    const area = { x: 1920, y: 0, width: 2560, height: 1400 };
    expect(clampToArea({ x: 4000, y: 1200, width: 1000, height: 800 }, area)).toEqual({ x: 3480, y: 600, width: 1000, height: 800 });
    expect(clampToArea({ x: 1000, y: -50, width: 3000, height: 2000 }, area)).toEqual({ x: 1920, y: 0, width: 2560, height: 1400 });
    expect(clampToArea({ x: 2000, y: 10, width: 100, height: 50 }, area)).toEqual({ x: 2000, y: 10, width: 640, height: 480 });
  });
});

describe('one window per display', () => {
  it('opens a window on every display at start', () => {
    const list = hosts();
    expect(planWindows([], list, new Set(list.map((d) => d.id)))).toEqual(['1', '9', '7', '3'].map((displayId) => ({ kind: 'open', displayId })));
  });

  it('opens a window only on a display that was added', () => {
    const list = hosts();
    const windows = [{ id: 10, displayId: '1' }, { id: 11, displayId: '7' }];
    expect(planWindows(windows, list, new Set(['3']))).toEqual([{ kind: 'open', displayId: '3' }]);
  });

  it('closes the window of a removed display, and leaves the others', () => {
    const list = toHostDisplays([laptop, left], 1);
    expect(planWindows([{ id: 10, displayId: '1' }, { id: 11, displayId: '7' }, { id: 12, displayId: '3' }], list, new Set())).toEqual([{ kind: 'close', windowId: 12 }]);
  });

  it('moves the main window to the primary display when its display goes, replacing the window there', () => {
    const list = toHostDisplays([laptop, right], 1);
    expect(planWindows([{ id: 10, displayId: '7' }, { id: 11, displayId: '1' }, { id: 12, displayId: '3' }], list, new Set())).toEqual([
      { kind: 'close', windowId: 11 },
      { kind: 'move', windowId: 10, displayId: '1' },
    ]);
  });

  it('does not give a display a second window', () => {
    const list = hosts();
    expect(planWindows([{ id: 10, displayId: '1' }], list, new Set(['1']))).toEqual([]);
  });
});

describe('saved window placement', () => {
  const [l0, l7] = [hosts().find((d) => d.id === '1')!, hosts().find((d) => d.id === '7')!];
  const saved: SavedWindow = { displayId: '7', displayBounds: { x: 1920, y: 0, width: 2560, height: 1440 }, bounds: { x: 2020, y: 50, width: 1600, height: 1000 }, fullScreen: true };

  it('opens a display without a saved window on its whole work area', () => {
    expect(restorePlacement(undefined, l0)).toEqual({ bounds: l0.workArea, fullScreen: false });
  });

  it('restores saved bounds and full screen on the same display', () => {
    expect(restorePlacement(saved, l7)).toEqual({ bounds: saved.bounds, fullScreen: true });
  });

  it('moves the saved bounds with a display that moved (monitors rearranged)', () => {
    const moved = { ...l7, bounds: { ...l7.bounds, x: -2560 }, workArea: { ...l7.workArea, x: -2560 } };
    expect(restorePlacement(savedWindowFor({ version: 1, windows: [saved] }, moved), moved).bounds).toEqual({ x: -2460, y: 50, width: 1600, height: 1000 });
  });

  it('recognises a display whose id changed by its bounds, and clamps into a smaller one', () => {
    const renumbered = { ...l7, id: '42' };
    expect(savedWindowFor({ version: 1, windows: [saved] }, renumbered)).toBe(saved);
    const smaller = { ...l7, bounds: { x: 1920, y: 0, width: 1280, height: 1024 }, workArea: { x: 1920, y: 0, width: 1280, height: 984 } };
    expect(restorePlacement(saved, smaller).bounds).toEqual({ x: 1920, y: 0, width: 1280, height: 984 });
  });

  it('keeps one entry per display, newest first', () => {
    let state = rememberWindow({ version: 1, windows: [] }, saved);
    state = rememberWindow(state, { ...saved, displayId: '1', displayBounds: l0.bounds });
    state = rememberWindow(state, { ...saved, bounds: { x: 1920, y: 0, width: 800, height: 600 } });
    expect(state.windows.map((w) => [w.displayId, w.bounds.width])).toEqual([['7', 800], ['1', 1600]]);
  });

  it('reads a damaged state file as empty, saying why, and drops malformed entries', () => {
    expect(parseWindowState('{"version":1,"windows":[')).toMatchObject({ state: { windows: [] }, problem: expect.stringContaining('not JSON') });
    expect(parseWindowState('{"windows":[]}').problem).toContain('version 1');
    const mixed = parseWindowState(JSON.stringify({ version: 1, windows: [saved, { displayId: 7 }, { ...saved, bounds: { x: 0, y: 0, width: -5, height: 10 } }] }));
    expect(mixed.state.windows).toEqual([saved]);
    expect(mixed.problem).toBe('2 malformed window entries ignored');
  });
});
