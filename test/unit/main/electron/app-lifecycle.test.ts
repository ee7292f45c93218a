import { describe, expect, it } from 'vitest';
import { QUIT_GRACE_MS, runShell, type AppLike, type ShellNode, type ShellWindows } from '../../../../main/electron/app-lifecycle.js';
import { shellOptions } from '../../../../main/electron/shell-options.js';
import { recordingLogger, settle } from './fakes.js';

type Handler = (event: { preventDefault(): void }) => void;

/** A fake of AppLike: events are fired by the test; quit() runs before-quit and will-quit as Electron does. */
class FakeApp implements AppLike {
  readonly calls: string[] = [];
  private readonly handlers = new Map<string, Handler[]>();
  private ready!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => (this.ready = resolve));
  exitCode: number | undefined;
  quitDone = false;
  constructor(private readonly lock = true) {}
  requestSingleInstanceLock(): boolean {
    this.calls.push('lock');
    return this.lock;
  }
  whenReady(): Promise<unknown> {
    return this.readyPromise;
  }
  becomeReady(): void {
    this.ready();
  }
  on(event: string, listener: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string): { prevented: boolean } {
    const result = { prevented: false };
    for (const h of this.handlers.get(event) ?? []) h({ preventDefault: () => void (result.prevented = true) });
    return result;
  }
  quit(): void {
    this.calls.push('quit');
    this.emit('before-quit');
    if (!this.emit('will-quit').prevented) this.quitDone = true;
  }
  exit(code?: number): void {
    this.exitCode = code;
    this.calls.push(`exit(${code})`);
  }
}

class FakeNode implements ShellNode {
  url = 'http://127.0.0.1:8042/';
  launchUrls = 0;
  closes: Array<number | undefined> = [];
  newLaunchUrl(): string {
    return `${this.url}?launch=one-time-code-${++this.launchUrls}`;
  }
  async close(graceMs?: number): Promise<void> {
    this.closes.push(graceMs);
  }
}

class FakeWindows implements ShellWindows {
  readonly calls: string[] = [];
  open = 0;
  async openAll(url?: string): Promise<void> {
    this.calls.push(`openAll(${url ?? ''})`);
    this.open = 2;
  }
  focusMain(): void {
    this.calls.push('focusMain');
  }
  count(): number {
    return this.open;
  }
  async saveState(): Promise<void> {
    this.calls.push('saveState');
  }
}

function start(options: { lock?: boolean; platform?: NodeJS.Platform; failStart?: Error } = {}) {
  const app = new FakeApp(options.lock ?? true);
  const node = new FakeNode();
  const windows = new FakeWindows();
  const fatal: string[] = [];
  let starts = 0;
  const { logger } = recordingLogger();
  const outcome = runShell({
    app,
    platform: options.platform ?? 'linux',
    startNode: async () => {
      starts++;
      if (options.failStart) throw options.failStart;
      return node;
    },
    openShell: () => windows,
    fatal: (title, message) => void fatal.push(`${title}: ${message}`),
    logger,
  });
  return { app, node, windows, fatal, outcome, starts: () => starts };
}

describe('app lifecycle', () => {
  it('starts the node once ready and opens the windows with a fresh one-time launch URL', async () => {
    const { app, windows, outcome, starts } = start();
    await settle();
    expect(starts()).toBe(0);
    app.becomeReady();
    expect((await outcome).kind).toBe('running');
    expect(starts()).toBe(1);
    expect(windows.calls).toEqual(['openAll(http://127.0.0.1:8042/?launch=one-time-code-1)']);
  });

  it('a second launch quits at once without starting a node; the running one brings its main window forward', async () => {
    const second = start({ lock: false });
    expect((await second.outcome).kind).toBe('second-instance');
    expect(second.app.calls).toEqual(['lock', 'quit']);
    expect(second.starts()).toBe(0);

    const first = start();
    first.app.becomeReady();
    await first.outcome;
    first.app.emit('second-instance');
    expect(first.windows.calls.at(-1)).toBe('focusMain');
  });

  it('quitting saves the window state, closes the node with its grace period, then really quits', async () => {
    const { app, node, windows, outcome } = start();
    app.becomeReady();
    await outcome;
    app.quit();
    expect(app.quitDone).toBe(false);
    await settle();
    expect(windows.calls).toContain('saveState');
    expect(node.closes).toEqual([QUIT_GRACE_MS]);
    expect(app.quitDone).toBe(true);
    expect(app.calls.filter((c) => c === 'quit')).toHaveLength(2);
  });

  it('closing the last window quits on Windows and Linux, not on macOS, where activating reopens the windows', async () => {
    const linux = start({ platform: 'linux' });
    linux.app.becomeReady();
    await linux.outcome;
    linux.app.emit('window-all-closed');
    expect(linux.app.calls).toContain('quit');

    const mac = start({ platform: 'darwin' });
    mac.app.becomeReady();
    await mac.outcome;
    mac.windows.open = 0;
    mac.app.emit('window-all-closed');
    expect(mac.app.calls).not.toContain('quit');
    mac.app.emit('activate');
    expect(mac.windows.calls.at(-1)).toBe('openAll()');
  });

  it('a node that cannot start is shown to the user and the app exits with status 1', async () => {
    const { app, outcome, fatal, windows } = start({ failStart: new Error('/etc/viewbox/config.json: /dicomPort: must be <= 65535') });
    app.becomeReady();
    expect((await outcome).kind).toBe('failed');
    expect(fatal).toEqual(['Viewbox could not start: /etc/viewbox/config.json: /dicomPort: must be <= 65535']);
    expect(app.exitCode).toBe(1);
    expect(windows.calls).toEqual([]);
  });
});

describe('shell command line', () => {
  it('takes the serve options and ignores Chromium switches and positionals', () => {
    expect(shellOptions(['--data', '/srv/viewbox', '--enable-logging', '--aet', 'READING1', '--dicom-port=11112', '--http-port', 'x', '--config', 'c.json', 'extra'])).toEqual({
      values: { data: '/srv/viewbox', config: 'c.json' },
      flags: { aet: 'READING1', dicomPort: 11112, httpPort: 'x' },
    });
    expect(shellOptions([])).toEqual({ values: {}, flags: {} });
  });
});
