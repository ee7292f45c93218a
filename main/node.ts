/**
 * The composition root: builds a running archive node (archive, DICOM
 * server, HTTP face) from a configuration. No other module constructs these.
 */
import type { ViewboxConfig } from '../shared/config.js';
import { ConfigError } from './config/errors.js';
import { queryRetrieveServices } from './dicom/query-retrieve-scp.js';
import type { Transcode } from './dicom/stored-instance.js';
import { EXPLICIT_VR_LE } from '../shared/dicom/uid-registry.js';
import { DicomServer } from './dicom/server.js';
import { transcodeToExplicitLittle } from './codec/transcode.js';
import { NodeEvents } from './events/node-events.js';
import { startImportJob } from './jobs/import-job.js';
import { JobRegistry } from './jobs/job-registry.js';
import { protocolFolders } from './protocols/protocol-folders.js';
import { openProtocolLibrary } from './protocols/watch-protocols.js';
import { RemoteOperations } from './remote/remote-operations.js';
import { observeCommits } from './store/observed-sink.js';
import type { Logger } from './log.js';
import { openArchive } from './store/archive.js';
import { viewboxVersion } from './version.js';
import { createWebApp } from './web/app.js';
import { newBearerToken } from './web/auth.js';
import { startHttpServer } from './web/http-server.js';
import { LaunchCodes, launchUrlFor } from './web/launch-codes.js';
import { isLoopbackAddress, urlHost } from './web/loopback.js';

export interface ArchiveNode {
  dicomPort: number;
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

export async function startArchiveNode(config: ViewboxConfig, dataDir: string, logger: Logger): Promise<ArchiveNode> {
  if (!isLoopbackAddress(config.bindAddress)) {
    throw new ConfigError([
      {
        file: 'effective configuration',
        pointer: '/bindAddress',
        message: `${config.bindAddress} is not a loopback address; serving other machines needs TLS and user authentication, which are not implemented yet`,
      },
    ]);
  }
  const archive = await openArchive({ dataDir, duplicates: config.duplicates, maxObjectBytes: config.limits.maxObjectBytes, bulkDataThresholdBytes: config.limits.bulkDataThresholdBytes, logger: logger.child({ sub: 'store' }) });
  const events = new NodeEvents();
  const jobs = new JobRegistry();
  jobs.subscribe((job) => events.publish({ type: 'job', job }));
  const sink = observeCommits(archive, (outcome) => events.studyUpdated(outcome.studyInstanceUid));
  const remote = new RemoteOperations({ config, archive: archive.reader, sink, jobs, transcode: transcodeForPeer, logger: logger.child({ sub: 'remote' }) });
  const dicom = new DicomServer({
    aet: config.aet,
    host: config.bindAddress,
    port: config.dicomPort,
    limits: config.limits,
    acceptUnknownCallers: config.acceptUnknownCallers,
    nodes: config.nodes,
    sink,
    queryRetrieve: queryRetrieveServices({ archive: archive.reader, destinations: remote.moveDestinations(), transcode: transcodeForPeer }),
    logger: logger.child({ sub: 'dicom' }),
  });
  let dicomPort: number;
  try {
    dicomPort = await dicom.listen();
  } catch (error) {
    await archive.close();
    throw error;
  }
  const protocolFolderList = protocolFolders(config, dataDir);
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
      send: (request) => remote.send(request.node, 'paths' in request ? { paths: request.paths } : { studyUid: request.studyUid, ...(request.seriesUid ? { seriesUid: request.seriesUid } : {}) }).info,
      importPaths: (paths) => startImportJob(jobs, sink, paths).info,
      remoteStudies: (node, identifier) => remote.find(node, 'STUDY', identifier),
      protocols: { library: protocols, userDir: protocolFolderList.find((f) => f.layer === 'user')!.dir },
    },
    dicomweb: { archive: archive.reader, sink, storage: () => archive.storage(), logger: logger.child({ sub: 'dicomweb' }) },
  });
  let http;
  try {
    http = await startHttpServer(app.fetch, config.bindAddress, config.httpPort);
  } catch (error) {
    protocols.close();
    await dicom.close(0);
    await archive.close();
    throw error;
  }
  httpPort = http.port;
  logger.info('archive node started', { aet: config.aet, dicomPort, httpPort, dataDir });

  let closing: Promise<void> | undefined;
  const url = `http://${urlHost(config.bindAddress)}:${httpPort}/`;
  // Local commands of this user (viewbox import, send, open...) reach this node through DATA/owner.json.
  await archive.announce({ url, token }).catch((error: unknown) => logger.warn('could not publish how to reach this node', { dataDir, error }));
  return {
    dicomPort,
    httpPort,
    url,
    token,
    newLaunchUrl: () => launchUrlFor(url, launchCodes.issue().code),
    remote,
    close: (graceMs?: number) =>
      (closing ??= (async () => {
        events.close();
        protocols.close();
        await Promise.all([http.close(), dicom.close(graceMs)]);
        await archive.close();
        logger.info('archive node stopped', { aet: config.aet });
      })()),
  };
}
