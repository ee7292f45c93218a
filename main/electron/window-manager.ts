/**
 * The shell's windows: one per display, placed where they were last time,
 * following displays as they are added, removed or changed, full screen on
 * request. Electron objects come in through the small interfaces below
 * (entry.ts passes the real ones; tests pass fakes).
 */
import type { AppRoute, HostDisplay, HostRect } from '../../shared/host/host-bridge.js';
import type { Logger } from '../log.js';
import { clampToArea, displayMatching, sameRect, toHostDisplays, type DisplayLike } from './display-geometry.js';
import { HOST_IPC } from './host-ipc-channels.js';
import { planWindows, type WindowAction } from './window-plan.js';
import { rememberWindow, restorePlacement, savedWindowFor, type WindowState } from './window-state.js';
import type { WindowStateStore } from './window-state-file.js';

/** What the shell uses of Electron's `screen`. */
export interface ScreenLike {
  getAllDisplays(): DisplayLike[];
  getPrimaryDisplay(): DisplayLike;
  on(event: 'display-added', listener: () => void): unknown;
  on(event: 'display-removed', listener: () => void): unknown;
  on(event: 'display-metrics-changed', listener: () => void): unknown;
}

/** What the shell uses of a `BrowserWindow`. */
export interface WindowLike {
  readonly id: number;
  getBounds(): HostRect;
  /** Bounds when neither full screen nor maximised. */
  getNormalBounds(): HostRect;
  setBounds(bounds: HostRect): void;
  isFullScreen(): boolean;
  setFullScreen(flag: boolean): void;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  close(): void;
  isDestroyed(): boolean;
  loadURL(url: string): Promise<void>;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  on(event: 'move', listener: () => void): unknown;
  readonly webContents: { send(channel: string, ...args: unknown[]): void };
}

export interface WindowManagerOptions<W extends WindowLike> {
  screen: ScreenLike;
  /** A new, hidden-until-ready, secured window with these bounds (entry.ts applies the security settings). */
  createWindow(bounds: HostRect): W;
  store: WindowStateStore;
  /** The URL of an app route on the node's origin. */
  pageUrl(route: AppRoute): string;
  logger: Logger;
}

interface Managed<W extends WindowLike> {
  window: W;
  displayId: string;
  /** Closed by a display change: its bounds say nothing about where the user wants it. */
  closedByShell: boolean;
}

export class WindowManager<W extends WindowLike = WindowLike> {
  /** Creation order: the first is the main window. */
  private readonly managed: Managed<W>[] = [];
  private state: WindowState | undefined;
  /** Writes of the state file, one after another (windows closing at quit each write it). */
  private writing: Promise<void> = Promise.resolve();
  /** The display ids the last plan was made for; undefined until openAll (display events before it are ignored). */
  private knownDisplayIds: Set<string> | undefined;
  /** Settles once the main window has loaded the launch URL: other windows need the session cookie it sets. */
  private sessionReady: Promise<void> = Promise.resolve();

  constructor(private readonly options: WindowManagerOptions<W>) {
    const onChange = () => this.displaysChanged();
    options.screen.on('display-added', onChange);
    options.screen.on('display-removed', onChange);
    options.screen.on('display-metrics-changed', onChange);
  }

  /** Opens a window on every display. The first (main) window loads `launchUrl`; the others the app's start route once it has. */
  async openAll(launchUrl?: string): Promise<void> {
    this.state ??= await this.options.store.load();
    const displays = this.displays();
    this.knownDisplayIds = new Set(displays.map((d) => d.id));
    await this.apply(planWindows(this.placed(), displays, this.knownDisplayIds), displays, launchUrl);
  }

  displays(): HostDisplay[] {
    return toHostDisplays(this.options.screen.getAllDisplays(), this.options.screen.getPrimaryDisplay().id);
  }

  count(): number {
    return this.managed.length;
  }

  owns(window: WindowLike): window is W {
    return this.managed.some((m) => m.window === window);
  }

  /** The display a window is on now (where most of it is). */
  displayOf(window: WindowLike): HostDisplay {
    return displayMatching(window.getBounds(), this.displays());
  }

  /** Shows `route` on that display, in its window (opening one if it has none), and brings it forward. */
  async show(displayId: string, route: AppRoute): Promise<void> {
    const displays = this.displays();
    const display = displays.find((d) => d.id === displayId);
    if (!display) throw new Error(`no display "${displayId}" (connected: ${displays.map((d) => d.id).join(', ')})`);
    const existing = this.managed.find((m) => m.displayId === displayId && !m.window.isDestroyed());
    const window = existing?.window ?? this.open(display);
    await this.sessionReady;
    await window.loadURL(this.options.pageUrl(route));
    this.bringForward(window);
  }

  setFullScreen(window: WindowLike, fullScreen: boolean): void {
    if (window.isFullScreen() !== fullScreen) window.setFullScreen(fullScreen);
  }

