/** The HTTP face as one fetch-style handler (Hono): the app API now, DICOMweb and the UI later. */
import { Hono } from 'hono';
import { apiRoutes, type ApiDeps } from './api-routes.js';
import { authMiddleware, type AuthOptions } from './auth.js';

export interface NodeStatus {
  aet: string;
  dicomPort: number;
  version: string;
  counts: unknown;
}

export interface WebAppOptions extends AuthOptions {
  status: () => NodeStatus | Promise<NodeStatus>;
  /** The app API for the reading room; absent, only /api/status answers. */
  api?: ApiDeps;
}

export function createWebApp(options: WebAppOptions): Hono {
  const app = new Hono();
  app.use('*', authMiddleware(options));
  app.get('/api/status', async (c) => c.json(await options.status()));
  if (options.api) app.route('/api', apiRoutes(options.api));
  // The reading UI is served here in a later issue; until then, say what this is.
  app.get('/', (c) => c.text('Viewbox archive node. API: /api/status\n'));
  return app;
}
