import { describe, expect, it } from 'vitest';
import { HOST_IPC } from '../../../../main/electron/host-ipc-channels.js';
import { registerHostIpc, type HostServices, type InvokeEventLike } from '../../../../main/electron/host-ipc.js';
import { expectImportChoiceOptions, expectWindowOnDisplay, senderProblem } from '../../../../main/electron/host-ipc-validation.js';
import { shellHostServices, type DialogLike } from '../../../../main/electron/host-services.js';
import { WindowManager } from '../../../../main/electron/window-manager.js';
import { display, FakeScreen, FakeWindow, MemoryStateStore, recordingLogger } from './fakes.js';

const APP = 'http://127.0.0.1:8042';
const topFrame = { origin: APP, url: `${APP}/`, parent: null };

describe('IPC argument and sender checks', () => {
  it('accepts only the top frame of a page on the node origin', () => {
    expect(senderProblem(topFrame, APP)).toBeUndefined();
    expect(senderProblem(null, APP)).toContain('gone');
    expect(senderProblem({ ...topFrame, parent: topFrame }, APP)).toContain('sub-frame');
    expect(senderProblem({ origin: 'https://evil.example', url: 'https://evil.example/', parent: null }, APP)).toBe(`sent from https://evil.example, not the app's origin ${APP}`);
    expect(senderProblem({ origin: 'null', url: 'data:text/html,x', parent: null }, APP)).toContain('not the app');
  });

  it.each([
    [['2', '/viewer?study=1.2.3'], undefined],
    [['2'], 'takes (displayId, route), got 1 arguments'],
    [[2, '/'], 'displayId must be a display\'s id, got number'],
    [['../../etc', '/'], 'displayId must be a display\'s id'],
    [['2', 'https://evil.example/'], 'must start with "/"'],
    [['2', '//evil.example/x'], "would leave the app's origin"],
    [['2', '/\\evil.example'], "would leave the app's origin"],
    [['2', '/a\nb'], 'control characters'],
    [['2', { toString: () => '/' }], 'must be a string, not object'],
  ])('openWindowOnDisplay(%j)', (args, problem) => {
    const call = () => expectWindowOnDisplay(HOST_IPC.openWindowOnDisplay, args);
    if (problem === undefined) expect(call()).toEqual({ displayId: args[0], route: args[1] });
    else expect(call).toThrow(problem);
  });

  it('refuses a route longer than any app route', () => {
    expect(() => expectWindowOnDisplay(HOST_IPC.openWindowOnDisplay, ['2', `/${'a'.repeat(5000)}`])).toThrow('route is 5001 characters long (at most 4096)');
  });

  it.each([
    [[], { folder: false }],
    [[{}], { folder: false }],
    [[{ folder: true }], { folder: true }],
    [[{ folder: 'yes' }], 'folder must be a boolean, got "yes"'],
    [[{ folder: true, path: '/etc' }], 'unknown option(s) path'],
    [[[true]], 'options must be {folder?: boolean}, got an array'],
    [[{}, {}], 'takes at most one argument'],
  ])('chooseFilesToImport(%j)', (args, expected) => {
    const call = () => expectImportChoiceOptions(HOST_IPC.chooseFilesToImport, args);
    if (typeof expected === 'string') expect(call).toThrow(`${HOST_IPC.chooseFilesToImport}: ${expected}`);
    else expect(call()).toEqual(expected);
  });
});

type Sender = { windowId: number };

function harness() {
  const handlers = new Map<string, (event: InvokeEventLike<Sender>, ...args: unknown[]) => unknown>();
  const calls: string[] = [];
  const services: HostServices<Sender> = {
    displays: () => [],
    currentDisplayId: (s) => `display-of-${s.windowId}`,
    openWindowOnDisplay: async (id, route) => void calls.push(`open ${id} ${route}`),
    setFullScreen: (s, flag) => void calls.push(`fullscreen ${s.windowId} ${flag}`),
    chooseFilesToImport: async (_s, o) => (calls.push(`choose ${o.folder}`), { kind: 'cancelled' }),
    appInfo: () => ({ shell: 'electron', version: '0.1.0', dataFolder: '/data' }),
  };
  const { logger, lines } = recordingLogger();
  registerHostIpc({ handle: (channel, listener) => void handlers.set(channel, listener) }, APP, services, logger);
  const invoke = async (channel: string, frame: typeof topFrame | null, ...args: unknown[]) => handlers.get(channel)!({ senderFrame: frame, sender: { windowId: 7 } }, ...args);
  return { handlers, calls, invoke, lines };
}

