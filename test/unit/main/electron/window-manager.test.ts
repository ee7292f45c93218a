import { describe, expect, it } from 'vitest';
import { HOST_IPC } from '../../../../main/electron/host-ipc-channels.js';
import { WindowManager } from '../../../../main/electron/window-manager.js';
import type { WindowState } from '../../../../main/electron/window-state.js';
import type { DisplayLike } from '../../../../main/electron/display-geometry.js';
import { display, FakeScreen, FakeWindow, MemoryStateStore, recordingLogger, settle } from './fakes.js';

const NODE = 'http://127.0.0.1:8042/';
const LAUNCH = `${NODE}?launch=one-time-code`;
const threeDisplays = () => [display(1, 0, 0, 1920, 1080), display(2, 1920, 0, 2560, 1440), display(3, 4480, 0, 2560, 1440)];

function setup(options: { displays?: DisplayLike[]; state?: WindowState; firstLoad?: Promise<void> } = {}) {
  const screen = new FakeScreen(options.displays ?? threeDisplays());
  const store = new MemoryStateStore(options.state);
  const windows: FakeWindow[] = [];
  const { logger, lines } = recordingLogger();
  const manager = new WindowManager<FakeWindow>({
    screen,
    createWindow: (bounds) => {
      const w = new FakeWindow(bounds);
      if (windows.length === 0) w.loadGate = options.firstLoad;
      windows.push(w);
      return w;
    },
    store,
    pageUrl: (route) => new URL(route, NODE).href,
    logger,
  });
  const open = () => windows.filter((w) => !w.destroyed);
  return { screen, store, windows, open, manager, lines };
}

