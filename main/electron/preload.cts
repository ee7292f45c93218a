/**
 * The preload of every app window: exposes the HostBridge, and nothing else,
 * as `window.viewboxHost`, each method one `ipcRenderer.invoke` on a fixed
 * channel (the main process checks sender and arguments). CommonJS and
 * self-contained because sandboxed preloads can load no module but
 * `electron`: the channel names are repeated here, typed by HostIpcChannels.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { HostBridge, HostBridgeGlobalName, HostDisplay } from '../../shared/host/host-bridge.js';
import type { HostIpcChannels } from './host-ipc-channels.js';

const channel: HostIpcChannels = {
  displays: 'viewbox-host:displays',
  currentDisplayId: 'viewbox-host:current-display-id',
  openWindowOnDisplay: 'viewbox-host:open-window-on-display',
  setFullScreen: 'viewbox-host:set-full-screen',
  chooseFilesToImport: 'viewbox-host:choose-files-to-import',
  appInfo: 'viewbox-host:app-info',
  displaysChanged: 'viewbox-host:displays-changed',
};

const bridge: HostBridge = {
  displays: () => ipcRenderer.invoke(channel.displays),
  currentDisplayId: () => ipcRenderer.invoke(channel.currentDisplayId),
  openWindowOnDisplay: (displayId, route) => ipcRenderer.invoke(channel.openWindowOnDisplay, displayId, route),
  setFullScreen: (fullScreen) => ipcRenderer.invoke(channel.setFullScreen, fullScreen),
  chooseFilesToImport: (options) => (options === undefined ? ipcRenderer.invoke(channel.chooseFilesToImport) : ipcRenderer.invoke(channel.chooseFilesToImport, options)),
  appInfo: () => ipcRenderer.invoke(channel.appInfo),
  onDisplaysChanged(listener) {
    // The page never sees the IPC event (it would carry ipcRenderer's sender).
    const relay = (_event: unknown, displays: HostDisplay[]) => listener(displays);
    ipcRenderer.on(channel.displaysChanged, relay);
    return () => {
      ipcRenderer.removeListener(channel.displaysChanged, relay);
    };
  },
};

const globalName: HostBridgeGlobalName = 'viewboxHost';
contextBridge.exposeInMainWorld(globalName, bridge);
