/**
 * GET /api/studies/{uid}/thumbnail: the worklist's picture of a study, with
 * the parameters of the WADO-RS thumbnail (viewport=vw,vh, quality). A study
 * this node cannot show a picture of (a report, a plan, a waveform, a syntax
 * it cannot decode) answers 204 with the reason in a header rather than an
 * error: the worklist shows an icon, and a day's list logs no failed request.
 */
import type { Hono } from 'hono';
import type { ArchiveReader } from '../store/archive-reader.js';
import { DicomWebError } from './dicomweb/dicomweb-error.js';
import { retrieveThumbnail } from './dicomweb/rendered.js';

/** Why there is no picture (204), in words. */
export const NO_THUMBNAIL_HEADER = 'Viewbox-No-Thumbnail';

export function addThumbnailRoute(api: Hono, archive: ArchiveReader): void {
  api.get('/studies/:study/thumbnail', async (c) => {
    const studyUid = c.req.param('study');
    if (archive.listSeries(studyUid).length === 0) return c.json({ error: `study ${studyUid} is not in the archive` }, 404);
    try {
      return await retrieveThumbnail({ archive }, c.req.raw, studyUid);
    } catch (error) {
      if (!(error instanceof DicomWebError)) throw error;
      if (error.status !== 404 && error.status !== 501) return c.json({ error: error.message }, error.status);
      return c.body(null, 204, { [NO_THUMBNAIL_HEADER]: encodeURIComponent(error.message) });
    }
  });
}
