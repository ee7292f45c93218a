/** The HTTP face as one fetch-style handler (Hono): the app API now, DICOMweb and the UI later. */
import { Hono } from 'hono';
import { apiRoutes, type ApiDeps } from './api-routes.js';
import { authMiddleware, type AuthOptions } from './auth.js';
import { dicomWebRoutes, type DicomWebDeps } from './dicomweb/routes.js';
import { staticUi } from './static-ui.js';

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
  /** DICOMweb under /dicom-web; absent, not served. */
  dicomweb?: DicomWebDeps;
}

export function createWebApp(options: WebAppOptions): Hono {
  const app = new Hono();
  app.use('*', authMiddleware(options));
  app.get('/api/status', async (c) => c.json(await options.status()));
  if (options.api) app.route('/api', apiRoutes(options.api));
  if (options.dicomweb) app.route('/dicom-web', dicomWebRoutes(options.dicomweb));
  // The reading room, after the API routes.
  app.route('/', staticUi());
  return app;
}
