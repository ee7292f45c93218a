/**
 * The HostBridge in a plain browser (no Electron): displays from the Window
 * Management API (getScreenDetails), one named window per display placed with
 * screen coordinates, and a single-window fallback where that API or its
 * permission is missing. Files come from an <input type=file>.
 *
 * It is written against the small slices of the DOM it uses (below), so a
 * test can drive it with fakes; pass the real `window`.
 */
import { apiPaths } from '../../shared/api/app-api.js';
import { appRouteProblem } from '../../shared/host/app-route.js';
import type { AppInfo, HostBridge, HostDisplay, ImportSelection, PickedFile } from '../../shared/host/host-bridge.js';

/** A screen as the Window Management API describes it (ScreenDetailed). */
export interface ScreenDetailedLike {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly availLeft: number;
  readonly availTop: number;
  readonly availWidth: number;
  readonly availHeight: number;
  readonly devicePixelRatio: number;
  readonly isPrimary: boolean;
  readonly label: string;
}

export interface ScreenDetailsLike {
  readonly screens: readonly ScreenDetailedLike[];
  readonly currentScreen: ScreenDetailedLike;
  addEventListener(type: 'screenschange', listener: () => void): void;
  removeEventListener(type: 'screenschange', listener: () => void): void;
}

/**
 * This window's own screen (window.screen); availLeft/availTop are Chromium and
 * Firefox extensions, its change event comes with the Window Management API.
 */
export interface OwnScreenLike {
  readonly width: number;
  readonly height: number;
  readonly availWidth: number;
  readonly availHeight: number;
  readonly availLeft?: number;
  readonly availTop?: number;
  addEventListener?(type: 'change', listener: () => void): void;
  removeEventListener?(type: 'change', listener: () => void): void;
}

export interface FileInputLike {
  type: string;
  multiple: boolean;
  webkitdirectory: boolean;
  readonly files: ArrayLike<PickedFile> | null;
  addEventListener(type: 'change' | 'cancel', listener: () => void, options?: { once?: boolean }): void;
  click(): void;
}

export interface BrowserWindowLike {
  /** The Window Management API; absent in browsers without it. */
  getScreenDetails?: () => Promise<ScreenDetailsLike>;
  readonly screen: OwnScreenLike;
  readonly devicePixelRatio: number;
  open(url: string, target: string, features: string): unknown;
  readonly location: { assign(url: string): void };
  readonly document: {
    readonly documentElement: { requestFullscreen(): Promise<void> };
    readonly fullscreenElement: unknown;
    exitFullscreen(): Promise<void>;
    createElement(tagName: 'input'): FileInputLike;
  };
  fetch(url: string, init: { credentials: 'same-origin' }): Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;
}

function screenId(s: { left: number; top: number; width: number; height: number }): string {
  return `screen:${s.left},${s.top},${s.width}x${s.height}`;
}

function fromScreenDetailed(s: ScreenDetailedLike): HostDisplay {
  return {
    id: screenId(s),
    label: s.label,
    bounds: { x: s.left, y: s.top, width: s.width, height: s.height },
    workArea: { x: s.availLeft, y: s.availTop, width: s.availWidth, height: s.availHeight },
    scaleFactor: s.devicePixelRatio,
    primary: s.isPrimary,
  };
}

/** The only display a browser without the Window Management API can describe: its own screen. */
function ownDisplay(win: BrowserWindowLike): HostDisplay {
  const s = win.screen;
  const x = s.availLeft ?? 0;
  const y = s.availTop ?? 0;
  return {
    id: screenId({ left: x, top: y, width: s.width, height: s.height }),
    label: '',
    bounds: { x, y, width: s.width, height: s.height },
    workArea: { x, y, width: s.availWidth, height: s.availHeight },
    scaleFactor: win.devicePixelRatio,
    primary: true,
  };
}

function checkedRoute(route: string): string {
  const problem = appRouteProblem(route);
  if (problem !== undefined) throw new Error(`openWindowOnDisplay: ${problem}`);
  return route;
}

export function createBrowserHost(win: BrowserWindowLike): HostBridge {
  // Asked once per page: a denied permission is not asked again (the single-window fallback stands).
  let details: Promise<ScreenDetailsLike | null> | undefined;
  const screenDetails = () => (details ??= win.getScreenDetails ? win.getScreenDetails().catch(() => null) : Promise.resolve(null));

  const displays = async (): Promise<HostDisplay[]> => {
    const d = await screenDetails();
    if (!d || d.screens.length === 0) return [ownDisplay(win)];
    return d.screens.map(fromScreenDetailed).sort((a, b) => Number(b.primary) - Number(a.primary) || a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y);
  };

  return {
    displays,

    async currentDisplayId() {
      const d = await screenDetails();
      return d ? screenId(d.currentScreen) : ownDisplay(win).id;
    },

    async openWindowOnDisplay(displayId, route) {
      const path = checkedRoute(route);
      const d = await screenDetails();
      if (!d || screenId(d.currentScreen) === displayId) {
        win.location.assign(path);
        return;
      }
      const target = d.screens.find((s) => screenId(s) === displayId);
      if (!target) throw new Error(`openWindowOnDisplay: no display "${displayId}" (connected: ${d.screens.map(screenId).join(', ')})`);
      // One window per display: the same name reuses (and navigates) that display's window.
      const features = `popup,left=${target.availLeft},top=${target.availTop},width=${target.availWidth},height=${target.availHeight}`;
      const opened = win.open(path, `viewbox-display-${displayId}`, features);
      if (opened === null || opened === undefined) {
        throw new Error(`openWindowOnDisplay: the browser blocked the window for display "${displayId}" (allow pop-ups for this site, and call this from a click or key press)`);
      }
    },

    async setFullScreen(fullScreen) {
      if (fullScreen) await win.document.documentElement.requestFullscreen();
      else if (win.document.fullscreenElement) await win.document.exitFullscreen();
    },

    chooseFilesToImport(options) {
      const input = win.document.createElement('input');
      input.type = 'file';
      input.multiple = true;
      input.webkitdirectory = options?.folder === true;
      return new Promise<ImportSelection>((resolve) => {
        input.addEventListener(
          'change',
          () => {
            const files = Array.from(input.files ?? []);
            resolve(files.length > 0 ? { kind: 'files', files } : { kind: 'cancelled' });
          },
          { once: true },
        );
        input.addEventListener('cancel', () => resolve({ kind: 'cancelled' }), { once: true });
        input.click();
      });
    },

    async appInfo(): Promise<AppInfo> {
      const response = await win.fetch(apiPaths.status, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(`appInfo: ${apiPaths.status} answered HTTP ${response.status}`);
      const status = (await response.json()) as { version?: unknown };
      return { shell: 'browser', version: typeof status.version === 'string' ? status.version : 'unknown', dataFolder: null };
    },

    onDisplaysChanged(listener) {
      let active = true;
      const notify = () => {
        displays().then((list) => active && listener(list), () => undefined);
      };
      // This window's screen changing (resolution, scale) is seen with or without the Window Management API.
      win.screen.addEventListener?.('change', notify);
      let subscribed: ScreenDetailsLike | null = null;
      void screenDetails().then((d) => {
        if (!active || !d) return;
        subscribed = d;
        d.addEventListener('screenschange', notify);
      });
      return () => {
        active = false;
        win.screen.removeEventListener?.('change', notify);
        subscribed?.removeEventListener('screenschange', notify);
      };
    },
  };
}
