/**
 * One instance on its way in: its File Meta and dataset bytes go to a staging
 * file exactly as received, while the same pass hashes the file and parses
 * the dataset header. Nothing is buffered beyond one write batch, so a 1 GB
 * object costs no more memory than a small one.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import { DatasetParser } from '../../shared/dicom/dataset-parser.js';
import { encodeFileMeta } from '../../shared/dicom/file-meta.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { transferSyntax } from '../../shared/dicom/uid-registry.js';
import { errorMessage } from '../../shared/error-message.js';
import { ingestErrorFromFs } from './durable-fs.js';
import { IngestError, type IncomingInstance } from './instance-sink.js';
import { PRIVATE_FILE_MODE } from './owner-only.js';
import type { Sha256Job, Sha256Worker } from './sha256-worker.js';

/** Bytes gathered before one writev: fewer syscalls than one write per PDV. */
const WRITE_BATCH = 256 * 1024;
/** Bytes handed to the kernel but not yet written before write() makes the sender wait. */
const MAX_IN_FLIGHT = 2 * 1024 * 1024;
/** Bytes waiting in the hashing worker before write() makes the sender wait. */
const MAX_UNHASHED = 8 * 1024 * 1024;
/** Bytes gathered before they go to the hashing worker: small enough to keep it busy while data arrives. */
const HASH_BATCH = 64 * 1024;

export interface StagedFile {
  path: string;
  size: number;
  sha256: string;
  json: DicomJsonDataset;
  deflated: boolean;
}

export class StagedInstance {
  private handle: FileHandle | undefined;
  private readonly hash: Sha256Job;
  private readonly parser: DatasetParser;
  private readonly inflater: InflateRaw | undefined;
  private inflateError: unknown;
  private parseError: unknown;
  private pending: Uint8Array[] = [];
  private toHash: Uint8Array[] = [];
  private toHashBytes = 0;
  private pendingBytes = 0;
  private datasetBytes = 0;
  private size = 0;
  private flushing: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private failed: unknown;

  constructor(
    readonly path: string,
    private readonly incoming: IncomingInstance,
    private readonly maxObjectBytes: number,
    hasher: Sha256Worker,
    /** Values of non-binary VRs longer than this stay in the file as bulk data (the parser's default if undefined). */
    textBulkDataThreshold?: number,
  ) {
    this.hash = hasher.start();
    const syntax = transferSyntax(incoming.transferSyntaxUid);
    // File Meta of a dataset that came without one: this is what makes the stored object a Part 10 file.
    const meta = encodeFileMeta({
      transferSyntaxUid: incoming.transferSyntaxUid,
      mediaStorageSopClassUid: incoming.sopClassUid,
      mediaStorageSopInstanceUid: incoming.sopInstanceUid,
      ...(incoming.source.kind === 'dimse' ? { sourceApplicationEntityTitle: incoming.source.callingAe } : {}),
    });
    this.parser = new DatasetParser({ transferSyntaxUid: incoming.transferSyntaxUid, baseOffset: meta.length, textBulkDataThreshold });
    if (syntax?.deflated) {
      this.inflater = createInflateRaw();
      this.inflater.on('data', (chunk: Buffer) => this.parse(chunk));
      this.inflater.on('error', (error) => (this.inflateError = error));
    }
    this.enqueue(meta);
  }

  /** Resolves once the bytes are handed on, and only then when the batch is full: backpressure for the sender. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.failed) throw this.failed;
    this.datasetBytes += chunk.length;
    if (this.datasetBytes > this.maxObjectBytes) {
      this.failed = new IngestError('too-large', `object larger than ${this.maxObjectBytes} bytes`);
      throw this.failed;
    }
    if (this.inflater) this.inflater.write(chunk);
    else this.parse(chunk);
    this.enqueue(chunk);
    // Writes run behind the receipt; the sender waits only when they fall behind.
    if (this.pendingBytes >= WRITE_BATCH) {
      const flushed = this.flush();
      if (this.inFlight > MAX_IN_FLIGHT) await flushed;
      else flushed.catch(() => undefined);
      await this.hash.caughtUp(MAX_UNHASHED);
    }
  }

  /** Everything written and fdatasync'd; the header parsed. */
  async finish(): Promise<StagedFile> {
    if (this.failed) throw this.failed;
    if (this.inflater) await this.endInflate();
    let json: DicomJsonDataset;
    try {
      if (this.parseError) throw this.parseError;
      json = this.parser.end();
    } catch (error) {
      throw malformed(error, this.incoming);
    }
    // The worker finishes hashing while the kernel writes the file out.
    const durable = this.flush().then(() => this.sync());
    const [sha256] = await Promise.all([this.hash.digest(), durable]);
    return { path: this.path, size: this.size, sha256, json, deflated: !!this.inflater };
  }

  /** Remove the staging file; never rejects. */
  async discard(): Promise<void> {
    this.failed ??= new IngestError('aborted', 'aborted');
    this.inflater?.destroy();
    this.hash.discard();
    await this.flushing.catch(() => undefined);
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await rm(this.path, { force: true }).catch(() => undefined);
  }

  private async sync(): Promise<void> {
    try {
      const handle = await this.openHandle();
      await handle.datasync();
      await handle.close();
      this.handle = undefined;
    } catch (error) {
      throw ingestErrorFromFs(error, 'syncing', this.path);
    }
  }

  private parse(chunk: Uint8Array): void {
    if (this.parseError) return;
    try {
      this.parser.push(chunk);
    } catch (error) {
      // Keep receiving (the sender is owed a response after its last fragment), report at finish.
      this.parseError = error;
    }
  }

  private endInflate(): Promise<void> {
    const inflater = this.inflater!;
    return new Promise<void>((resolve) => {
      if (this.inflateError) return resolve();
      inflater.once('end', resolve);
      inflater.once('error', () => resolve());
      inflater.end();
    }).then(() => {
      if (this.inflateError) this.parseError ??= this.inflateError;
    });
  }

  private enqueue(chunk: Uint8Array): void {
    this.toHash.push(chunk);
    this.toHashBytes += chunk.length;
    if (this.toHashBytes >= HASH_BATCH) this.sendToHash();
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.size += chunk.length;
  }

  private flush(): Promise<void> {
    const batch = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.sendToHash();
    if (batch.length === 0) return this.flushing;
    this.inFlight += bytes;
    this.flushing = this.flushing.then(async () => {
      try {
        const handle = await this.openHandle();
        await handle.writev(batch);
      } catch (error) {
        this.failed = ingestErrorFromFs(error, 'writing', this.path);
        throw this.failed;
      } finally {
        this.inFlight -= bytes;
      }
    });
    return this.flushing;
  }

  private sendToHash(): void {
    if (this.toHash.length === 0) return;
    this.hash.update(this.toHash);
    this.toHash = [];
    this.toHashBytes = 0;
  }

  private async openHandle(): Promise<FileHandle> {
    this.handle ??= await open(this.path, 'wx', PRIVATE_FILE_MODE);
    return this.handle;
  }
}

function malformed(error: unknown, incoming: IncomingInstance): IngestError {
  if (error instanceof IngestError) return error;
  const detail = errorMessage(error);
  return new IngestError('malformed', `dataset of ${incoming.sopInstanceUid} cannot be parsed: ${detail}`, { cause: error });
}
