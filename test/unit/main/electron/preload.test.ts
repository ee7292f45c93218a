/**
 * The preload runs in a sandboxed renderer, where `require` knows only a few
 * modules. The test runs its source the same way: compiled to CommonJS and
 * evaluated with a `require` that knows only `electron` (a fake of the two
 * objects it uses), so it never imports Electron.
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { HOST_IPC } from '../../../../main/electron/host-ipc-channels.js';
import type { HostBridge, HostDisplay } from '../../../../shared/host/host-bridge.js';

function loadPreload() {
  const source = readFileSync(new URL('../../../../main/electron/preload.cts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const exposed = new Map<string, unknown>();
  const invocations: Array<[string, ...unknown[]]> = [];
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => (invocations.push([channel, ...args]), `answer to ${channel}`),
      on: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => void listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
      removeListener: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => void listeners.get(channel)?.delete(l),
    },
  };
  const module = { exports: {} };
  const require = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require "${name}"`);
    return electron;
  };
  runInNewContext(outputText, { require, module, exports: module.exports });
  const emit = (channel: string, ...args: unknown[]) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'ipcRenderer internals' }, ...args);
  };
  return { exposed, invocations, listeners, required, emit };
}

describe('preload', () => {
  it('requires nothing but electron and exposes only the HostBridge, as window.viewboxHost', () => {
    const { exposed, required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['viewboxHost']);
    expect(Object.keys(exposed.get('viewboxHost') as object).sort()).toEqual(
      ['appInfo', 'chooseFilesToImport', 'currentDisplayId', 'displays', 'onDisplaysChanged', 'openWindowOnDisplay', 'setFullScreen'],
    );
  });

  it('maps each method to its fixed channel with the arguments as given (the main side checks them)', async () => {
    const { exposed, invocations } = loadPreload();
    const host = exposed.get('viewboxHost') as HostBridge;
    expect(await host.displays()).toBe(`answer to ${HOST_IPC.displays}`);
    await host.currentDisplayId();
    await host.openWindowOnDisplay('2', '/viewer?study=1.2.3');
    await host.setFullScreen(true);
    await host.chooseFilesToImport();
    await host.chooseFilesToImport({ folder: true });
    await host.appInfo();
    expect(invocations).toEqual([
      [HOST_IPC.displays],
      [HOST_IPC.currentDisplayId],
      [HOST_IPC.openWindowOnDisplay, '2', '/viewer?study=1.2.3'],
      [HOST_IPC.setFullScreen, true],
      [HOST_IPC.chooseFilesToImport],
      [HOST_IPC.chooseFilesToImport, { folder: true }],
      [HOST_IPC.appInfo],
    ]);
  });

  it('relays display changes without the IPC event, and unsubscribes', () => {
    const { exposed, emit, listeners } = loadPreload();
    const host = exposed.get('viewboxHost') as HostBridge;
    const seen: unknown[][] = [];
    const off = host.onDisplaysChanged((...args) => void seen.push(args));
    const list = [{ id: '1' }] as HostDisplay[];
    emit(HOST_IPC.displaysChanged, list);
    expect(seen).toEqual([[list]]);
    off();
    expect(listeners.get(HOST_IPC.displaysChanged)?.size).toBe(0);
    emit(HOST_IPC.displaysChanged, list);
    expect(seen).toHaveLength(1);
  });
});
