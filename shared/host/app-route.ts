/**
 * Which strings are app routes (see AppRoute): both HostBridge
 * implementations check a route before showing it, so a route can never
 * become a navigation to another origin.
 */

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