describe('IPC registration', () => {
  it('handles exactly the invoke channels of HOST_IPC', () => {
    const { handlers } = harness();
    const { displaysChanged: _event, ...invokable } = HOST_IPC;
    expect([...handlers.keys()].sort()).toEqual(Object.values(invokable).sort());
  });

  it('passes checked calls to the host services with the sender', async () => {
    const { invoke, calls } = harness();
    expect(await invoke(HOST_IPC.currentDisplayId, topFrame)).toBe('display-of-7');
    await invoke(HOST_IPC.openWindowOnDisplay, topFrame, '2', '/viewer');
    await invoke(HOST_IPC.setFullScreen, topFrame, true);
    expect(await invoke(HOST_IPC.chooseFilesToImport, topFrame, { folder: true })).toEqual({ kind: 'cancelled' });
    expect(await invoke(HOST_IPC.appInfo, topFrame)).toEqual({ shell: 'electron', version: '0.1.0', dataFolder: '/data' });
    expect(calls).toEqual(['open 2 /viewer', 'fullscreen 7 true', 'choose true']);
  });

  it('refuses a foreign sender or bad arguments before any service runs, and logs it', async () => {
    const { invoke, calls, lines } = harness();
    await expect(invoke(HOST_IPC.openWindowOnDisplay, { origin: 'https://evil.example', url: 'https://evil.example/', parent: null }, '2', '/')).rejects.toThrow(
      `${HOST_IPC.openWindowOnDisplay}: refused: sent from https://evil.example`,
    );
    await expect(invoke(HOST_IPC.setFullScreen, topFrame, 'yes')).rejects.toThrow(`${HOST_IPC.setFullScreen}: takes one boolean, got "yes"`);
    await expect(invoke(HOST_IPC.displays, topFrame, 1)).rejects.toThrow('takes no arguments, got 1');
    await expect(invoke(HOST_IPC.appInfo, null)).rejects.toThrow('refused');
    expect(calls).toEqual([]);
    expect(lines.filter((l) => l.msg === 'host bridge call failed').map((l) => l.channel)).toEqual([HOST_IPC.openWindowOnDisplay, HOST_IPC.setFullScreen, HOST_IPC.displays, HOST_IPC.appInfo]);
  });
});

describe('host services over the window manager', () => {
  async function services(dialogResult = { canceled: false, filePaths: ['/media/cd/DICOMDIR'] }) {
    const screen = new FakeScreen([display(1, 0, 0, 1920, 1080), display(2, 1920, 0, 2560, 1440)]);
    const windows: FakeWindow[] = [];
    const manager = new WindowManager<FakeWindow>({
      screen,
      createWindow: (b) => {
        const w = new FakeWindow(b);
        windows.push(w);
        return w;
      },
      store: new MemoryStateStore(),
      pageUrl: (route) => new URL(route, APP).href,
      logger: recordingLogger().logger,
    });
    await manager.openAll(`${APP}/?launch=c`);
    const dialogCalls: Array<{ window: FakeWindow; properties: string[] }> = [];
    const dialog: DialogLike<FakeWindow> = {
      showOpenDialog: async (window, options) => (dialogCalls.push({ window, properties: options.properties }), dialogResult),
    };
    const stranger = new FakeWindow({ x: 0, y: 0, width: 800, height: 600 });
    const host = shellHostServices<FakeWindow | null, FakeWindow>({ windows: manager, windowOf: (s) => s, dialog, appInfo: { version: '0.1.0', dataFolder: '/data' } });
    return { host, windows, dialogCalls, stranger };
  }

  it("answers with the caller's display, full screen for the caller's window, and paths from the dialog", async () => {
    const { host, windows, dialogCalls } = await services();
    expect(host.displays().map((d) => d.id)).toEqual(['1', '2']);
    expect(host.currentDisplayId(windows[1]!)).toBe('2');
    host.setFullScreen(windows[1]!, true);
    expect(windows.map((w) => w.fullScreen)).toEqual([false, true]);
    expect(await host.chooseFilesToImport(windows[0]!, { folder: true })).toEqual({ kind: 'paths', paths: ['/media/cd/DICOMDIR'] });
    expect(dialogCalls).toEqual([{ window: windows[0], properties: ['openDirectory'] }]);
    expect(host.appInfo()).toEqual({ shell: 'electron', version: '0.1.0', dataFolder: '/data' });
  });

  it('reports a cancelled dialog as cancelled, and refuses pages outside its windows', async () => {
    const { host, windows, stranger } = await services({ canceled: true, filePaths: [] });
    expect(await host.chooseFilesToImport(windows[0]!, { folder: false })).toEqual({ kind: 'cancelled' });
    expect(() => host.setFullScreen(stranger, true)).toThrow('the calling page is not in a Viewbox window');
    expect(() => host.currentDisplayId(null)).toThrow('not in a Viewbox window');
  });
});
