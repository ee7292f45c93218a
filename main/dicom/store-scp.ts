/**
 * One C-STORE as an SCP (PS3.4 B.2): stream the dataset's PDV fragments into
 * an InstanceWriter, enforce the object size limit, and turn the outcome into
 * a DIMSE status with an Error Comment saying why.
 */
import type { Logger } from '../log.js';
import type { InstanceSink, InstanceSource, InstanceWriter } from '../store/instance-sink.js';
import { statusOfIngestError } from './ingest-status.js';
import { StoreStatus, type DimseOutcome } from './status.js';

export interface StoreRequest {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  source: InstanceSource;
}

export class StoreOperation {
  private writer: InstanceWriter | undefined;
  private received = 0;
  private failure: DimseOutcome | undefined;

  constructor(
    private readonly request: StoreRequest,
    sink: InstanceSink,
    private readonly maxObjectBytes: number,
    private readonly logger: Logger,
  ) {
    try {
      this.writer = sink.begin({ ...request });
    } catch (error) {
      this.failure = statusOfIngestError(error);
    }
  }

  /** Append one fragment; after a failure the rest of the dataset is drained and dropped. */
  async write(fragment: Uint8Array): Promise<void> {
    this.received += fragment.length;
    if (this.failure) return;
    if (this.received > this.maxObjectBytes) {
      await this.fail({ status: StoreStatus.outOfResources, errorComment: `object larger than ${this.maxObjectBytes} bytes` });
      return;
    }
    try {
      await this.writer?.write(fragment);
    } catch (error) {
      await this.fail(statusOfIngestError(error));
    }
  }

  /** The dataset's last fragment arrived: commit and say what to answer. */
  async finish(): Promise<DimseOutcome> {
    const writer = this.writer;
    this.writer = undefined;
    if (this.failure || !writer) return this.failure ?? { status: StoreStatus.processingFailure };
    try {
      const outcome = await writer.commit();
      this.logger.debug('instance stored', { sopInstanceUid: this.request.sopInstanceUid, status: outcome.status, bytes: this.received });
      return { status: StoreStatus.success };
    } catch (error) {
      const result = statusOfIngestError(error);
      this.logger.warn('C-STORE failed', { sopInstanceUid: this.request.sopInstanceUid, status: hex(result.status), reason: error instanceof Error ? error.message : result.errorComment });
      return result;
    }
  }

  /** The association ended mid-dataset: nothing is kept. */
  async abort(reason: string): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    await writer?.abort(reason);
  }

  private async fail(outcome: DimseOutcome): Promise<void> {
    this.failure = outcome;
    this.logger.warn('C-STORE failed', { sopInstanceUid: this.request.sopInstanceUid, status: hex(outcome.status), reason: outcome.errorComment });
    await this.abort(outcome.errorComment ?? 'failed');
  }
}

const hex = (status: number) => status.toString(16).padStart(4, '0');
