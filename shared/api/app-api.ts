/**
 * The app API under /api: what the reading room asks of its node. Both sides
 * import these types; the paths are built here so they cannot drift apart.
 */
import type { QueueDestinationSummary } from './queue-api.js';
import type { PersonNameJson } from '../dicom/json.js';
import type { DicomService } from '../config.js';
import type { JobInfo } from './jobs.js';

export type ReadStatus = 'unread' | 'in-progress' | 'read';
export const READ_STATUSES: readonly ReadStatus[] = ['unread', 'in-progress', 'read'];

/** One study in the worklist. */
export interface StudySummary {
  studyUid: string;
  patientId: string;
  issuer: string;
  /** The name this study was received with. */
  patientName: PersonNameJson | null;
  patientBirthDate: string | null;
  patientSex: string | null;
  studyDate: string | null;
  studyTime: string | null;
  accession: string | null;
  studyId: string | null;
  description: string | null;
  modalities: string[];
  seriesCount: number;
  instanceCount: number;
  receivedAt: string;
  updatedAt: string;
  readStatus: ReadStatus;
  /** Demographic conflicts recorded for this study's patient (same ID, different name, birth date or sex). */
  conflicts: number;
}

export interface NodeSummary {
  name: string;
  aet: string;
  host: string;
  port: number;
  allow: DicomService[];
  /** Searched from the worklist and for priors (configuration `nodes[].search`). */
  search: boolean;
}

/** The `storage` of GET /api/status: whether the node can receive studies now (docs/storage.md, "A full disk"). */
export interface StorageStatus {
  writable: boolean;
  /** Why not, when not writable. */
  reason?: 'disk full';
  /** Free bytes on the data folder's disk, as last measured (null: the file system does not say). */
  freeBytes: number | null;
}

/** What GET /api/events streams (server-sent events, one JSON object per `data:` line). */
export type ServerEvent =
  | { type: 'study-updated'; studyUid: string }
  | { type: 'job'; job: JobInfo }
  | { type: 'protocols-changed' }
  /** The send queue changed at one destination (at most once a second per destination). */
  | { type: 'queue'; destination: QueueDestinationSummary };

export interface RetrieveRequest {
  node: string;
  studyUid: string;
  seriesUid?: string;
  via?: 'move' | 'get';
}

/** POST /api/jobs/send: a held study (or one of its series), or Part 10 files on the node's machine, to a configured node. */
export type SendRequest = { node: string; studyUid: string; seriesUid?: string } | { node: string; paths: string[] };

/** POST /api/jobs/import: files, folders, DICOMDIRs or zip archives on the node's machine (absolute paths). */
export interface ImportRequest {
  paths: string[];
}

/** One measurement a reader drew on a study, as the node keeps it (the annotation is the viewer's JSON). */
export interface StoredMeasurement {
  annotationUid: string;
  updatedAt: string;
  annotation: Record<string, unknown>;
}

/** The largest annotation the node keeps (a measurement is a few hundred bytes). */
export const MAX_MEASUREMENT_BYTES = 64 * 1024;

/** The answer of POST /api/launch: a one-time launch URL (`viewbox open`). */
export interface LaunchUrl {
  launchUrl: string;
  /** ISO 8601; the URL opens no session after this. */
  expiresAt: string;
}

export const apiPaths = {
  status: '/api/status',
  /** POST with the bearer token: a fresh one-time launch URL (LaunchUrl). */
  launch: '/api/launch',
  /** GET with QIDO-RS study parameters (PatientName=doe*&StudyDate=2020-...&limit=...). */
  studies: '/api/studies',
  /** PUT {"readStatus": "read"}. */
  readStatus: (studyUid: string) => `/api/studies/${encodeURIComponent(studyUid)}/read-status`,
  /** GET with viewport=vw,vh: the study's thumbnail (JPEG), or 204 when the node has no picture of it (the worklist's icon). */
  studyThumbnail: (studyUid: string, size: number) => `/api/studies/${encodeURIComponent(studyUid)}/thumbnail?viewport=${size},${size}`,
  /** GET: the study's measurements (StoredMeasurement[]). */
  measurements: (studyUid: string) => `/api/studies/${encodeURIComponent(studyUid)}/measurements`,
  /** PUT the annotation (a JSON object) to store or replace it; DELETE to remove it. */
  measurement: (studyUid: string, annotationUid: string) => `/api/studies/${encodeURIComponent(studyUid)}/measurements/${encodeURIComponent(annotationUid)}`,
  conflicts: '/api/conflicts',
  nodes: '/api/nodes',
  /** GET with QIDO-RS study parameters: C-FIND at study level on that node, answers as DICOM JSON. */
  remoteStudies: (node: string) => `/api/nodes/${encodeURIComponent(node)}/studies`,
  /** GET: the jobs; POST a RetrieveRequest to /api/jobs/retrieve. */
  jobs: '/api/jobs',
  retrieve: '/api/jobs/retrieve',
  /** POST a SendRequest, an ImportRequest: 202 with the new job's JobInfo. */
  send: '/api/jobs/send',
  importJob: '/api/jobs/import',
  /** GET: one job's JobInfo. */
  job: (id: string) => `/api/jobs/${encodeURIComponent(id)}`,
  cancelJob: (id: string) => `/api/jobs/${encodeURIComponent(id)}/cancel`,
  events: '/api/events',
  /** GET ?destination=&state=&limit= (QueueListResponse); POST a QueueSelection to retry or purge (QueueChangeResponse). */
  queue: '/api/queue',
  queueRetry: '/api/queue/retry',
  queuePurge: '/api/queue/purge',
  /** GET: the routing rules in force and the destinations (RoutesResponse); POST a RunRuleRequest to /api/routes/run: 202 with the job's JobInfo. */
  routes: '/api/routes',
  runRoute: '/api/routes/run',
} as const;
