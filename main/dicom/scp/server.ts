/**
 * The DICOM listeners: plain TCP on `host:port` and, when configured, DICOM
 * TLS on `host:tls.port`; one Association per connection either way (a
 * TLSSocket is a Socket). Nothing one peer does escapes its association.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { DicomLimits, RemoteNode } from '../../../shared/config.js';
import type { Logger } from '../../log.js';
import type { InstanceSink } from '../../store/instance-sink.js';
import type { TlsCredentials } from '../tls/credentials.js';
import { clientCertificateVerdict, serverTlsOptions } from '../tls/profile.js';
import { Association } from './association.js';
import { CallerAddresses, type ResolveHost } from './caller-addresses.js';
import { canonicalAddress } from './ip-address.js';
import type { QueryRetrieveServices } from './query-retrieve-scp.js';
import type { CommitmentReports } from '../commitment-reports.js';
import { ThrottledWarning } from './throttled-warning.js';

const SOCKET_BUFFER_BYTES = 1024 * 1024;

/**
 * Connections held at once: every allowed association, and as many again still
 * negotiating (each bounded by ARTIM). Past that a connection is closed at once,
 * so connections that never associate cannot exhaust the node's descriptors.
 */
export const connectionLimit = (limits: DicomLimits): number => 2 * limits.maxAssociations;

export interface DicomTlsListenerOptions {
  /** 0 = any free port. */
  port: number;
  credentials: TlsCredentials;
  requireClientCertificate: boolean;
}

export interface DicomServerOptions {
  aet: string;
  /** The address both listeners bind: one interface's, or 0.0.0.0 / :: for all. */
  host: string;
  /** 0 = any free port. */
  port: number;
  /** A DICOM TLS listener beside the plain one. */
  tls?: DicomTlsListenerOptions;
  limits: DicomLimits;
  acceptUnknownCallers: boolean;
  nodes: RemoteNode[];
  sink: InstanceSink;
  queryRetrieve?: QueryRetrieveServices;
  /** Where storage commitment reports brought on a PACS's own association go. */
  commitmentReports?: CommitmentReports;
  logger: Logger;
  /** How node host names become addresses (default: the system resolver). */
  resolveHost?: ResolveHost;
}

export class DicomServer {
  private readonly server: Server;
  private readonly tlsServer: TlsServer | undefined;
  private readonly associations = new Set<Association>();
  /** The TLS listener's TCP connections, handshakes still under way included (those have no Association yet). */
  private readonly tlsConnections = new Set<Socket>();
  private readonly callers: CallerAddresses;
  private readonly refusals: ThrottledWarning;
  private readonly handshakeFailures: ThrottledWarning;
  private nextId = 1;
  private boundTlsPort: number | undefined;

  constructor(private readonly options: DicomServerOptions) {
    const { logger, limits, tls } = options;
    // A socket buffer of 1 MiB: an outgoing instance (C-GET) is not stopped at every 16 KB to wait for 'drain'.
    // Half-open: a peer that shuts its write side after its last PDU still gets our responses (Association.onPeerEnd).
    const socketOptions = { noDelay: true, highWaterMark: SOCKET_BUFFER_BYTES, allowHalfOpen: true };
    this.server = createServer(socketOptions, (socket) => this.acceptWithinLimit(socket, false));
    this.server.on('error', (error) => logger.error('DICOM listener error', { error }));
    this.refusals = new ThrottledWarning(logger, 'connection refused: too many connections');
    this.handshakeFailures = new ThrottledWarning(logger, 'DICOM TLS handshake failed');
    this.callers = new CallerAddresses({ hosts: options.nodes.map((n) => n.host), logger, ...(options.resolveHost ? { resolve: options.resolveHost } : {}) });
    if (tls) {
      // A handshake that never completes is closed after ARTIM, like a connection that never sends its A-ASSOCIATE-RQ.
      const tlsOptions = serverTlsOptions(tls.credentials, limits.artimTimeoutSeconds * 1000);
      this.tlsServer = createTlsServer({ ...socketOptions, ...tlsOptions }, (socket) => this.acceptVerified(socket, tls.requireClientCertificate));
      // Connections still in their handshake count against the cap too.
      this.tlsServer.maxConnections = connectionLimit(limits);
      this.tlsServer.on('connection', (raw: Socket) => {
        this.tlsConnections.add(raw);
        raw.once('close', () => this.tlsConnections.delete(raw));
      });
      this.tlsServer.on('drop', (dropped?: { remoteAddress?: string; remotePort?: number }) => this.refusals.note({ limit: connectionLimit(limits), remote: remoteOf(dropped ?? {}), tls: true }));
      this.tlsServer.on('tlsClientError', (error, socket: TLSSocket) => {
        this.handshakeFailures.note({ remote: remoteOf(socket), reason: error.message });
        socket.destroy();
      });
      this.tlsServer.on('error', (error) => logger.error('DICOM TLS listener error', { error }));
    }
  }