  /** A second launch of the app lands here: the main window comes forward. */
  focusMain(): void {
    const main = this.managed[0];
    if (main) this.bringForward(main.window);
  }

  /** Records every open window's placement and writes the state file, after any write under way (at quit). */
  async saveState(): Promise<void> {
    for (const m of this.managed) this.remember(m);
    await this.persist();
  }

  private persist(): Promise<void> {
    const write = this.writing.then(() => (this.state ? this.options.store.save(this.state) : undefined));
    this.writing = write.catch(() => undefined);
    return write;
  }

  private bringForward(window: WindowLike): void {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  private placed() {
    return this.managed.map((m) => ({ id: m.window.id, displayId: m.displayId }));
  }

  private displaysChanged(): void {
    const known = this.knownDisplayIds;
    if (!known) return;
    const displays = this.displays();
    const ids = new Set(displays.map((d) => d.id));
    const added = new Set([...ids].filter((id) => !known.has(id)));
    this.knownDisplayIds = ids;
    this.options.logger.info('displays changed', { displays: displays.map((d) => ({ id: d.id, bounds: d.bounds, scaleFactor: d.scaleFactor })) });
    void this.apply(planWindows(this.placed(), displays, added), displays).catch((error: unknown) =>
      this.options.logger.error('cannot open a window on a new display', { error }),
    );
    this.keepInsideWorkAreas(displays);
    for (const m of this.managed) m.window.webContents.send(HOST_IPC.displaysChanged, displays);
  }

  private async apply(actions: WindowAction[], displays: HostDisplay[], launchUrl?: string): Promise<void> {
    const byId = (id: string) => displays.find((d) => d.id === id);
    const state = this.state;
    const loads: Promise<void>[] = [];
    for (const action of actions) {
      if (action.kind === 'close') {
        const m = this.managed.find((x) => x.window.id === action.windowId);
        if (m) {
          m.closedByShell = true;
          m.window.close();
        }
      } else if (action.kind === 'move') {
        const m = this.managed.find((x) => x.window.id === action.windowId);
        const display = byId(action.displayId);
        if (m && display) {
          m.displayId = display.id;
          m.window.setBounds(restorePlacement(state && savedWindowFor(state, display), display).bounds);
        }
      } else {
        const display = byId(action.displayId);
        if (!display) continue;
        const isMain = this.managed.length === 0;
        const window = this.open(display);
        if (isMain && launchUrl !== undefined) {
          this.sessionReady = window.loadURL(launchUrl).catch((error: unknown) => {
            this.options.logger.error('the main window could not load the app', { error });
          });
          loads.push(this.sessionReady);
        } else {
          loads.push(
            this.sessionReady
              .then(() => window.loadURL(this.options.pageUrl('/')))
              .catch((error: unknown) => this.options.logger.error('a window could not load the app', { display: display.id, error })),
          );
        }
      }
    }
    await Promise.all(loads);
  }

  private open(display: HostDisplay): W {
    const placement = restorePlacement(this.state && savedWindowFor(this.state, display), display);
    const window = this.options.createWindow(placement.bounds);
    const m: Managed<W> = { window, displayId: display.id, closedByShell: false };
    this.managed.push(m);
    if (placement.fullScreen) window.setFullScreen(true);
    window.on('move', () => this.windowMoved(m));
    window.on('close', () => {
      if (!m.closedByShell) {
        this.remember(m);
        this.persist().catch((error: unknown) => this.options.logger.warn('cannot write the window state', { error }));
      }
    });
    window.on('closed', () => {
      const i = this.managed.indexOf(m);
      if (i >= 0) this.managed.splice(i, 1);
    });
    return window;
  }

  /** A window the user dragged to another display now belongs to that display (not while a display change is being processed). */
  private windowMoved(m: Managed<W>): void {
    if (m.window.isDestroyed()) return;
    const displays = this.displays();
    const ids = new Set(displays.map((d) => d.id));
    const known = this.knownDisplayIds;
    if (!known || ids.size !== known.size || [...ids].some((id) => !known.has(id))) return;
    m.displayId = displayMatching(m.window.getBounds(), displays).id;
  }

  /** After a resolution, scale or task-bar change, windows that now spill over their display's work area are pulled back in. */
  private keepInsideWorkAreas(displays: HostDisplay[]): void {
    for (const m of this.managed) {
      const display = displays.find((d) => d.id === m.displayId);
      if (!display || m.closedByShell || m.window.isDestroyed() || m.window.isFullScreen()) continue;
      const bounds = m.window.getBounds();
      const inside = clampToArea(bounds, display.workArea);
      if (!sameRect(bounds, inside)) m.window.setBounds(inside);
    }
  }

  private remember(m: Managed<W>): void {
    if (m.window.isDestroyed()) return;
    const display = this.displays().find((d) => d.id === m.displayId);
    if (!display || !this.state) return;
    this.state = rememberWindow(this.state, { displayId: display.id, displayBounds: display.bounds, bounds: m.window.getNormalBounds(), fullScreen: m.window.isFullScreen() });
  }
}
