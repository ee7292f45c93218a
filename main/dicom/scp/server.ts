/**
 * The DICOM listener: accepts TCP connections on `host:port` and runs one
 * Association per connection. Nothing one peer does escapes its association.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { DicomLimits, RemoteNode } from '../../../shared/config.js';
import type { Logger } from '../../log.js';
import type { InstanceSink } from '../../store/instance-sink.js';
import { Association } from './association.js';
import type { QueryRetrieveServices } from './query-retrieve-scp.js';
import type { CommitmentReports } from '../commitment-reports.js';

const SOCKET_BUFFER_BYTES = 1024 * 1024;
/** Refused connections are logged at most this often (a flood must not flood the log too). */
const REFUSAL_LOG_INTERVAL_MS = 1000;

/**
 * Connections held at once: every allowed association, and as many again still
 * negotiating (each bounded by ARTIM). Past that a connection is closed at once,
 * so connections that never associate cannot exhaust the node's descriptors.
 */
export const connectionLimit = (limits: DicomLimits): number => 2 * limits.maxAssociations;

export interface DicomServerOptions {
  aet: string;
  host: string;
  /** 0 = any free port. */
  port: number;
  limits: DicomLimits;
  acceptUnknownCallers: boolean;
  nodes: RemoteNode[];
  sink: InstanceSink;
  queryRetrieve?: QueryRetrieveServices;
  /** Where storage commitment reports brought on a PACS's own association go. */
  commitmentReports?: CommitmentReports;
  logger: Logger;
}

export class DicomServer {
  private readonly server: Server;
  private readonly associations = new Set<Association>();
  private nextId = 1;
  private refusedSinceLog = 0;
  private lastRefusalLog = 0;

  constructor(private readonly options: DicomServerOptions) {
    // A socket buffer of 1 MiB: an outgoing instance (C-GET) is not stopped at every 16 KB to wait for 'drain'.
    // Half-open: a peer that shuts its write side after its last PDU still gets our responses (Association.onPeerEnd).
    this.server = createServer({ noDelay: true, highWaterMark: SOCKET_BUFFER_BYTES, allowHalfOpen: true }, (socket) => this.accept(socket));
    this.server.on('error', (error) => options.logger.error('DICOM listener error', { error }));
  }

  get activeAssociations(): number {
    return this.associations.size;
  }

  listen(): Promise<number> {
    const { host, port, logger, aet } = this.options;
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(new Error(`DICOM listener could not bind ${host}:${port}: ${error.message}`, { cause: error }));
      this.server.once('error', failed);
      this.server.listen(port, host, () => {
        this.server.off('error', failed);
        const address = this.server.address();
        const bound = typeof address === 'object' && address ? address.port : port;
        logger.info('DICOM listener started', { aet, host, port: bound });
        resolve(bound);
      });
    });
  }

  /** Stop accepting; open associations get `graceMs` to release, then are aborted. */
  async close(graceMs = 10_000): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const allClosed = () => Promise.all([...this.associations].map((a) => a.closed));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace-over'>((resolve) => (timer = setTimeout(() => resolve('grace-over'), graceMs)));
    const first = await Promise.race([allClosed(), graceOver]);
    clearTimeout(timer);
    if (first === 'grace-over') for (const association of this.associations) association.abort('node shutting down');
    await allClosed();
    await stopped;
  }

  private accept(socket: Socket): void {
    const { limits, logger, sink, aet, acceptUnknownCallers, nodes, queryRetrieve } = this.options;
    if (this.associations.size >= connectionLimit(limits)) {
      socket.destroy();
      this.refusedSinceLog++;
      const now = Date.now();
      if (now - this.lastRefusalLog >= REFUSAL_LOG_INTERVAL_MS) {
        logger.warn('connection refused: too many connections', { limit: connectionLimit(limits), refused: this.refusedSinceLog, remote: `${socket.remoteAddress}:${socket.remotePort}` });
        this.lastRefusalLog = now;
        this.refusedSinceLog = 0;
      }
      return;
    }
    const association = new Association({
      socket,
      policy: { aet, acceptUnknownCallers, nodes },
      limits,
      sink,
      ...(queryRetrieve ? { queryRetrieve } : {}),
      ...(this.options.commitmentReports ? { commitmentReports: this.options.commitmentReports } : {}),
      logger: logger.child({ assoc: this.nextId++ }),
      overLimit: () => [...this.associations].filter((a) => a.open).length >= limits.maxAssociations,
    });
    this.associations.add(association);
    void association.closed.then(() => this.associations.delete(association));
  }
}
