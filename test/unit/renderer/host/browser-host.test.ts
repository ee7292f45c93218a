/**
 * renderer/host/browser-host.ts with fakes of the DOM slices it declares.
 * (The real Window Management API is exercised by the renderer's Chromium
 * tests, with virtual screens from CDP Emulation.addScreen.)
 */
import { describe, expect, it } from 'vitest';
import { createBrowserHost, type BrowserWindowLike, type FileInputLike, type ScreenDetailedLike, type ScreenDetailsLike } from '../../../../renderer/host/browser-host.js';
import type { PickedFile } from '../../../../shared/host/host-bridge.js';

function screenDetailed(left: number, top: number, width: number, height: number, isPrimary: boolean, devicePixelRatio = 1): ScreenDetailedLike {
  return { left, top, width, height, availLeft: left, availTop: top, availWidth: width, availHeight: height - 48, devicePixelRatio, isPrimary, label: isPrimary ? 'Built-in' : 'Reading' };
}

class FakeInput implements FileInputLike {
  type = '';
  multiple = false;
  webkitdirectory = false;
  files: PickedFile[] | null = null;
  private readonly listeners = new Map<string, () => void>();
  constructor(private readonly onClick: (input: FakeInput) => void) {}
  addEventListener(type: 'change' | 'cancel', listener: () => void): void {
    this.listeners.set(type, listener);
  }
  click(): void {
    this.onClick(this);
  }
  fire(type: 'change' | 'cancel'): void {
    this.listeners.get(type)?.();
  }
}

function fakeWindow(options: { screens?: ScreenDetailedLike[]; current?: number; permission?: 'granted' | 'denied'; popupBlocked?: boolean; pick?: (input: FakeInput) => void } = {}) {
  const log: string[] = [];
  const screensChange = new Set<() => void>();
  const details: ScreenDetailsLike | undefined = options.screens && {
    screens: options.screens,
    currentScreen: options.screens[options.current ?? 0]!,
    addEventListener: (_t, l) => void screensChange.add(l),
    removeEventListener: (_t, l) => void screensChange.delete(l),
  };
  let fullscreenElement: unknown = null;
  const win: BrowserWindowLike = {
    getScreenDetails: details ? async () => (options.permission === 'denied' ? Promise.reject(new Error('NotAllowedError')) : details) : undefined,
    screen: { width: 1920, height: 1080, availWidth: 1920, availHeight: 1040, availLeft: 0, availTop: 0 },
    devicePixelRatio: 2,
    open: (url, target, features) => (log.push(`open ${url} ${target} ${features}`), options.popupBlocked ? null : {}),
    location: { assign: (url) => void log.push(`assign ${url}`) },
    document: {
      documentElement: { requestFullscreen: async () => void (fullscreenElement = {}) },
      get fullscreenElement() {
        return fullscreenElement;
      },
      exitFullscreen: async () => void (fullscreenElement = null),
      createElement: () => new FakeInput(options.pick ?? ((i) => i.fire('cancel'))),
    },
    fetch: async (url) => ({ ok: url === '/api/status', status: url === '/api/status' ? 200 : 404, json: async () => ({ version: '0.1.0', aet: 'VIEWBOX' }) }),
  };
  return { win, log, fireScreensChange: () => screensChange.forEach((l) => l()), isFullscreen: () => fullscreenElement !== null };
}

const twoScreens = [screenDetailed(1920, 0, 2560, 1440, false), screenDetailed(0, 0, 1920, 1080, true, 1.25)];

describe('browser HostBridge', () => {
  it('lists the screens from the Window Management API, primary first, with work areas and device pixel ratios', async () => {
    const host = createBrowserHost(fakeWindow({ screens: twoScreens, current: 0 }).win);
    const displays = await host.displays();
    expect(displays.map((d) => [d.id, d.primary, d.scaleFactor])).toEqual([['screen:0,0,1920x1080', true, 1.25], ['screen:1920,0,2560x1440', false, 1]]);
    expect(displays[1]!.workArea).toEqual({ x: 1920, y: 0, width: 2560, height: 1392 });
    expect(await host.currentDisplayId()).toBe('screen:1920,0,2560x1440');
  });

  it('opens a named window per display at its work area, and navigates in place for its own display', async () => {
    const { win, log } = fakeWindow({ screens: twoScreens, current: 1 });
    const host = createBrowserHost(win);
    await host.openWindowOnDisplay('screen:1920,0,2560x1440', '/viewer?study=1.2.3');
    await host.openWindowOnDisplay('screen:0,0,1920x1080', '/');
    expect(log).toEqual(['open /viewer?study=1.2.3 viewbox-display-screen:1920,0,2560x1440 popup,left=1920,top=0,width=2560,height=1392', 'assign /']);
    await expect(host.openWindowOnDisplay('screen:9,9,1x1', '/')).rejects.toThrow('no display "screen:9,9,1x1"');
    await expect(host.openWindowOnDisplay('screen:1920,0,2560x1440', 'https://evil.example/')).rejects.toThrow('must start with "/"');
  });

  it('says so when the browser blocks the window', async () => {
    const host = createBrowserHost(fakeWindow({ screens: twoScreens, current: 1, popupBlocked: true }).win);
    await expect(host.openWindowOnDisplay('screen:1920,0,2560x1440', '/')).rejects.toThrow('the browser blocked the window for display "screen:1920,0,2560x1440"');
  });

  it.each([
    ['without the Window Management API', {}],
    ['when its permission is denied', { screens: twoScreens, permission: 'denied' as const }],
  ])('falls back to one window %s', async (_label, options) => {
    const { win, log } = fakeWindow(options);
    const host = createBrowserHost(win);
    expect(await host.displays()).toEqual([
      { id: 'screen:0,0,1920x1080', label: '', bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 2, primary: true },
    ]);
    await host.openWindowOnDisplay('screen:1920,0,2560x1440', '/viewer');
    expect(log).toEqual(['assign /viewer']);
  });

  it('reports display changes until unsubscribed', async () => {
    const { win, fireScreensChange } = fakeWindow({ screens: twoScreens });
    const host = createBrowserHost(win);
    const seen: number[] = [];
    const off = host.onDisplaysChanged((list) => void seen.push(list.length));
    await new Promise((r) => setTimeout(r, 0));
    fireScreensChange();
    await new Promise((r) => setTimeout(r, 0));
    off();
    fireScreensChange();
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([2]);
  });

  it('chooses files or a folder with a file input; cancelling is not an error', async () => {
    const file: PickedFile = { name: 'IM0001', size: 10, webkitRelativePath: 'CD/IM0001', arrayBuffer: async () => new ArrayBuffer(10) };
    const inputs: FakeInput[] = [];
    const picking = fakeWindow({ pick: (i) => (inputs.push(i), (i.files = [file]), i.fire('change')) });
    expect(await createBrowserHost(picking.win).chooseFilesToImport({ folder: true })).toEqual({ kind: 'files', files: [file] });
    expect(inputs[0]).toMatchObject({ type: 'file', multiple: true, webkitdirectory: true });
    expect(await createBrowserHost(fakeWindow().win).chooseFilesToImport()).toEqual({ kind: 'cancelled' });
  });

  it('toggles full screen and reads the version from the node', async () => {
    const { win, isFullscreen } = fakeWindow();
    const host = createBrowserHost(win);
    await host.setFullScreen(true);
    expect(isFullscreen()).toBe(true);
    await host.setFullScreen(false);
    expect(isFullscreen()).toBe(false);
    expect(await host.appInfo()).toEqual({ shell: 'browser', version: '0.1.0', dataFolder: null });
  });
});
