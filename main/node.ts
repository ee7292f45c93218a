/**
 * The composition root: small builders, one per capability (the archive,
 * remote operations, the DICOM listener, the HTTP face), and the running
 * archive node made of all of them. A command builds only what it needs;
 * no other module constructs these.
 */
import path from 'node:path';
import type { ViewboxConfig } from '../shared/config.js';
import { ConfigError } from './config/errors.js';
import { queryRetrieveServices } from './dicom/scp/query-retrieve-scp.js';
import type { Transcode } from './dicom/stored-instance.js';
import { EXPLICIT_VR_LE } from '../shared/dicom/uid-registry.js';
import { DicomServer } from './dicom/scp/server.js';
import { loadTlsCredentials } from './dicom/tls/credentials.js';
import { transcodeToExplicitLittle } from './codec/transcode.js';
import { NodeEvents } from './events/node-events.js';
import { startImportJob } from './jobs/import-job.js';
import { JobRegistry } from './jobs/job-registry.js';
import { protocolFolders } from './protocols/protocol-folders.js';
import { openProtocolLibrary } from './protocols/watch-protocols.js';
import { peerOf, RemoteOperations } from './remote/remote-operations.js';
import { watchRoutingFile } from './routing/live-rules.js';
import { destinationNames, routingFilePath } from './routing/load-routing.js';
import { startRouting, type RoutingService } from './routing/routing-service.js';
import { transformForRoute } from './routing/route-transform.js';
import { recordReport } from './routing/storage-commitment-step.js';
import { CommitmentReports } from './dicom/commitment-reports.js';
import { readOrCreateNodeSecret } from './store/node-secret.js';
import { observeCommits } from './store/observed-sink.js';
import type { Logger } from './log.js';
import { openArchive, type Archive } from './store/archive.js';
import type { ArchiveReader } from './store/archive-reader.js';
import type { InstanceSink } from './store/instance-sink.js';
import { resolveInDataFolder, VIEWER_SETTINGS_FILE } from './store/layout.js';
import { viewboxVersion } from './version.js';
import { createWebApp } from './web/app.js';
import { newBearerToken } from './web/auth.js';
import { startHttpServer } from './web/http-server.js';
import { LaunchCodes, launchUrlFor } from './web/launch-codes.js';
import { isLoopbackAddress, urlHost } from './web/loopback.js';

export interface ArchiveNode {
  dicomPort: number;
  /** The DICOM TLS port, when `dicomTls` is configured. */
  dicomTlsPort?: number;
  httpPort: number;
  /** http://127.0.0.1:PORT/ (the bind address as a browser on this machine writes it). */
  url: string;
  /** The API bearer token of this start (`Authorization: Bearer ...`), for scripts. */
  token: string;
  /** A fresh one-time launch URL (`url?launch=CODE`): opens one browser session within 5 minutes. */
  newLaunchUrl(): string;
  /** Echo, find, retrieve and send with the configured nodes. */
  remote: RemoteOperations;
  /** Stop accepting, let open associations finish (up to graceMs), close the archive. */
  close(graceMs?: number): Promise<void>;
}

/** Peers that accept only uncompressed get a lossless decode (docs/codecs.md). */
const transcodeForPeer: Transcode = async (instance, target) => {
  if (target !== EXPLICIT_VR_LE) throw new Error(`conversion to ${target} is not supported`);
  return (await transcodeToExplicitLittle(instance.path)).dataset;
};

/** The archive of a data folder with the configured duplicates policy and limits: the one place its options are written. */
export function openConfiguredArchive(config: ViewboxConfig, dataDir: string, logger: Logger): Promise<Archive> {
  return openArchive({
    dataDir,
    duplicates: config.duplicates,
    maxObjectBytes: config.limits.maxObjectBytes,
    bulkDataThresholdBytes: config.limits.bulkDataThresholdBytes,
    logger: logger.child({ sub: 'store' }),
  });
}

/** Echo, find, retrieve and send with the configured nodes; sends read through `archive`, retrieved instances go into `sink`. */
export function buildRemoteOperations(config: ViewboxConfig, archive: ArchiveReader, sink: InstanceSink, jobs: JobRegistry, logger: Logger): RemoteOperations {
  return new RemoteOperations({ config, archive, sink, jobs, transcode: transcodeForPeer, logger: logger.child({ sub: 'remote' }) });
}

export interface ListeningDicomServer {
  port: number;
  /** The DICOM TLS listener's port, when `dicomTls` is configured. */
  tlsPort?: number;
  /** Stop accepting, let open associations finish (up to graceMs). */
  close(graceMs?: number): Promise<void>;
}

