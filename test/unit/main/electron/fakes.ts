/**
 * Fakes of the shell's own small interfaces (ScreenLike, WindowLike, the
 * window state store, a logger that keeps its lines): not of Electron.
 */
import type { HostRect } from '../../../../shared/host/host-bridge.js';
import type { DisplayLike } from '../../../../main/electron/display-geometry.js';
import type { ScreenLike, WindowLike } from '../../../../main/electron/window-manager.js';
import type { WindowStateStore } from '../../../../main/electron/window-state-file.js';
import { emptyWindowState, type WindowState } from '../../../../main/electron/window-state.js';
import { createLogger, type Logger } from '../../../../main/log.js';

type Listener = () => void;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string): void {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}

/** A display: `display(1, 0, 0, 1920, 1080)` with a 40 px task bar at the bottom. */
export function display(id: number, x: number, y: number, width: number, height: number, scaleFactor = 1): DisplayLike {
  return { id, label: `Display ${id}`, bounds: { x, y, width, height }, workArea: { x, y, width, height: height - 40 }, scaleFactor };
}

export class FakeScreen extends Emitter implements ScreenLike {
  constructor(
    public displays: DisplayLike[],
    public primaryId = displays[0]!.id,
  ) {
    super();
  }
  getAllDisplays(): DisplayLike[] {
    return this.displays.map((d) => structuredClone(d));
  }
  getPrimaryDisplay(): DisplayLike {
    return structuredClone(this.displays.find((d) => d.id === this.primaryId)!);
  }
  add(d: DisplayLike): void {
    this.displays.push(d);
    this.emit('display-added');
  }
  remove(id: number, newPrimaryId?: number): void {
    this.displays = this.displays.filter((d) => d.id !== id);
    if (newPrimaryId !== undefined) this.primaryId = newPrimaryId;
    this.emit('display-removed');
  }
  change(id: number, patch: Partial<DisplayLike>): void {
    this.displays = this.displays.map((d) => (d.id === id ? { ...d, ...patch } : d));
    this.emit('display-metrics-changed');
  }
}

let nextWindowId = 1;

export class FakeWindow extends Emitter implements WindowLike {
  readonly id = nextWindowId++;
  fullScreen = false;
  minimized = false;
  destroyed = false;
  readonly loaded: string[] = [];
  readonly calls: string[] = [];
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  /** When set, loadURL waits for it (a page still loading). */
  loadGate: Promise<void> | undefined;
  readonly webContents = { send: (channel: string, ...args: unknown[]) => void this.sent.push({ channel, args }) };

  constructor(public bounds: HostRect) {
    super();
  }
  getBounds(): HostRect {
    return { ...this.bounds };
  }
  getNormalBounds(): HostRect {
    return { ...this.bounds };
  }
  setBounds(bounds: HostRect): void {
    this.bounds = { ...bounds };
    this.emit('move');
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  setFullScreen(flag: boolean): void {
    this.fullScreen = flag;
    this.calls.push(`setFullScreen(${flag})`);
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
    this.calls.push('restore');
  }
  show(): void {
    this.calls.push('show');
  }
  focus(): void {
    this.calls.push('focus');
  }
  close(): void {
    this.emit('close');
    this.destroyed = true;
    this.emit('closed');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    await this.loadGate;
  }
}

export class MemoryStateStore implements WindowStateStore {
  saves = 0;
  constructor(public state: WindowState = emptyWindowState()) {}
  async load(): Promise<WindowState> {
    return structuredClone(this.state);
  }
  async save(state: WindowState): Promise<void> {
    this.saves++;
    this.state = structuredClone(state);
  }
}

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A logger that keeps its lines for assertions. */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { logger: createLogger({ level: 'debug', write: (line) => void lines.push(JSON.parse(line) as LogLine) }), lines };
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
