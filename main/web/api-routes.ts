/** The app API (/api, contract in shared/api/app-api.ts): worklist, read status, measurements, nodes, jobs, hanging protocols, events. */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { MAX_MEASUREMENT_BYTES, READ_STATUSES, type ImportRequest, type NodeSummary, type ReadStatus, type RetrieveRequest, type SendRequest, type ServerEvent } from '../../shared/api/app-api.js';
import type { JobInfo } from '../../shared/api/jobs.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { errorMessage } from '../../shared/error-message.js';
import { parseQido, QidoParameterError, qidoIdentifier } from '../../shared/query/qido.js';
import { RetrieveRefusedError, UnknownNodeError } from '../remote/remote-operations.js';
import type { NodeEvents } from '../events/node-events.js';
import { importPathsProblem } from '../jobs/import-job.js';
import type { JobRegistry } from '../jobs/job-registry.js';
import type { ArchiveReader } from '../store/archive-reader.js';
import type { ReadingNotes } from '../store/reading-notes.js';
import { addProtocolRoutes, type ProtocolDeps } from './protocol-routes.js';
import { addQueueRoutes, type QueueDeps } from './queue-routes.js';
import { addRoutingRoutes, type RoutingRoutesDeps } from './routing-routes.js';
import { addThumbnailRoute } from './thumbnail-route.js';
import { addViewerSettingsRoute } from './viewer-settings-routes.js';

export interface ApiDeps {
  /** The archive's read door: worklist, conflicts, hanging-protocol input. */
  archive: ArchiveReader;
  /** Reading status and measurements. */
  notes: ReadingNotes;
  nodes: () => NodeSummary[];
  jobs: JobRegistry;
  events: NodeEvents;
  /** Starts a retrieve job; throws an Error whose message says why it cannot (unknown node...). */
  retrieve: (request: RetrieveRequest) => JobInfo;
  /** Starts a send job; throws UnknownNodeError for a node not configured. Absent: the route is not served. */
  send?: (request: SendRequest) => JobInfo;
  /** Starts an import job of paths already checked (absolute, existing). Absent: the route is not served. */
  importPaths?: (paths: string[]) => JobInfo;
  /** C-FIND at study level on a configured node; rejects with UnknownNodeError or an error naming the node. */
  remoteStudies: (node: string, identifier: DicomJsonDataset) => Promise<DicomJsonDataset[]>;
  /** Hanging protocols; absent, their routes are not served. */
  protocols?: ProtocolDeps;
  /** The durable send queue; absent, its routes are not served. */
  queue?: QueueDeps;
  /** Routing rules and runs on demand; absent, their routes are not served. */
  routing?: RoutingRoutesDeps;
  /** The reader's viewer settings file; absent, its route is not served. */
  viewerSettingsFile?: string;
}

/** Without a limit the worklist shows this many studies, newest first. */
const DEFAULT_STUDY_LIMIT = 1000;

