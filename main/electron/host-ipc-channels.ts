/**
 * The fixed list of IPC channels between the preload's HostBridge and the
 * main process. The sandboxed preload cannot load this module at run time, so
 * it repeats the literals typed as HostIpcChannels: a drift fails to compile.
 */
export const HOST_IPC = {
  displays: 'viewbox-host:displays',
  currentDisplayId: 'viewbox-host:current-display-id',
  openWindowOnDisplay: 'viewbox-host:open-window-on-display',
  setFullScreen: 'viewbox-host:set-full-screen',
  chooseFilesToImport: 'viewbox-host:choose-files-to-import',
  appInfo: 'viewbox-host:app-info',
  /** Main → renderer only (webContents.send): the display list changed. */
  displaysChanged: 'viewbox-host:displays-changed',
} as const;

export type HostIpcChannels = typeof HOST_IPC;

/** The channels a renderer may invoke (everything but the main → renderer event). */
export type HostInvokeChannel = Exclude<HostIpcChannels[keyof HostIpcChannels], HostIpcChannels['displaysChanged']>;
