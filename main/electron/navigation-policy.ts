/**
 * What the app's pages may do, decided from URLs and permission names only
 * (pure): navigate within the node's origin and nowhere else, open no new
 * windows, and get only the permissions a reading room needs, only for the
 * node's own origin. Everything else is denied by default.
 */

/** The origin of a URL, or undefined for a string that is not an absolute URL. */
export function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

export function isAppUrl(url: string, appOrigin: string): boolean {
  return originOf(url) === appOrigin;
}

/** Navigation (and redirects) of any frame: only to the node's own origin. */
export function allowNavigation(url: string, appOrigin: string): boolean {
  return isAppUrl(url, appOrigin);
}

/** window.open, target=_blank, shift-click: always denied (the shell opens windows itself, one per display). */
export function allowNewWindow(_url: string): false {
  return false;
}

/**
 * The permissions the app uses: full screen (element.requestFullscreen),
 * window management (screen details for placing windows) and writing to the
 * clipboard (copying a UID or a measurement).
 */
export const APP_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen', 'window-management', 'clipboard-sanitized-write']);

/** A permission request or check: granted only for APP_PERMISSIONS, asked by the node's own origin. */
export function allowPermission(permission: string, requestingUrlOrOrigin: string, appOrigin: string): boolean {
  return APP_PERMISSIONS.has(permission) && originOf(requestingUrlOrOrigin) === appOrigin;
}