export function apiRoutes(deps: ApiDeps): Hono {
  const api = new Hono();

  api.get('/studies', (c) => {
    try {
      const params = new URL(c.req.url).searchParams;
      const search = parseQido('STUDY', params);
      const records = deps.archive.findRecords(search.query, { offset: search.offset, limit: search.limit ?? DEFAULT_STUDY_LIMIT });
      const uids = records.map((r) => r['0020000D']?.Value?.[0]).filter((uid): uid is string => typeof uid === 'string');
      return c.json(deps.archive.studySummaries(uids));
    } catch (error) {
      if (error instanceof QidoParameterError) return c.json({ error: error.message }, 400);
      throw error;
    }
  });

  api.put('/studies/:uid/read-status', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { readStatus?: unknown } | undefined;
    const status = body?.readStatus;
    if (typeof status !== 'string' || !READ_STATUSES.includes(status as ReadStatus)) {
      return c.json({ error: `readStatus must be one of ${READ_STATUSES.join(', ')}` }, 400);
    }
    const uid = c.req.param('uid');
    if (!deps.notes.setReadStatus(uid, status as ReadStatus)) return c.json({ error: `study ${uid} is not in the archive` }, 404);
    deps.events.publish({ type: 'study-updated', studyUid: uid });
    return c.json({ studyUid: uid, readStatus: status });
  });

  api.get('/studies/:uid/measurements', (c) => {
    const uid = c.req.param('uid');
    if (!deps.archive.hasStudy(uid)) return c.json({ error: `study ${uid} is not in the archive` }, 404);
    return c.json(deps.notes.measurements.list(uid));
  });

  api.put('/studies/:uid/measurements/:annotation', async (c) => {
    const uid = c.req.param('uid');
    const annotationUid = c.req.param('annotation');
    const text = await c.req.text();
    if (new TextEncoder().encode(text).length > MAX_MEASUREMENT_BYTES) {
      return c.json({ error: `measurement ${annotationUid} is larger than ${MAX_MEASUREMENT_BYTES} bytes` }, 413);
    }
    let annotation: unknown;
    try {
      annotation = JSON.parse(text);
    } catch {
      return c.json({ error: `measurement ${annotationUid}: the body is not JSON` }, 400);
    }
    if (typeof annotation !== 'object' || annotation === null || Array.isArray(annotation)) {
      return c.json({ error: `measurement ${annotationUid}: the body must be a JSON object` }, 400);
    }
    if (!deps.archive.hasStudy(uid)) return c.json({ error: `study ${uid} is not in the archive` }, 404);
    const updatedAt = deps.notes.measurements.put(uid, annotationUid, annotation as Record<string, unknown>);
    return c.json({ annotationUid, updatedAt });
  });

  api.delete('/studies/:uid/measurements/:annotation', (c) => {
    const uid = c.req.param('uid');
    const annotationUid = c.req.param('annotation');
    if (!deps.notes.measurements.remove(uid, annotationUid)) return c.json({ error: `study ${uid} has no measurement ${annotationUid}` }, 404);
    return c.body(null, 204);
  });

  api.get('/nodes/:name/studies', async (c) => {
    let identifier: DicomJsonDataset;
    try {
      const params = new URL(c.req.url).searchParams;
      // Read here as a local search would be, so a bad key is a 400 and never reaches the node.
      parseQido('STUDY', params);
      identifier = qidoIdentifier('STUDY', params);
    } catch (error) {
      if (error instanceof QidoParameterError) return c.json({ error: error.message }, 400);
      throw error;
    }
    try {
      return c.json(await deps.remoteStudies(c.req.param('name'), identifier));
    } catch (error) {
      const message = errorMessage(error);
      return c.json({ error: message }, error instanceof UnknownNodeError ? 404 : 502);
    }
  });

  if (deps.protocols) addProtocolRoutes(api, deps.protocols, deps.archive);
  addThumbnailRoute(api, deps.archive);
  if (deps.queue) addQueueRoutes(api, deps.queue);
  if (deps.routing) addRoutingRoutes(api, deps.routing);
  if (deps.viewerSettingsFile) addViewerSettingsRoute(api, deps.viewerSettingsFile);

  api.get('/conflicts', (c) => c.json(deps.archive.listConflicts()));
  api.get('/nodes', (c) => c.json(deps.nodes()));
  api.get('/jobs', (c) => c.json(deps.jobs.list()));

  api.post('/jobs/retrieve', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as Partial<RetrieveRequest> | undefined;
    if (!body || typeof body.node !== 'string' || typeof body.studyUid !== 'string' || (body.via !== undefined && body.via !== 'move' && body.via !== 'get')) {
      return c.json({ error: 'expected {"node": NAME, "studyUid": UID, "seriesUid"?: UID, "via"?: "move" | "get"}' }, 400);
    }
    try {
      return c.json(deps.retrieve(body as RetrieveRequest), 202);
    } catch (error) {
      if (error instanceof RetrieveRefusedError) return c.json({ error: error.message }, 409);
      return c.json({ error: errorMessage(error) }, 404);
    }
  });

  const send = deps.send;
  if (send) {
    api.post('/jobs/send', async (c) => {
      const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      const problem = !body || typeof body.node !== 'string' ? 'expected {"node": NAME, "studyUid": UID, "seriesUid"?: UID} or {"node": NAME, "paths": [ABSOLUTE_PATH, ...]}' : await sendTargetProblem(body);
      if (problem) return c.json({ error: problem }, 400);
      try {
        return c.json(send(body as SendRequest), 202);
      } catch (error) {
        return c.json({ error: errorMessage(error) }, error instanceof UnknownNodeError ? 404 : 500);
      }
    });
  }

  const importPaths = deps.importPaths;
  if (importPaths) {
    // Paths of the node's own machine: only callers holding the API token (this user's commands, the app) get here.
    api.post('/jobs/import', async (c) => {
      const body = (await c.req.json().catch(() => undefined)) as Partial<ImportRequest> | undefined;
      const problem = await importPathsProblem(body?.paths);
      if (problem) return c.json({ error: problem }, 400);
      return c.json(importPaths(body!.paths!), 202);
    });
  }

  api.get('/jobs/:id', (c) => {
    const job = deps.jobs.get(c.req.param('id'));
    return job ? c.json(job.info) : c.json({ error: `no job ${c.req.param('id')}` }, 404);
  });

  api.post('/jobs/:id/cancel', (c) => {
    const job = deps.jobs.get(c.req.param('id'));
    if (!job) return c.json({ error: `no job ${c.req.param('id')}` }, 404);
    job.cancel();
    return c.json(job.info, 202);
  });

  api.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      const queue: ServerEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = deps.events.subscribe((event) => {
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      // A comment first, so that the client sees the stream open at once.
      await stream.write(': viewbox events\n\n');
      while (!stream.aborted) {
        const event = queue.shift();
        if (event) await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    }),
  );

  return api;
}

/** A send request names a study (UIDs) or files (absolute paths that exist), not both. */
async function sendTargetProblem(body: Record<string, unknown>): Promise<string | undefined> {
  if ('paths' in body) return 'studyUid' in body ? 'give "studyUid" or "paths", not both' : importPathsProblem(body.paths);
  if (typeof body.studyUid !== 'string' || (body.seriesUid !== undefined && typeof body.seriesUid !== 'string')) return 'expected "studyUid": UID (and optionally "seriesUid": UID)';
  return undefined;
}
