/**
 * The one door into the archive: network receipt (C-STORE), STOW-RS and
 * `viewbox import` all stream an instance's dataset through an InstanceSink.
 * Success may be reported to the sender only after commit() resolves: by then
 * the file is fsync'd and renamed into place and its index row committed.
 */

/** Where an instance came from; kept in the index and the audit trail. */
export type InstanceSource =
  | { kind: 'dimse'; callingAe: string; calledAe: string; remoteAddress: string }
  | { kind: 'import'; path: string }
  | { kind: 'web'; remoteAddress: string };

export interface IncomingInstance {
  sopClassUid: string;
  sopInstanceUid: string;
  /** Transfer syntax of the dataset bytes that will be written (as negotiated / as in the file). */
  transferSyntaxUid: string;
  source: InstanceSource;
  /** When set (STOW-RS to /studies/{study}), the dataset must belong to this study, else 'uid-mismatch'. */
  studyInstanceUid?: string;
}

export type StoreStatus =
  /** New instance, stored and indexed. */
  | 'stored'
  /** Same SOP Instance UID and identical bytes already held: nothing written. */
  | 'already-present'
  /** Same UID, different bytes, policy keep-first: the held copy stays, the new one is recorded and dropped. */
  | 'kept-existing'
  /** Same UID, different bytes, policy keep-newest: the new copy replaced the held one. */
  | 'replaced';

export interface StoreOutcome {
  status: StoreStatus;
  sopInstanceUid: string;
  studyInstanceUid: string;
  /** Path of the file that now holds the instance, relative to the data folder. */
  path: string;
  sha256: string;
  /** Size of the stored file in bytes (File Meta included). */
  size: number;
}

/** Why an instance was not stored; the receiver maps it to a DICOM status. */
export type IngestErrorCode =
  | 'disk-full' // A700 Out of resources
  | 'io' // A700
  | 'too-large' // A700
  | 'malformed' // C000 Cannot understand
  | 'uid-mismatch' // A900 Data set does not match SOP class (UIDs differ from the command / meta)
  | 'duplicate-rejected' // 0111 Duplicate SOP instance (policy: reject)
  | 'aborted';

export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IngestError';
  }
}

export interface InstanceWriter {
  /** Append dataset bytes (no File Meta). Resolves when the bytes may be released (backpressure). */
  write(chunk: Uint8Array): Promise<void>;
  /** The dataset is complete: make it durable and indexed. Rejects with IngestError. */
  commit(): Promise<StoreOutcome>;
  /** Give up (association aborted, sender vanished): nothing is kept. Never rejects. */
  abort(reason: string): Promise<void>;
}

export interface InstanceSink {
  begin(incoming: IncomingInstance): InstanceWriter;
}