describe('window manager', () => {
  it('opens one window per display on its work area: the main window with the launch URL, the others once it has loaded', async () => {
    let launchLoaded!: () => void;
    const { manager, windows } = setup({ firstLoad: new Promise<void>((resolve) => (launchLoaded = resolve)) });
    const opening = manager.openAll(LAUNCH);
    await settle();
    expect(windows.map((w) => w.bounds)).toEqual([
      { x: 0, y: 0, width: 1920, height: 1040 },
      { x: 1920, y: 0, width: 2560, height: 1400 },
      { x: 4480, y: 0, width: 2560, height: 1400 },
    ]);
    // The launch code is single-use: the others wait for the session cookie the main window's load sets.
    expect(windows.map((w) => w.loaded)).toEqual([[LAUNCH], [], []]);
    launchLoaded();
    await opening;
    expect(windows.map((w) => w.loaded)).toEqual([[LAUNCH], [NODE], [NODE]]);
  });

  it("restores each display's saved bounds and full screen", async () => {
    const state: WindowState = {
      version: 1,
      windows: [
        { displayId: '2', displayBounds: { x: 1920, y: 0, width: 2560, height: 1440 }, bounds: { x: 2000, y: 100, width: 1200, height: 900 }, fullScreen: false },
        { displayId: '3', displayBounds: { x: 4480, y: 0, width: 2560, height: 1440 }, bounds: { x: 4500, y: 20, width: 2000, height: 1300 }, fullScreen: true },
      ],
    };
    const { manager, windows } = setup({ state });
    await manager.openAll(LAUNCH);
    expect(windows[1]!.bounds).toEqual({ x: 2000, y: 100, width: 1200, height: 900 });
    expect(windows[2]!.fullScreen).toBe(true);
    expect(windows[0]!.fullScreen).toBe(false);
  });

  it('opens a window on a display that is added, and tells every page', async () => {
    const { manager, screen, open } = setup();
    await manager.openAll(LAUNCH);
    screen.add(display(4, 7040, 0, 1920, 1080));
    await settle();
    expect(open()).toHaveLength(4);
    expect(open()[3]!.bounds).toEqual({ x: 7040, y: 0, width: 1920, height: 1040 });
    expect(open()[3]!.loaded).toEqual([NODE]);
    const sent = open()[0]!.sent.find((s) => s.channel === HOST_IPC.displaysChanged);
    expect((sent?.args[0] as Array<{ id: string }>).map((d) => d.id)).toEqual(['1', '2', '3', '4']);
  });

  it('closes the window of a removed display; the main window moves to the primary display when its own goes', async () => {
    const { manager, screen, windows, open } = setup();
    await manager.openAll(LAUNCH);
    screen.remove(3);
    expect(windows[2]!.destroyed).toBe(true);
    expect(open()).toHaveLength(2);
    // Undock: the main window's display goes and display 2 becomes primary; its window gives way to the main one.
    screen.remove(1, 2);
    expect(open()).toEqual([windows[0]]);
    expect(windows[0]!.bounds).toEqual({ x: 1920, y: 0, width: 2560, height: 1400 });
  });

  it('pulls a window back inside its display when the work area shrinks (resolution or task bar change)', async () => {
    const { manager, screen, windows } = setup();
    await manager.openAll(LAUNCH);
    screen.change(2, { bounds: { x: 1920, y: 0, width: 1920, height: 1080 }, workArea: { x: 1920, y: 0, width: 1920, height: 1040 } });
    expect(windows[1]!.bounds).toEqual({ x: 1920, y: 0, width: 1920, height: 1040 });
    expect(windows[0]!.bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
  });

  it('shows a route on a display in its own window, and refuses an unknown display', async () => {
    const { manager, windows } = setup();
    await manager.openAll(LAUNCH);
    windows[2]!.minimized = true;
    await manager.show('3', '/viewer?study=1.2.3');
    expect(windows[2]!.loaded.at(-1)).toBe(`${NODE}viewer?study=1.2.3`);
    expect(windows[2]!.calls).toEqual(['restore', 'show', 'focus']);
    expect(windows).toHaveLength(3);
    await expect(manager.show('99', '/')).rejects.toThrow('no display "99" (connected: 1, 2, 3)');
  });

  it('opens a window for a display whose window the user closed, when asked to show something there', async () => {
    const { manager, windows } = setup();
    await manager.openAll(LAUNCH);
    windows[1]!.close();
    await manager.show('2', '/viewer');
    expect(windows).toHaveLength(4);
    expect(windows[3]!.bounds).toEqual({ x: 1920, y: 0, width: 2560, height: 1400 });
    expect(windows[3]!.loaded).toEqual([`${NODE}viewer`]);
  });

  it('sets full screen per window, and saves bounds and full screen per display for the next start', async () => {
    const { manager, windows, store } = setup();
    await manager.openAll(LAUNCH);
    manager.setFullScreen(windows[1]!, true);
    windows[2]!.setBounds({ x: 4600, y: 100, width: 1000, height: 700 });
    await manager.saveState();
    expect(store.state.windows.find((w) => w.displayId === '2')?.fullScreen).toBe(true);
    expect(store.state.windows.find((w) => w.displayId === '3')?.bounds).toEqual({ x: 4600, y: 100, width: 1000, height: 700 });

    const next = setup({ state: store.state });
    await next.manager.openAll(LAUNCH);
    expect(next.windows[1]!.fullScreen).toBe(true);
    expect(next.windows[2]!.bounds).toEqual({ x: 4600, y: 100, width: 1000, height: 700 });
  });

  it('remembers a window the user closes, but not one closed because its display went away', async () => {
    const { manager, screen, windows, store } = setup();
    await manager.openAll(LAUNCH);
    windows[1]!.setBounds({ x: 2000, y: 10, width: 900, height: 700 });
    windows[1]!.close();
    await settle();
    expect(store.state.windows.find((w) => w.displayId === '2')?.bounds).toEqual({ x: 2000, y: 10, width: 900, height: 700 });
    const saves = store.saves;
    screen.remove(3);
    await settle();
    expect(store.saves).toBe(saves);
  });

  it('knows which display a window is on after the user drags it across, and focuses the main window', async () => {
    const { manager, windows } = setup();
    await manager.openAll(LAUNCH);
    windows[0]!.setBounds({ x: 5000, y: 100, width: 1200, height: 800 });
    expect(manager.displayOf(windows[0]!).id).toBe('3');
    windows[0]!.minimized = true;
    manager.focusMain();
    expect(windows[0]!.calls).toEqual(['restore', 'show', 'focus']);
  });

  it('ignores display changes until it has opened its windows (the main window must be the one with the launch URL)', async () => {
    const { manager, screen, windows } = setup();
    screen.add(display(4, 7040, 0, 1920, 1080));
    expect(windows).toHaveLength(0);
    await manager.openAll(LAUNCH);
    expect(windows).toHaveLength(4);
    expect(windows[0]!.loaded).toEqual([LAUNCH]);
  });

  it('writes the state file one write at a time when windows close together (at quit)', async () => {
    const { manager, windows, store } = setup();
    await manager.openAll(LAUNCH);
    let writing = 0;
    let overlapped = false;
    const save = store.save.bind(store);
    store.save = async (state) => {
      overlapped ||= writing > 0;
      writing++;
      await new Promise((r) => setTimeout(r, 5));
      await save(state);
      writing--;
    };
    for (const w of [...windows]) w.close();
    await manager.saveState();
    expect(overlapped).toBe(false);
    expect(store.state.windows.map((w) => w.displayId).sort()).toEqual(['1', '2', '3']);
  });
});
