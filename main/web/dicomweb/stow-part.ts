/**
 * One part of a STOW-RS request: a Part 10 file whose File Meta is read from
 * its first bytes (it says the SOP UIDs and transfer syntax), and whose
 * dataset then streams into the archive's InstanceSink as it arrives, the
 * same durable path as C-STORE. The outcome is kept for the response.
 */
import { concatBytes } from '../../../shared/bytes.js';
import { FileMetaTruncatedError, readFileMeta, type FileMeta } from '../../../shared/dicom/file-meta.js';
import { isStorageSopClass, transferSyntax, uidName } from '../../../shared/dicom/uid-registry.js';
import { statusOfIngestError } from '../../dicom/ingest-status.js';
import { StoreStatus } from '../../dicom/status.js';
import type { InstanceSink, InstanceSource, InstanceWriter, StoreOutcome } from '../../store/instance-sink.js';
import { parseMediaType } from './media-type.js';
import type { PartConsumer } from './multipart-reader.js';
import { DICOM } from './negotiation.js';

/** A File Meta larger than this is not one (group 0002 is a few hundred bytes). */
const MAX_FILE_META = 64 * 1024;

export type PartResult =
  | { ok: true; part: number; sopClassUid: string; sopInstanceUid: string; studyUid: string; status: StoreOutcome['status'] }
  | { ok: false; part: number; sopClassUid?: string; sopInstanceUid?: string; failureReason: number; message: string };

export interface StowPartContext {
  sink: InstanceSink;
  source: InstanceSource;
  /** The study of the request URL (/studies/{study}); parts of another study fail. */
  studyUid: string | undefined;
  /** 1-based, for messages. */
  part: number;
  headers: Headers;
}

export class StowPart implements PartConsumer {
  private head: Uint8Array[] = [];
  private headBytes = 0;
  /** Bytes the File Meta needs before it can be read again. */
  private needed = 132;
  private meta: FileMeta | undefined;
  private writer: InstanceWriter | undefined;
  private outcome: PartResult | undefined;

  constructor(private readonly context: StowPartContext) {
    const declared = context.headers.get('content-type');
    let essence: string | undefined;
    try {
      essence = declared === null ? undefined : parseMediaType(declared)?.essence;
    } catch {
      essence = declared ?? undefined;
    }
    if (essence !== undefined && essence !== DICOM) this.fail(StoreStatus.cannotUnderstand, `part is ${declared}, not ${DICOM} (a Part 10 file)`);
  }

  /** What happened to this part; set once end() or abort() has resolved. */
  get result(): PartResult {
    return this.outcome ?? this.failure(StoreStatus.processingFailure, 'the part was never completed');
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.outcome) return;
    if (this.writer) {
      try {
        await this.writer.write(chunk);
      } catch (error) {
        await this.failWith(error);
      }
      return;
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes >= this.needed) await this.tryBegin(false);
  }

  async end(): Promise<void> {
    if (!this.outcome && !this.writer) await this.tryBegin(true);
    if (this.outcome || !this.writer || !this.meta) {
      await this.writer?.abort(`STOW-RS part ${this.context.part} failed`);
      return;
    }
    try {
      const stored = await this.writer.commit();
      this.outcome = { ok: true, part: this.context.part, sopClassUid: this.meta.mediaStorageSopClassUid, sopInstanceUid: stored.sopInstanceUid, studyUid: stored.studyInstanceUid, status: stored.status };
    } catch (error) {
      await this.failWith(error);
    }
  }

  async abort(reason: string): Promise<void> {
    await this.writer?.abort(reason);
    this.writer = undefined;
    if (!this.outcome) this.fail(StoreStatus.processingFailure, reason);
  }

  /** Read the File Meta from what has arrived; at the end of the part, what has arrived is all there is. */
  private async tryBegin(final: boolean): Promise<void> {
    const bytes = this.head.length === 1 ? this.head[0]! : concatBytes(this.head, this.headBytes);
    let found: ReturnType<typeof readFileMeta>;
    try {
      found = readFileMeta(bytes);
    } catch (error) {
      if (error instanceof FileMetaTruncatedError && !final && error.needed <= MAX_FILE_META) {
        this.head = [bytes];
        this.needed = error.needed;
        return;
      }
      const why = error instanceof FileMetaTruncatedError ? `the part ends inside its File Meta (${bytes.length} bytes)` : `broken File Meta: ${(error as Error).message}`;
      return this.fail(StoreStatus.cannotUnderstand, why);
    }
    this.head = [];
    if (!found) return this.fail(StoreStatus.cannotUnderstand, 'not a DICOM Part 10 file (no "DICM" after the 128-byte preamble)');
    const { meta, datasetOffset } = found;
    const ids = { sopClassUid: meta.mediaStorageSopClassUid || undefined, sopInstanceUid: meta.mediaStorageSopInstanceUid || undefined };
    if (!ids.sopClassUid || !ids.sopInstanceUid) {
      return this.fail(StoreStatus.cannotUnderstand, 'the File Meta has no Media Storage SOP Class UID (0002,0002) or SOP Instance UID (0002,0003)', ids);
    }
    if (!isStorageSopClass(ids.sopClassUid)) {
      return this.fail(StoreStatus.sopClassNotSupported, `SOP class ${ids.sopClassUid}${uidName(ids.sopClassUid) ? ` (${uidName(ids.sopClassUid)})` : ''} is not a storage SOP class`, ids);
    }
    if (!transferSyntax(meta.transferSyntaxUid)) return this.fail(StoreStatus.transferSyntaxNotSupported, `unknown transfer syntax ${meta.transferSyntaxUid} in (0002,0010)`, ids);
    this.meta = meta;
    const { sink, source, studyUid } = this.context;
    this.writer = sink.begin({
      sopClassUid: ids.sopClassUid,
      sopInstanceUid: ids.sopInstanceUid,
      transferSyntaxUid: meta.transferSyntaxUid,
      source,
      ...(studyUid !== undefined ? { studyInstanceUid: studyUid } : {}),
    });
    const dataset = bytes.subarray(datasetOffset);
    if (dataset.length > 0) await this.write(dataset);
  }

  private async failWith(error: unknown): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    await writer?.abort(`STOW-RS part ${this.context.part} failed`);
    const { status, errorComment } = statusOfIngestError(error);
    this.fail(status, errorComment ?? 'storing failed', { sopClassUid: this.meta?.mediaStorageSopClassUid, sopInstanceUid: this.meta?.mediaStorageSopInstanceUid });
  }

  private fail(failureReason: number, message: string, ids: { sopClassUid?: string | undefined; sopInstanceUid?: string | undefined } = {}): void {
    this.outcome ??= this.failure(failureReason, message, ids);
  }

  private failure(failureReason: number, message: string, ids: { sopClassUid?: string | undefined; sopInstanceUid?: string | undefined } = {}): PartResult {
    return {
      ok: false,
      part: this.context.part,
      ...(ids.sopClassUid ? { sopClassUid: ids.sopClassUid } : {}),
      ...(ids.sopInstanceUid ? { sopInstanceUid: ids.sopInstanceUid } : {}),
      failureReason,
      message,
    };
  }
}
