/**
 * A test InstanceSink: writes each dataset to a temp file (or discards it)
 * and records every call, so a test can check bytes and the writer lifecycle.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { IngestError, IncomingInstance, InstanceSink, InstanceWriter, StoreOutcome } from '../../../main/store/instance-sink.js';

export interface RecordedInstance {
  incoming: IncomingInstance;
  /** File holding the received dataset bytes (undefined when discarding). */
  path?: string;
  bytes: number;
  writes: number;
  /** Most write() calls pending at once (1 = the caller awaited each: backpressure). */
  maxPendingWrites: number;
  state: 'open' | 'committed' | 'aborted' | 'failed';
  abortReason?: string;
}

export interface RecordingSinkOptions {
  /** Folder for the datasets; none = count bytes and drop them. */
  dir?: string;
  /** Decide a commit's fate, e.g. to answer with an IngestError. */
  onCommit?: (instance: RecordedInstance) => IngestError | undefined;
  /** Delay each write (to exercise backpressure). */
  writeDelayMs?: number;
}

export class RecordingSink implements InstanceSink {
  readonly instances: RecordedInstance[] = [];
  private seq = 0;

  constructor(private readonly options: RecordingSinkOptions = {}) {}

  begin(incoming: IncomingInstance): InstanceWriter {
    const record: RecordedInstance = { incoming, bytes: 0, writes: 0, maxPendingWrites: 0, state: 'open' };
    let pending = 0;
    this.instances.push(record);
    let stream: WriteStream | undefined;
    if (this.options.dir) {
      record.path = join(this.options.dir, `${++this.seq}.bin`);
      stream = createWriteStream(record.path);
    }
    const { onCommit, writeDelayMs } = this.options;
    const closeStream = () => new Promise<void>((resolve) => (stream ? stream.end(() => resolve()) : resolve()));
    return {
      async write(chunk) {
        record.bytes += chunk.length;
        record.writes++;
        record.maxPendingWrites = Math.max(record.maxPendingWrites, ++pending);
        if (writeDelayMs) await new Promise((r) => setTimeout(r, writeDelayMs));
        if (stream && !stream.write(chunk)) await new Promise<void>((r) => stream.once('drain', () => r()));
        pending--;
      },
      async commit(): Promise<StoreOutcome> {
        await closeStream();
        const error = onCommit?.(record);
        if (error) {
          record.state = 'failed';
          throw error;
        }
        record.state = 'committed';
        return { status: 'stored', sopInstanceUid: incoming.sopInstanceUid, studyInstanceUid: '', path: record.path ?? '', sha256: '', size: record.bytes };
      },
      async abort(reason) {
        record.state = 'aborted';
        record.abortReason = reason;
        await closeStream();
      },
    };
  }
}

