/**
 * The app's routes: which page a path shows and the path of a page (the
 * reading room navigates by them, the node answers them with the app), and
 * which strings are app routes at all (see AppRoute): both HostBridge
 * implementations check a route before showing it, so a route can never
 * become a navigation to another origin.
 */

/** A page of the reading room. */
export type Route = { page: 'worklist' } | { page: 'viewer'; studyUid: string };

export const VIEWER_PREFIX = '/view/';

/** The paths the node answers with the reading room's index.html (Hono patterns). */
export const APP_PATHS: readonly string[] = ['/', `${VIEWER_PREFIX}*`];

export function routeOf(pathname: string): Route {
  if (pathname.startsWith(VIEWER_PREFIX)) {
    const studyUid = decodeURIComponent(pathname.slice(VIEWER_PREFIX.length));
    if (studyUid) return { page: 'viewer', studyUid };
  }
  return { page: 'worklist' };
}

export function pathOf(route: Route): string {
  return route.page === 'viewer' ? `${VIEWER_PREFIX}${encodeURIComponent(route.studyUid)}` : '/';
}

const MAX_ROUTE_LENGTH = 4096;
const PROBE_ORIGIN = 'http://app.invalid';

/** Why `route` is not an app route, or undefined when it is one. */
export function appRouteProblem(route: unknown): string | undefined {
  if (typeof route !== 'string') return `a route must be a string, not ${route === null ? 'null' : typeof route}`;
  if (route.length > MAX_ROUTE_LENGTH) return `route is ${route.length} characters long (at most ${MAX_ROUTE_LENGTH})`;
  if (!route.startsWith('/')) return `route "${route}" must start with "/"`;
  // `//host` and `/\host` are protocol-relative URLs to another origin in browsers.
  if (route.startsWith('//') || route.includes('\\')) return `route "${route}" would leave the app's origin`;
  if ([...route].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return `route ${JSON.stringify(route)} contains control characters`;
  let url: URL;
  try {
    url = new URL(route, PROBE_ORIGIN);
  } catch {
    return `route "${route}" is not a valid URL path`;
  }
  if (url.origin !== PROBE_ORIGIN) return `route "${route}" would leave the app's origin`;
  return undefined;
}
