/** The node's configuration, as validated by resources/schemas/config.schema.json. */

export type DicomService = 'store' | 'find' | 'move' | 'get';

export interface RemoteNode {
  name: string;
  aet: string;
  host: string;
  port: number;
  /** What this AE may ask of us. */
  allow: DicomService[];
  /** A PACS or archive the reading room searches and retrieves from (worklist tab, priors); default false. */
  search?: boolean;
  /** We call it over DICOM TLS (`port` is then its TLS port), with `dicomTls`'s CA and client certificate. */
  tls?: boolean;
  /** After a routed study reaches it, ask it for storage commitment (N-ACTION) and record what it confirms. */
  commit?: boolean;
  /** An AI engine: what is routed to it comes back as results (docs/routing.md). */
  aiEngine?: boolean;
  /** Sends to this node at once (default `queue.concurrencyPerDestination`). */
  concurrency?: number;
}

/** A DICOMweb server we send to by STOW-RS (a routing destination, like a DIMSE node). */
export interface DicomwebNode {
  name: string;
  /** The service root, e.g. http://pacs:8042/dicom-web (STOW-RS posts to {url}/studies). */
  url: string;
  aiEngine?: boolean;
  concurrency?: number;
}

/** The DICOM TLS listener (PS3.15 B.9, BCP 195) and the credentials we present as a TLS client. Paths are PEM files. */
export interface DicomTlsConfig {
  /** TCP port of the TLS listener (0: any free port), beside the plain `dicomPort`. */
  port: number;
  certificate: string;
  privateKey: string;
  /** CA certificates that peers' certificates must chain to (as server: client certificates; as client: servers). */
  caCertificates: string;
  /** Refuse a TLS peer that presents no certificate signed by `caCertificates`. */
  requireClientCertificate: boolean;
}

/** The durable send queue (docs/routing.md). */
export interface QueueConfig {
  /** Sends to one destination at once, unless the node says otherwise. */
  concurrencyPerDestination: number;
  /** A send that failed this many times is dead-lettered. */
  maxAttempts: number;
  /** A send still undelivered this many hours after it was queued is dead-lettered. */
  maxAgeHours: number;
  /** First retry delay; doubled at each failure (with jitter) up to retryMaxSeconds. */
  retryInitialSeconds: number;
  retryMaxSeconds: number;
}

/** What happens when an instance arrives whose SOP Instance UID we hold with other bytes. */
export type DuplicatePolicy = 'keep-first' | 'keep-newest' | 'reject';

export interface DicomLimits {
  maxAssociations: number;
  /** Largest PDU we accept and announce, in bytes. */
  maxPduLength: number;
  /** A-ASSOCIATE-RQ / release must arrive within this (ARTIM). */
  artimTimeoutSeconds: number;
  /** An open association silent this long is aborted. */
  idleTimeoutSeconds: number;
  /** Largest dataset accepted in one C-STORE, in bytes. */
  maxObjectBytes: number;
  /** Values of text and numeric VRs longer than this are bulk data (binary ones over 1024 bytes always are). */
  bulkDataThresholdBytes?: number;
  /**
   * While a PDU or DIMSE message is part-received, the average rate over each
   * `receiveRateWindowSeconds` must reach this, or the association is aborted
   * (a slow sender resets the idle timer with every byte). Optional here:
   * resources/config/default.json fills them; receive-watchdog.ts has the same.
   */
  minReceiveBytesPerSecond?: number;
  receiveRateWindowSeconds?: number;
  /** A PDU must be complete within this of its first byte. */
  pduTimeoutSeconds?: number;
}

export interface ViewboxConfig {
  aet: string;
  dicomPort: number;
  httpPort: number;
  /** Address the HTTP face binds to (loopback only). */
  bindAddress: string;
  /** Address the DICOM listeners bind to: one interface's address, or 0.0.0.0 / :: for all. Default: bindAddress. */
  dicomBindAddress?: string;
  /** A DICOM TLS listener beside the plain one, and our TLS client credentials. */
  dicomTls?: DicomTlsConfig;
  acceptUnknownCallers: boolean;
  nodes: RemoteNode[];
  /** DICOMweb servers we may send to (routing destinations). Names share one space with `nodes`. */
  dicomwebNodes?: DicomwebNode[];
  /** Optional here: resources/config/default.json fills it (main/routing has the same defaults). */
  queue?: QueueConfig;
  /** Routing rules file (resources/schemas/routing.schema.json). Default: routing.json in the data folder; relative paths from the data folder. */
  routing?: { rulesFile?: string };
  limits: DicomLimits;
  duplicates: DuplicatePolicy;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** Hanging-protocol folders besides the built-ins (main/protocols/protocol-folders.ts has the defaults). */
  protocols?: { siteDir?: string; userDir?: string };
}
