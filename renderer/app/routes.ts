/**
 * The app's routes in the address bar, so that a study can be reopened, kept
 * in a bookmark or opened in a window on another display. The routes
 * themselves are a contract with the node (shared/host/app-route.ts).
 */
import { useEffect, useState } from 'react';
import { pathOf, routeOf, type Route } from '../../shared/host/app-route.js';

export { pathOf, type Route };

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
