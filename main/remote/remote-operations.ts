/**
 * What the node does with the PACS it knows (configured `nodes`): echo,
 * find, retrieve (C-MOVE to us or C-GET) and send. The CLI and the UI call
 * these same functions; retrieve and send run as jobs.
 */
import type { RemoteNode, ViewboxConfig } from '../../shared/config.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import type { QueryLevel, QueryModel } from '../../shared/query/query-levels.js';
import type { Job, JobRegistry } from '../jobs/job-registry.js';
import type { Logger } from '../log.js';
import type { ArchiveReader } from '../store/archive-reader.js';
import type { InstanceSink } from '../store/instance-sink.js';
import type { MoveDestinations } from '../dicom/scp/move-scp.js';
import type { StoredInstance, Transcode } from '../dicom/stored-instance.js';
import { storedDatasetRange } from '../store/stored-file.js';
import type { ScuPeer } from '../dicom/scu/client-association.js';
import { echo } from '../dicom/scu/echo.js';
import { find } from '../dicom/scu/find.js';
import { get } from '../dicom/scu/get.js';
import { move } from '../dicom/scu/move.js';
import { store } from '../dicom/scu/store.js';
import { scuTlsOptions } from '../dicom/tls/scu-tls.js';

/** A retrieve that cannot work with the node's configuration; the message says what to change. */
export class RetrieveRefusedError extends Error {
  override name = 'RetrieveRefusedError';
}

export class UnknownNodeError extends Error {
  constructor(name: string, known: readonly RemoteNode[]) {
    super(`no node named "${name}" in the configuration (configured: ${known.map((n) => n.name).join(', ') || 'none'})`);
    this.name = 'UnknownNodeError';
  }
}

/** A configured node by name (or AE title). */
export function findNode(nodes: readonly RemoteNode[], name: string): RemoteNode {
  const node = nodes.find((n) => n.name === name) ?? nodes.find((n) => n.aet === name);
  if (!node) throw new UnknownNodeError(name, nodes);
  return node;
}

export interface RemoteOperationsDeps {
  config: ViewboxConfig;
  /** What `send` reads a held study from: the archive's read door. */
  archive: ArchiveReader;
  /** Where retrieved instances go: the archive, through the same durable path as any C-STORE. */
  sink: InstanceSink;
  jobs: JobRegistry;
  transcode?: Transcode;
  logger: Logger;
}

export type SendTarget = { studyUid: string; seriesUid?: string } | { paths: string[] };

export class RemoteOperations {
  constructor(private readonly deps: RemoteOperationsDeps) {}

  node(name: string): RemoteNode {
    return findNode(this.deps.config.nodes, name);
  }

  /** C-ECHO round trip in milliseconds. */
  echo(name: string): Promise<number> {
    return echo(peerOf(this.deps.config, this.node(name), this.deps.logger));
  }

  find(name: string, level: QueryLevel, keys: DicomJsonDataset, model: QueryModel = level === 'PATIENT' ? 'patient' : 'study'): Promise<DicomJsonDataset[]> {
    return find(peerOf(this.deps.config, this.node(name), this.deps.logger), { model, level, keys });
  }

