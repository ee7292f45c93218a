/**
 * DICOMweb (PS3.18) under /dicom-web: WADO-RS retrieve, metadata, frames,
 * bulk data, rendered and thumbnails; STOW-RS; QIDO-RS (qido.ts). Errors are
 * JSON bodies `{"error": "..."}` that name the UID, frame or media type.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { retrieveBulkData } from './bulkdata.js';
import { DicomWebError } from './dicomweb-error.js';
import type { DicomWebDeps } from './dicomweb-deps.js';
import { retrieveFrames } from './frames.js';
import { retrieveMetadata } from './metadata.js';
import { registerQido } from './qido.js';
import { retrieveRendered, retrieveThumbnail } from './rendered.js';
import { retrieveInstances } from './retrieve-instances.js';
import { storeInstances } from './stow.js';

export type { DicomWebDeps } from './dicomweb-deps.js';

const STUDY = '/studies/:study';
const SERIES = `${STUDY}/series/:series`;
const INSTANCE = `${SERIES}/instances/:instance`;

export function dicomWebRoutes(deps: DicomWebDeps): Hono {
  const web = new Hono();
  web.onError((error, c) => {
    if (error instanceof DicomWebError) return c.json({ error: error.message }, error.status);
    deps.logger.error('DICOMweb request failed', { method: c.req.method, url: c.req.url, error });
    return c.json({ error: `internal error: ${error.message}` }, 500);
  });

  registerQido(web, deps);

  const instance = (c: Context) => ({ studyUid: c.req.param('study')!, seriesUid: c.req.param('series')!, sopInstanceUid: c.req.param('instance')! });

  web.get(STUDY, (c) => retrieveInstances(deps, c.req.raw, { studyUid: c.req.param('study') }));
  web.get(SERIES, (c) => retrieveInstances(deps, c.req.raw, { studyUid: c.req.param('study'), seriesUid: c.req.param('series') }));
  web.get(INSTANCE, (c) => retrieveInstances(deps, c.req.raw, instance(c)));

  web.get(`${STUDY}/metadata`, (c) => retrieveMetadata(deps, c.req.raw, { studyUid: c.req.param('study') }));
  web.get(`${SERIES}/metadata`, (c) => retrieveMetadata(deps, c.req.raw, { studyUid: c.req.param('study'), seriesUid: c.req.param('series') }));
  web.get(`${INSTANCE}/metadata`, (c) => retrieveMetadata(deps, c.req.raw, instance(c)));

  web.get(`${INSTANCE}/bulk/:offset/:length`, (c) => retrieveBulkData(deps, c.req.raw, { ...instance(c), offset: c.req.param('offset'), length: c.req.param('length') }));

  web.get(`${INSTANCE}/frames`, (c) => retrieveFrames(deps, c.req.raw, { ...instance(c), frameList: undefined }));
  web.get(`${INSTANCE}/frames/:frames`, (c) => retrieveFrames(deps, c.req.raw, { ...instance(c), frameList: c.req.param('frames') }));

  web.get(`${INSTANCE}/rendered`, (c) => retrieveRendered(deps, c.req.raw, instance(c)));
  web.get(`${INSTANCE}/thumbnail`, (c) => retrieveRendered(deps, c.req.raw, instance(c), true));
  web.get(`${INSTANCE}/frames/:frames/rendered`, (c) => retrieveRendered(deps, c.req.raw, { ...instance(c), frameList: c.req.param('frames') }));
  web.get(`${INSTANCE}/frames/:frames/thumbnail`, (c) => retrieveRendered(deps, c.req.raw, { ...instance(c), frameList: c.req.param('frames') }, true));
  web.get(`${SERIES}/thumbnail`, (c) => retrieveThumbnail(deps, c.req.raw, c.req.param('study'), c.req.param('series')));
  web.get(`${STUDY}/thumbnail`, (c) => retrieveThumbnail(deps, c.req.raw, c.req.param('study')));

  web.post('/studies', (c) => storeInstances(deps, c.req.raw, undefined, remoteAddress(c)));
  web.post(STUDY, (c) => storeInstances(deps, c.req.raw, c.req.param('study'), remoteAddress(c)));
  return web;
}

/** The client's address for the instance's source record; unknown when not served by Node's HTTP server. */
function remoteAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
