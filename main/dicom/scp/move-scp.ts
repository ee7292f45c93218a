/**
 * C-MOVE as an SCP (PS3.4 C.4.2): the matching instances go to a configured
 * destination over a new association, with a Pending response after each and
 * the final counts and failed list at the end.
 */
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import type { RemoteNode } from '../../../shared/config.js';
import { errorMessage } from '../../../shared/error-message.js';
import { encodeResponse, Tag, type CommandSet } from '../ul/dimse-command.js';
import type { ResponseChannel } from './operation-channels.js';
import { resolveRetrieve, sendFinal, type RetrieveContext } from './retrieve-set.js';
import { RetrieveStatus } from '../status.js';
import type { StoredInstance } from '../stored-instance.js';
import { SubOperationTally } from './sub-operations.js';

/** The outcome of one instance sent to a move destination: completed, warning, or why it failed. */
export type SubOperationOutcome = { sopInstanceUid: string } & ({ outcome: 'completed' | 'warning' } | { outcome: 'failed'; reason: string });

export interface MoveDestinations {
  /** The configured node a C-MOVE may send to, by AE title. */
  lookup(aet: string): RemoteNode | undefined;
  /** Send instances to `node` in one association, reporting each; rejects only if none could be attempted. */
  send(
    node: RemoteNode,
    instances: StoredInstance[],
    options: { moveOriginator: { aet: string; messageId: number }; signal: AbortSignal; onResult: (result: SubOperationOutcome) => void },
  ): Promise<void>;
}

export class MoveOperation {
  private readonly abort = new AbortController();

  constructor(
    private readonly request: CommandSet,
    private readonly identifier: DicomJsonDataset,
    private readonly context: RetrieveContext & { callingAe: string; destinations: MoveDestinations },
  ) {}

  cancel(): void {
    this.abort.abort(new Error('C-MOVE cancelled by the requestor'));
  }

  async run(channel: ResponseChannel): Promise<void> {
    const { logger, destinations, callingAe } = this.context;
    const destinationAe = this.request.text(Tag.moveDestination) ?? '';
    const node = destinations.lookup(destinationAe);
    if (!node) {
      const reason = `move destination "${destinationAe}" is not a configured node`;
      logger.warn('C-MOVE refused', { callingAe, destinationAe, reason });
      return channel.send(encodeResponse(this.request, RetrieveStatus.moveDestinationUnknown, reason));
    }
    const instances = await resolveRetrieve(this.request, this.identifier, this.context, channel);
    if (!instances) return;
    const tally = new SubOperationTally(instances.length);
    const started = performance.now();
    // Pending responses go out in order, each after its instance; their sends are chained.
    let pending = Promise.resolve();
    const onResult = (result: SubOperationOutcome) => {
      tally.record(result.outcome, result.sopInstanceUid);
      if (result.outcome === 'failed') logger.warn('C-MOVE sub-operation failed', { sopInstanceUid: result.sopInstanceUid, destination: node.aet, reason: result.reason });
      if (tally.remaining > 0) pending = pending.then(() => channel.send(encodeResponse(this.request, RetrieveStatus.pending, { fields: tally.fields() })));
    };
    if (instances.length > 0) {
      try {
        await destinations.send(node, instances, { moveOriginator: { aet: callingAe, messageId: this.request.us(Tag.messageId) ?? 0 }, signal: this.abort.signal, onResult });
      } catch (error) {
        if (!this.abort.signal.aborted) logger.warn('C-MOVE destination failed', { destination: node.aet, host: node.host, port: node.port, error: errorMessage(error) });
      }
    }
    await pending;
    // Results come in order: what is left was never attempted (destination down) and failed, unless cancelled.
    const cancelled = this.abort.signal.aborted;
    if (!cancelled) for (const instance of instances.slice(tally.total - tally.remaining)) tally.record('failed', instance.sopInstanceUid);
    logger.info('C-MOVE done', { destination: node.aet, total: tally.total, completed: tally.completed, failed: tally.failed, cancelled, ms: Math.round(performance.now() - started) });
    await sendFinal(this.request, tally, cancelled, this.context, channel);
  }
}
