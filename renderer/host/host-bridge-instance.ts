/** The page's HostBridge: the Electron preload's when the page runs in the app, else the browser's own. */
import type { HostBridge, HostBridgeGlobalName } from '../../shared/host/host-bridge.js';
import { createBrowserHost } from './browser-host.js';

let browserHost: HostBridge | undefined;

export function hostBridge(): HostBridge {
  const preloaded = (window as unknown as Partial<Record<HostBridgeGlobalName, HostBridge>>).viewboxHost;
  return preloaded ?? (browserHost ??= createBrowserHost(window));
}
