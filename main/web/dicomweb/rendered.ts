/**
 * WADO-RS rendered and thumbnail resources (PS3.18 10.4.1.1.4, 10.4.1.1.6):
 * one frame decoded and rendered to an 8-bit JPEG (default) or PNG with the
 * dataset's (or the asked) window and the asked viewport.
 *
 * Which frame: an instance's rendered resource is its first frame; a frame's
 * is that frame; a thumbnail is the middle frame of the middle image of the
 * series, and for a study, of its first series (lowest Series Number) that
 * has images we can render. Thumbnails fit 128×128 unless a viewport is
 * given, and keep the file's window only when it shows the content.
 */
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { uidName } from '../../../shared/dicom/uid-registry.js';
import { CodecError } from '../../codec/pixel-info.js';
import { RenderPool, RenderPoolBusy } from '../../codec/render-pool.js';
import { RenderedCache } from './rendered-cache.js';
import type { HeldInstance } from '../../store/archive-reader.js';
import { DicomWebError } from './dicomweb-error.js';
import type { DicomWebDeps } from './dicomweb-deps.js';
import { heldInstance, heldInstances, instanceJson } from './held-instances.js';
import { frameNumbers, instanceFrames, readFrame } from './instance-frames.js';
import { describeAccept, renderedFormat } from './negotiation.js';
import { renderParams } from './render-params.js';
import { acceptOf } from './request-headers.js';

export const THUMBNAIL_SIZE = 128;
const PIXEL_DATA = '7FE00010';

export interface RenderedPath {
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
  /** A frame list of one frame; undefined: the instance's first frame. */
  frameList?: string;
}

/** What rendering reads: the archive only. */
type RenderDeps = Pick<DicomWebDeps, 'archive'>;

export async function retrieveRendered(deps: RenderDeps, request: Request, path: RenderedPath, thumbnail = false): Promise<Response> {
  const row = heldInstance(deps.archive, path.studyUid, path.seriesUid, path.sopInstanceUid);
  const frame: FrameChoice = path.frameList !== undefined ? { list: path.frameList } : thumbnail ? 'middle' : { number: 1 };
  return render(deps, request, row, instanceJson(deps.archive, row), frame, thumbnail);
}

/**
 * The thumbnail of a series (seriesUid given) or of a study: of a study, the
 * first series whose middle image renders (a series in a syntax we cannot
 * decode gives way to the next).
 */
export async function retrieveThumbnail(deps: RenderDeps, request: Request, studyUid: string, seriesUid?: string): Promise<Response> {
  const seriesUids = seriesUid !== undefined ? [seriesUid] : deps.archive.listSeries(studyUid).map((s) => s.seriesUid);
  if (seriesUids.length === 0) throw new DicomWebError(404, `study ${studyUid} is not in the archive`);
  let failure: DicomWebError | undefined;
  for (const uid of seriesUids) {
    const image = middleImage(deps, heldInstances(deps.archive, { studyUid, seriesUid: uid }));
    if (!image) continue;
    try {
      return await render(deps, request, image.row, image.json, 'middle', true);
    } catch (error) {
      if (!(error instanceof DicomWebError && error.status === 501)) throw error;
      failure ??= error;
    }
  }
  throw failure ?? new DicomWebError(404, seriesUid !== undefined ? `series ${seriesUid} has no images to make a thumbnail of` : `study ${studyUid} has no series with images to make a thumbnail of`);
}

/** The middle instance with pixel data (rows are in instance number order); the middle row is tried first. */
function middleImage(deps: RenderDeps, rows: HeldInstance[]): { row: HeldInstance; json: DicomJsonDataset } | undefined {
  const withJson = (row: HeldInstance | undefined) => {
    const json = row && deps.archive.getInstanceJson(row.sopInstanceUid);
    return row && json?.[PIXEL_DATA] ? { row, json } : undefined;
  };
  const guess = withJson(rows[Math.floor(rows.length / 2)]);
  if (guess) return guess;
  const images = rows.flatMap((row) => withJson(row) ?? []);
  return images[Math.floor(images.length / 2)];
}

/** About a thousand thumbnails of 128² JPEG: enough for a day's worklist, small beside the node's other memory. */
const RENDERED_CACHE_BYTES = 32 * 1024 * 1024;
const renderedCache = new RenderedCache(RENDERED_CACHE_BYTES);
/** Decoding and encoding run on worker threads, never on the event loop; a full pool answers 503. */
const renderPool = new RenderPool();

type FrameChoice = 'middle' | { number: number } | { list: string };

async function render(deps: RenderDeps, request: Request, row: HeldInstance, json: DicomJsonDataset, frame: FrameChoice, thumbnail: boolean): Promise<Response> {
  const format = renderedFormat(acceptOf(request));
  if (!format) throw new DicomWebError(406, `rendered images are image/jpeg or image/png; Accept ${describeAccept(request.headers.get('accept') ?? undefined)} allows neither`);
  const params = renderParams(new URL(request.url).searchParams);
  if (thumbnail && !params.viewport) params.viewport = { width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE };
  const frames = await instanceFrames(row, json, deps.archive.fileOf(row));
  let number: number;
  if (frame === 'middle') number = Math.ceil(frames.locations.length / 2);
  else if ('number' in frame) number = frame.number;
  else {
    const numbers = frameNumbers(frame.list, frames);
    if (numbers.length !== 1) throw new DicomWebError(400, `a rendered frame resource names one frame, not "${frame.list}"`);
    number = numbers[0]!;
  }
  const key = JSON.stringify([row.sha256, number, format, params, thumbnail]);
  const cached = renderedCache.get(key);
  if (cached) return new Response(cached, { headers: { 'Content-Type': `image/${format}` } });
  try {
    const image = await renderPool.render(async () => ({
      transferSyntaxUid: row.transferSyntaxUid,
      encoded: await readFrame(frames, number),
      info: frames.info,
      json,
      // A thumbnail cannot be windowed by the reader: it must show the content.
      options: { format, ...params, fitToContent: thumbnail },
    }));
    renderedCache.set(key, image);
    return new Response(image, { headers: { 'Content-Type': `image/${format}` } });
  } catch (error) {
    if (error instanceof RenderPoolBusy) {
      return Response.json({ error: error.message }, { status: 503, headers: { 'Retry-After': String(error.retryAfterSeconds) } });
    }
    if (!(error instanceof CodecError)) throw error;
    const ts = row.transferSyntaxUid;
    throw new DicomWebError(501, `frame ${number} of instance ${row.sopInstanceUid} (${uidName(ts) ?? ts}) cannot be rendered: ${error.message}`);
  }
}
