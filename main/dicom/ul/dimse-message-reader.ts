/**
 * DIMSE messages out of PDVs (PS3.8 9.3.5.1, PS3.7 6.3.1), for both ends of
 * an association: command fragments become a command set; the dataset that
 * follows goes where the owner says — an instance being stored (streamed, as
 * the slices arrive), a small dataset collected in memory up to a limit, or
 * nowhere (a refused request whose dataset is read and dropped).
 */
import { decodeCommandSet, type CommandSet } from './dimse-command.js';
import { AbortReason, PduError } from './pdu-codec.js';
import type { ReaderEvent } from './pdu-reader.js';
import type { DimseOutcome } from '../status.js';
import type { StoreOperation } from '../store-scp.js';

/** Where the dataset announced by a command goes. */
export type DatasetDestination =
  | { kind: 'store'; operation: StoreOperation }
  | { kind: 'collect'; limit: number; what: string }
  | { kind: 'discard'; outcome: DimseOutcome };

/** A dataset that has fully arrived, with the command that announced it. */
export type CompleteDataset = { contextId: number; request: CommandSet } & (
  | { kind: 'store'; operation: StoreOperation }
  | { kind: 'collect'; bytes: Uint8Array }
  | { kind: 'discard'; outcome: DimseOutcome }
);

export interface MessageHandlers {
  /** A command set arrived; for one that announces a dataset, say where it goes. */
  command(contextId: number, command: CommandSet): DatasetDestination | undefined;
  dataset(complete: CompleteDataset): Promise<void> | void;
}

type Pending = { contextId: number; request: CommandSet } & (
  | { kind: 'store'; operation: StoreOperation }
  | { kind: 'collect'; limit: number; what: string; parts: Uint8Array[]; bytes: number }
  | { kind: 'discard'; outcome: DimseOutcome }
);

type Pdv = Extract<ReaderEvent, { kind: 'pdv' }>;

const MAX_COMMAND_BYTES = 64 * 1024;

export class DimseMessageReader {
  private commandParts: Uint8Array[] = [];
  private commandBytes = 0;
  private commandContext = 0;
  private pending: Pending | undefined;

  constructor(private readonly handlers: MessageHandlers) {}

  /** No message is half-way: a release or an abort now loses nothing. */
  get idle(): boolean {
    return this.pending === undefined && this.commandParts.length === 0;
  }

  /** A dataset is expected or arriving. */
  get expectingDataset(): boolean {
    return this.pending !== undefined;
  }

  /** The instance being stored when the connection ended (for its writer to be aborted); the reader forgets it. */
  takeUnfinishedStore(): StoreOperation | undefined {
    const pending = this.pending;
    this.pending = undefined;
    this.commandParts = [];
    this.commandBytes = 0;
    return pending?.kind === 'store' ? pending.operation : undefined;
  }

  /** One PDV of an accepted presentation context (the owner checks acceptance). */
  async pdv(pdv: Pdv): Promise<void> {
    if (pdv.command) return this.commandFragment(pdv);
    const pending = this.pending;
    if (!pending) throw new PduError(AbortReason.unexpectedPduParameter, 'dataset PDV without a command announcing one');
    if (pending.contextId !== pdv.contextId) {
      throw new PduError(AbortReason.unexpectedPduParameter, `dataset PDV on context ${pdv.contextId}, its command came on ${pending.contextId}`);
    }
    if (pending.kind === 'store' && pdv.data.length > 0) await pending.operation.write(pdv.data);
    if (pending.kind === 'collect') {
      pending.bytes += pdv.data.length;
      if (pending.bytes > pending.limit) throw new PduError(AbortReason.invalidPduParameterValue, `${pending.what} larger than ${pending.limit} bytes`);
      // A copy: the PDV is a slice of a socket chunk that is reused.
      pending.parts.push(Buffer.from(pdv.data));
    }
    if (!pdv.final) return;
    this.pending = undefined;
    const { contextId, request } = pending;
    if (pending.kind === 'collect') await this.handlers.dataset({ kind: 'collect', contextId, request, bytes: Buffer.concat(pending.parts) });
    else await this.handlers.dataset(pending.kind === 'store' ? { kind: 'store', contextId, request, operation: pending.operation } : { kind: 'discard', contextId, request, outcome: pending.outcome });
  }

  private commandFragment(pdv: Pdv): void {
    if (this.pending) throw new PduError(AbortReason.unexpectedPduParameter, 'command PDV while a dataset was expected');
    if (this.commandParts.length > 0 && pdv.contextId !== this.commandContext) {
      throw new PduError(AbortReason.unexpectedPduParameter, 'command fragments on different presentation contexts');
    }
    this.commandContext = pdv.contextId;
    this.commandBytes += pdv.data.length;
    if (this.commandBytes > MAX_COMMAND_BYTES) throw new PduError(AbortReason.invalidPduParameterValue, `command set larger than ${MAX_COMMAND_BYTES} bytes`);
    this.commandParts.push(Buffer.from(pdv.data));
    if (!pdv.final) return;
    const command = decodeCommandSet(Buffer.concat(this.commandParts));
    this.commandParts = [];
    this.commandBytes = 0;
    const destination = this.handlers.command(pdv.contextId, command);
    if (!command.hasDataset) return;
    if (!destination) throw new Error(`no destination for the dataset of command 0x${(command.commandField ?? 0).toString(16)}`);
    this.pending =
      destination.kind === 'collect'
        ? { contextId: pdv.contextId, request: command, kind: 'collect', limit: destination.limit, what: destination.what, parts: [], bytes: 0 }
        : { contextId: pdv.contextId, request: command, ...destination };
  }
}
