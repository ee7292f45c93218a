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
  /** Address the DICOM and HTTP listeners bind to. */
  bindAddress: string;
  acceptUnknownCallers: boolean;
  nodes: RemoteNode[];
  limits: DicomLimits;
  duplicates: DuplicatePolicy;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** Hanging-protocol folders besides the built-ins (main/protocols/protocol-folders.ts has the defaults). */
  protocols?: { siteDir?: string; userDir?: string };
}