  /** Bring a study (or one series) from a node into the archive. */
  retrieve(name: string, studyUid: string, options: { seriesUid?: string | undefined; via?: 'move' | 'get' | undefined } = {}): Job {
    const node = this.node(name);
    const via = options.via ?? 'move';
    // By C-MOVE the node sends the images to us: we would refuse them.
    if (via === 'move' && !node.allow.includes('store')) {
      throw new RetrieveRefusedError(`node "${node.name}" may not send us images (its allow list has no "store"), so it cannot retrieve to us by C-MOVE: add "store" to its allow list, or retrieve by C-GET`);
    }
    const keys: DicomJsonDataset = { '0020000D': { vr: 'UI', Value: [studyUid] } };
    if (options.seriesUid) keys['0020000E'] = { vr: 'UI', Value: [options.seriesUid] };
    const level = options.seriesUid ? 'SERIES' : 'STUDY';
    const what = options.seriesUid ? `series ${options.seriesUid}` : `study ${studyUid}`;
    const title = `Retrieve ${what} from ${node.name} (C-${via.toUpperCase()})`;
    return this.deps.jobs.start({ kind: 'retrieve', node: node.name, title, studyUid }, async (job) => {
      const onProgress = (p: { completed: number; failed: number; remaining?: number | undefined; warning?: number | undefined }) =>
        job.progress({ completed: p.completed + (p.warning ?? 0), failed: p.failed, ...(p.remaining !== undefined ? { total: p.completed + (p.warning ?? 0) + p.failed + p.remaining } : {}) });
      const peer = this.peer(node);
      const result =
        via === 'move'
          ? await move(peer, { destination: this.deps.config.aet, level, keys, signal: job.signal, onProgress })
          : await get(peer, { level, keys, sink: this.deps.sink, signal: job.signal, onProgress });
      onProgress(result);
      for (const uid of result.failedSopInstanceUids) job.fail(uid);
      if (result.error) throw new Error(result.error);
    });
  }

  /** Send a held study or series, or Part 10 files, to a node. */
  send(name: string, target: SendTarget): Job {
    const node = this.node(name);
    const title = 'paths' in target ? `Send ${target.paths.length} file(s) to ${node.name}` : `Send study ${target.studyUid} to ${node.name}`;
    return this.deps.jobs.start({ kind: 'send', node: node.name, title, ...('studyUid' in target ? { studyUid: target.studyUid } : {}) }, async (job) => {
      const instances = await this.instancesOf(target);
      job.progress({ total: instances.length });
      let completed = 0;
      let failed = 0;
      await store(this.peer(node), {
        instances,
        signal: job.signal,
        transcode: this.deps.transcode,
        onInstance: (result) => {
          if (result.outcome === 'failed') {
            failed++;
            job.fail(result.sopInstanceUid, result.reason);
          } else completed++;
          job.progress({ completed, failed });
        },
      });
    });
  }

  /** How the C-MOVE SCP reaches its destinations: configured nodes only. */
  moveDestinations(): MoveDestinations {
    return {
      lookup: (aet) => this.deps.config.nodes.find((n) => n.aet === aet),
      send: async (node, instances, options) => {
        await store(this.peer(node), { instances, signal: options.signal, transcode: this.deps.transcode, moveOriginator: options.moveOriginator, onInstance: options.onResult });
      },
    };
  }

  private async instancesOf(target: SendTarget): Promise<StoredInstance[]> {
    if ('paths' in target) {
      return Promise.all(
        target.paths.map(async (path) => {
          const { meta } = await storedDatasetRange(path);
          if (!meta.mediaStorageSopClassUid || !meta.mediaStorageSopInstanceUid) throw new Error(`${path}: the File Meta names no SOP class or instance`);
          return { path, sopClassUid: meta.mediaStorageSopClassUid, sopInstanceUid: meta.mediaStorageSopInstanceUid, transferSyntaxUid: meta.transferSyntaxUid };
        }),
      );
    }
    const rows = this.deps.archive.listInstances(target.seriesUid ? { seriesUid: target.seriesUid } : { studyUid: target.studyUid });
    if (rows.length === 0) throw new Error(`${target.seriesUid ? `series ${target.seriesUid}` : `study ${target.studyUid}`} is not in the archive`);
    return rows.map((row) => ({ path: this.deps.archive.fileOf(row), sopClassUid: row.sopClassUid, sopInstanceUid: row.sopInstanceUid, transferSyntaxUid: row.transferSyntaxUid }));
  }

  private peer(node: RemoteNode): ScuPeer {
    return peerOf(this.deps.config, node, this.deps.logger);
  }
}

/** Who we are to a node: our AE title and limits. */
export function peerOf(config: ViewboxConfig, node: RemoteNode, logger: Logger): ScuPeer {
  const tls = scuTlsOptions(config.dicomTls, node);
  return { node, callingAe: config.aet, limits: config.limits, logger: logger.child({ node: node.name }), ...(tls ? { tls } : {}) };
}
