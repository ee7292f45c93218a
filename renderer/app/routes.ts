/**
 * The app's routes, in the address bar so that a study can be reopened, kept
 * in a bookmark or opened in a window on another display. The node answers
 * these paths with index.html (main/web/static-ui.ts: keep both lists equal).
 */
import { useEffect, useState } from 'react';

export type Route = { page: 'worklist' } | { page: 'viewer'; studyUid: string };

export const VIEWER_PREFIX = '/view/';

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

const listeners = new Set<() => void>();

export function navigate(route: Route): void {
  const path = pathOf(route);
  if (path !== window.location.pathname) window.history.pushState(null, '', path);
  listeners.forEach((listener) => listener());
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(routeOf(window.location.pathname));
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
