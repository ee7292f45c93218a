/**
 * Electron's security settings for the app's windows, wired from the pure
 * decisions in navigation-policy.ts and content-security-policy.ts: isolated,
 * sandboxed renderers without Node; navigation only within the node's origin;
 * no new windows or webviews; permissions denied but for the app's own few;
 * a CSP on every response from the node.
 */
import { withContentSecurityPolicy, type ResponseHeaders } from './content-security-policy.js';
import { allowNavigation, allowNewWindow, allowPermission } from './navigation-policy.js';
import type { Logger } from '../log.js';

/** The webPreferences of every app window. */
export function secureWebPreferences(preload: string, devTools: boolean) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  } as const;
}

interface PreventableEvent {
  preventDefault(): void;
}

/** What the guard uses of a window's `webContents`. */
export interface WebContentsLike {
  on(event: 'will-frame-navigate', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** Every navigation, redirect, new window and webview of one window's page goes through the policy. */
export function guardWebContents(contents: WebContentsLike, appOrigin: string, logger: Logger): void {
  const checkNavigation = (kind: string) => (event: PreventableEvent & { url: string }) => {
    if (allowNavigation(event.url, appOrigin)) return;
    event.preventDefault();
    logger.warn(`${kind} blocked: not the app's origin`, { url: event.url, appOrigin });
  };
  contents.on('will-frame-navigate', checkNavigation('navigation'));
  contents.on('will-redirect', checkNavigation('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('webview blocked');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (!allowNewWindow(url)) logger.warn('new window blocked (the shell opens windows itself)', { url });
    return { action: 'deny' };
  });
}

/** What the guard uses of a `session`. */
export interface SessionLike {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string) => boolean): void;
  readonly webRequest: {
    onHeadersReceived(listener: (details: { url: string; responseHeaders?: ResponseHeaders }, callback: (response: { responseHeaders: ResponseHeaders }) => void) => void): void;
  };
}

/** Permissions and response headers for every page of the app's session. */
export function guardSession(session: SessionLike, appOrigin: string, logger: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = allowPermission(permission, details.requestingUrl, appOrigin);
    if (!granted) logger.warn('permission request denied', { permission, url: details.requestingUrl });
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowPermission(permission, requestingOrigin, appOrigin));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.url, details.responseHeaders, appOrigin) });
  });
}