  get activeAssociations(): number {
    return this.associations.size;
  }

  /** The TLS listener's port, once listening (undefined without TLS). */
  get tlsPort(): number | undefined {
    return this.boundTlsPort;
  }

  /** Resolve the nodes' host names, then listen; resolves to the plain listener's port. */
  async listen(): Promise<number> {
    const { host, port, logger, aet, tls } = this.options;
    await this.callers.start();
    let bound: number;
    try {
      bound = await listenOn(this.server, host, port, 'DICOM listener');
      if (this.tlsServer && tls) this.boundTlsPort = await listenOn(this.tlsServer, host, tls.port, 'DICOM TLS listener');
    } catch (error) {
      // Whatever did bind is let go: the start failed as a whole.
      if (this.server.listening) await new Promise((resolve) => this.server.close(resolve));
      this.callers.close();
      throw error;
    }
    logger.info('DICOM listener started', { aet, host, port: bound, ...(this.boundTlsPort !== undefined ? { tlsPort: this.boundTlsPort } : {}) });
    return bound;
  }

  /** Stop accepting; open associations get `graceMs` to release, then are aborted. */
  async close(graceMs = 10_000): Promise<void> {
    this.callers.close();
    const stopped = Promise.all([this.server, this.tlsServer].map((s) => s && new Promise<void>((resolve) => s.close(() => resolve()))));
    const allClosed = () => Promise.all([...this.associations].map((a) => a.closed));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace-over'>((resolve) => (timer = setTimeout(() => resolve('grace-over'), graceMs)));
    const first = await Promise.race([allClosed(), graceOver]);
    clearTimeout(timer);
    if (first === 'grace-over') for (const association of this.associations) association.abort('node shutting down');
    await allClosed();
    // What is left are TLS handshakes under way: they would hold the stop until ARTIM.
    for (const connection of this.tlsConnections) connection.destroy();
    await stopped;
  }

  /** A TLS caller whose handshake is done: its certificate decides (tls/profile.ts), then it is a connection like any other. */
  private acceptVerified(socket: TLSSocket, requireClientCertificate: boolean): void {
    const presented = Object.keys(socket.getPeerCertificate()).length > 0;
    const refusal = clientCertificateVerdict({ authorized: socket.authorized, authorizationError: socket.authorizationError, presented }, requireClientCertificate);
    if (refusal) {
      this.handshakeFailures.note({ remote: remoteOf(socket), reason: refusal });
      socket.destroy();
      return;
    }
    this.acceptWithinLimit(socket, true);
  }

  private acceptWithinLimit(socket: Socket, tls: boolean): void {
    const limit = connectionLimit(this.options.limits);
    if (this.associations.size >= limit) {
      socket.destroy();
      this.refusals.note({ limit, remote: remoteOf(socket) });
      return;
    }
    this.accept(socket, tls);
  }

  private accept(socket: Socket, tls: boolean): void {
    const { limits, logger, sink, aet, acceptUnknownCallers, nodes, queryRetrieve } = this.options;
    const callerAddress = canonicalAddress(socket.remoteAddress ?? '');
    const association = new Association({
      socket,
      policy: { aet, acceptUnknownCallers, nodes, addressesOf: (host) => this.callers.addressesOf(host), ...(callerAddress ? { callerAddress } : {}) },
      limits,
      sink,
      ...(queryRetrieve ? { queryRetrieve } : {}),
      ...(this.options.commitmentReports ? { commitmentReports: this.options.commitmentReports } : {}),
      logger: logger.child({ assoc: this.nextId++, ...(tls ? { tls } : {}) }),
      overLimit: () => [...this.associations].filter((a) => a.open).length >= limits.maxAssociations,
    });
    this.associations.add(association);
    void association.closed.then(() => this.associations.delete(association));
  }
}

/** `address:port` of a peer for the log; a socket already closed may have forgotten it. */
function remoteOf(socket: { remoteAddress?: string | undefined; remotePort?: number | undefined }): string {
  return socket.remoteAddress === undefined ? 'unknown (already closed)' : `${socket.remoteAddress}:${socket.remotePort}`;
}

function listenOn(server: Server, host: string, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(new Error(`${what} could not bind ${host}:${port}: ${error.message}`, { cause: error }));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