/**
 * The DICOM listeners on `config.dicomBindAddress` (default: bindAddress): plain on `dicomPort`, TLS on
 * `dicomTls.port` when configured (0: any free port). C-ECHO, C-STORE into `sink`, C-FIND/C-MOVE/C-GET from `archive`.
 */
export async function startDicomServer(
  config: ViewboxConfig,
  archive: ArchiveReader,
  sink: InstanceSink,
  remote: RemoteOperations,
  logger: Logger,
  commitmentReports?: CommitmentReports,
): Promise<ListeningDicomServer> {
  const tls = config.dicomTls;
  const server = new DicomServer({
    aet: config.aet,
    host: config.dicomBindAddress ?? config.bindAddress,
    port: config.dicomPort,
    ...(tls ? { tls: { port: tls.port, credentials: loadTlsCredentials(tls), requireClientCertificate: tls.requireClientCertificate ?? true } } : {}),
    limits: config.limits,
    acceptUnknownCallers: config.acceptUnknownCallers,
    nodes: config.nodes,
    sink,
    ...(commitmentReports ? { commitmentReports } : {}),
    queryRetrieve: queryRetrieveServices({ archive, destinations: remote.moveDestinations(), transcode: transcodeForPeer }),
    logger: logger.child({ sub: 'dicom' }),
  });
  const port = await server.listen();
  const tlsPort = server.tlsPort;
  return { port, ...(tlsPort !== undefined ? { tlsPort } : {}), close: (graceMs) => server.close(graceMs) };
}

export interface WebFaceParts {
  config: ViewboxConfig;
  dataDir: string;
  archive: Archive;
  /** The archive's sink as the node observes it (STOW-RS and imports fire "study arrived"). */
  sink: InstanceSink;
  jobs: JobRegistry;
  events: NodeEvents;
  remote: RemoteOperations;
  /** The send queue: manual sends of held studies go through it; /api/queue shows it. */
  routing?: RoutingService;
  dicomPort: number;
  logger: Logger;
}

export interface WebFace {
  httpPort: number;
  url: string;
  token: string;
  newLaunchUrl(): string;
  close(): Promise<void>;
}

/** The HTTP face on `config.httpPort` (loopback only): the app API, DICOMweb and the reading room, with the hanging-protocol watcher it serves. */
export async function startWebFace(parts: WebFaceParts): Promise<WebFace> {
  const { config, archive, sink, jobs, events, remote, routing, dicomPort, logger } = parts;
  refuseNonLoopbackHttp(config);
  const protocolFolderList = protocolFolders(config, parts.dataDir);
  const protocols = openProtocolLibrary(protocolFolderList, { logger });
  protocols.onChange(() => events.publish({ type: 'protocols-changed' }));
  const token = newBearerToken();
  const launchCodes = new LaunchCodes();
  let httpPort = 0;
  const app = createWebApp({
    token,
    launchCodes,
    port: () => httpPort,
    status: async () => ({ aet: config.aet, dicomPort, version: viewboxVersion(), counts: archive.reader.counts(), storage: archive.storage() }),
    api: {
      archive: archive.reader,
      notes: archive.notes,
      nodes: () => config.nodes.map(({ name, aet, host, port, allow, search }) => ({ name, aet, host, port, allow, search: search ?? false })),
      jobs,
      events,
      retrieve: (request) => remote.retrieve(request.node, request.studyUid, { seriesUid: request.seriesUid, via: request.via }).info,
      // Held studies go through the durable queue; Part 10 files not in the archive are sent directly.
      send: (request) =>
        ('paths' in request || !routing ? remote.send(request.node, 'paths' in request ? { paths: request.paths } : { studyUid: request.studyUid, ...(request.seriesUid ? { seriesUid: request.seriesUid } : {}) }) : sendThroughQueue(routing, remote, request.node, request)).info,
      importPaths: (paths) => startImportJob(jobs, sink, paths).info,
      remoteStudies: (node, identifier) => remote.find(node, 'STUDY', identifier),
      protocols: { library: protocols, userDir: protocolFolderList.find((f) => f.layer === 'user')!.dir },
      viewerSettingsFile: resolveInDataFolder(parts.dataDir, VIEWER_SETTINGS_FILE, path),
      ...(routing
        ? {
            queue: { api: routing.queue, destinations: () => destinationNames(config) },
            routing: { routes: () => routing.routes(), run: (request) => routing.runRule(request.rule, request).info },
          }
        : {}),
    },
    dicomweb: { archive: archive.reader, sink, storage: () => archive.storage(), logger: logger.child({ sub: 'dicomweb' }) },
  });
  let http;
  try {
    http = await startHttpServer(app.fetch, config.bindAddress, config.httpPort);
  } catch (error) {
    protocols.close();
    throw error;
  }
  httpPort = http.port;
  const url = `http://${urlHost(config.bindAddress)}:${httpPort}/`;
  return {
    httpPort,
    url,
    token,
    newLaunchUrl: () => launchUrlFor(url, launchCodes.issue().code),
    close: async () => {
      protocols.close();
      await http.close();
    },
  };
}

