/** The HTTP face as one fetch-style handler (Hono): the app API now, DICOMweb and the UI later. */
import { Hono } from 'hono';
import { apiPaths, type LaunchUrl, type StorageStatus } from '../../shared/api/app-api.js';
import { DICOMWEB_ROOT } from '../../shared/api/dicomweb-paths.js';
import { apiRoutes, type ApiDeps } from './api-routes.js';
import { authMiddleware, type AuthEnv, type AuthOptions } from './auth.js';
import { dicomWebRoutes, type DicomWebDeps } from './dicomweb/routes.js';
import { LaunchCodes, launchUrlFor } from './launch-codes.js';
import { staticUi } from './static-ui.js';

export interface NodeStatus {
  aet: string;
  dicomPort: number;
  version: string;
  counts: unknown;
  /** Whether the node can receive studies now (read-only on a full disk). */
  storage?: StorageStatus;
}

export interface WebAppOptions extends AuthOptions {
  status: () => NodeStatus | Promise<NodeStatus>;
  /** The app API for the reading room; absent, only /api/status answers. */
  api?: ApiDeps;
  /** DICOMweb under /dicom-web; absent, not served. */
  dicomweb?: DicomWebDeps;
}

export function createWebApp(options: WebAppOptions): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const launchCodes = options.launchCodes ?? new LaunchCodes();
  app.use('*', authMiddleware(options, launchCodes));
  app.get('/api/status', async (c) => c.json(await options.status()));
  // A fresh launch URL for a second or restarted browser (`viewbox open`); only scripts holding the token may ask.
  app.post(apiPaths.launch, (c) => {
    if (c.get('authenticatedBy') !== 'bearer') return c.json({ error: `POST ${apiPaths.launch} needs Authorization: Bearer <token>` }, 403);
    const { code, expiresAt } = launchCodes.issue();
    // The Host was checked by the auth middleware: it is one of this node's own addresses.
    const launch: LaunchUrl = { launchUrl: launchUrlFor(`http://${c.req.header('host')!.toLowerCase()}/`, code), expiresAt: new Date(expiresAt).toISOString() };
    return c.json(launch);
  });
  if (options.api) app.route('/api', apiRoutes(options.api));
  if (options.dicomweb) app.route(DICOMWEB_ROOT, dicomWebRoutes(options.dicomweb));
  // The reading room, after the API routes.
  app.route('/', staticUi());
  return app;
}