/** A held study to a configured destination, as a queued job; an unknown name is refused as before (UnknownNodeError). */
function sendThroughQueue(routing: RoutingService, remote: RemoteOperations, node: string, target: { studyUid: string; seriesUid?: string | undefined }) {
  const destination = routing.hasDestination(node) ? node : remote.node(node).name;
  return routing.send(destination, target);
}

/** The HTTP face serves this machine only, until TLS and user authentication exist. */
function refuseNonLoopbackHttp(config: ViewboxConfig): void {
  if (!isLoopbackAddress(config.bindAddress)) {
    throw new ConfigError([
      {
        file: 'effective configuration',
        pointer: '/bindAddress',
        message: `${config.bindAddress} is not a loopback address; serving other machines needs TLS and user authentication, which are not implemented yet`,
      },
    ]);
  }
}

/** The whole node: the archive, remote operations, the DICOM listener and the HTTP face, announced to local commands. */
export async function startArchiveNode(config: ViewboxConfig, dataDir: string, logger: Logger): Promise<ArchiveNode> {
  refuseNonLoopbackHttp(config);
  const archive = await openConfiguredArchive(config, dataDir, logger);
  const events = new NodeEvents();
  const interrupted = archive.jobLog.markInterrupted();
  if (interrupted > 0) logger.warn('jobs that were running when the node stopped are marked interrupted', { jobs: interrupted });
  const jobs = new JobRegistry({ kinds: ['retrieve', 'send'], save: (info) => archive.jobLog.save(info), list: () => archive.jobLog.list() });
  jobs.subscribe((job) => events.publish({ type: 'job', job }));
  const rules = await watchRoutingFile(routingFilePath(config, dataDir), destinationNames(config), {
    logger: logger.child({ sub: 'routing' }),
    // New rules may route what waited for a readable file (the cursor stayed); arrivals use them from now on.
    onChange: () => routing.instanceCommitted(),
  });
  // Read (or made) when a route first de-identifies: a node on a full disk still starts.
  let secret: Uint8Array | undefined;
  // Reports of storage commitment a PACS brings on its own association, matched to the queue's requests (or recorded later).
  const commitmentReports = new CommitmentReports({ logger: logger.child({ sub: 'commitment' }), unclaimed: (report) => recordReport(archive.queue, report) });
  const routing = startRouting({
    config,
    queue: archive.queue,
    reader: archive.reader,
    events,
    jobs,
    rules,
    peerOf: (node) => peerOf(config, node, logger),
    transcode: transcodeForPeer,
    copier: async (instance, transform) => transformForRoute(instance, transform, { secret: (secret ??= await readOrCreateNodeSecret(dataDir)) }),
    commitmentReports,
    logger: logger.child({ sub: 'routing' }),
  });
  const sink = observeCommits(archive, (outcome) => {
    events.studyUpdated(outcome.studyInstanceUid);
    routing.instanceCommitted();
  });
  const remote = buildRemoteOperations(config, archive.reader, sink, jobs, logger);
  let dicom: ListeningDicomServer;
  try {
    dicom = await startDicomServer(config, archive.reader, sink, remote, logger, commitmentReports);
  } catch (error) {
    rules.close();
    await routing.close();
    await archive.close();
    throw error;
  }
  const dicomPort = dicom.port;
  let web: WebFace;
  try {
    web = await startWebFace({ config, dataDir, archive, sink, jobs, events, remote, routing, dicomPort, logger });
  } catch (error) {
    await dicom.close(0);
    rules.close();
    await routing.close();
    await archive.close();
    throw error;
  }
  const { httpPort, url, token } = web;
  logger.info('archive node started', { aet: config.aet, dicomPort, httpPort, dataDir });

  let closing: Promise<void> | undefined;
  // Local commands of this user (viewbox import, send, open...) reach this node through DATA/owner.json.
  await archive.announce({ url, token }).catch((error: unknown) => logger.warn('could not publish how to reach this node', { dataDir, error }));
  return {
    dicomPort,
    ...(dicom.tlsPort !== undefined ? { dicomTlsPort: dicom.tlsPort } : {}),
    httpPort,
    url,
    token,
    newLaunchUrl: () => web.newLaunchUrl(),
    remote,
    close: (graceMs?: number) =>
      (closing ??= (async () => {
        events.close();
        await Promise.all([web.close(), dicom.close(graceMs)]);
        rules.close();
        await routing.close();
        await archive.close();
        logger.info('archive node stopped', { aet: config.aet });
      })()),
  };
}
