/**
 * C-GET as an SCP (PS3.4 C.4.3): the matching instances go back to the
 * requestor as C-STORE sub-operations on the same association, each as its
 * stored bytes where a context allows, with a Pending response after each.
 */
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { errorMessage } from '../../../shared/error-message.js';
import { encodeResponse, encodeStoreRequest, Tag, type CommandSet } from '../ul/dimse-command.js';
import type { ResponseChannel, SubOperationChannel } from './operation-channels.js';
import { preparedInOrder } from '../ul/read-ahead.js';
import { resolveRetrieve, sendFinal, type RetrieveContext } from './retrieve-set.js';
import { RetrieveStatus, statusClass, StoreStatus } from '../status.js';
import { outgoingDataset, type Outgoing, type StoredInstance } from '../stored-instance.js';
import { SubOperationTally } from './sub-operations.js';

export class GetOperation {
  private cancelled = false;

  constructor(
    private readonly request: CommandSet,
    private readonly identifier: DicomJsonDataset,
    private readonly context: RetrieveContext,
    private readonly subOperations: SubOperationChannel,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }

  async run(channel: ResponseChannel): Promise<void> {
    const { logger } = this.context;
    const instances = await resolveRetrieve(this.request, this.identifier, this.context, channel);
    if (!instances) return;
    const tally = new SubOperationTally(instances.length);
    const started = performance.now();
    for await (const [instance, outgoing] of preparedInOrder(instances, (i) => this.prepare(i))) {
      if (this.cancelled) break;
      const outcome = await this.storeOne(instance, outgoing);
      if (outcome !== 'completed') logger.warn('C-GET sub-operation did not complete', { sopInstanceUid: instance.sopInstanceUid, outcome });
      tally.record(outcome === 'completed' || outcome === 'warning' ? outcome : 'failed', instance.sopInstanceUid);
      if (tally.remaining > 0) await channel.send(encodeResponse(this.request, RetrieveStatus.pending, { fields: tally.fields() }));
    }
    logger.info('C-GET done', { total: tally.total, completed: tally.completed, failed: tally.failed, cancelled: this.cancelled, ms: Math.round(performance.now() - started) });
    await sendFinal(this.request, tally, this.cancelled, this.context, channel);
  }

  private prepare(instance: StoredInstance): Promise<Outgoing> {
    return outgoingDataset(instance, (sop, syntaxes) => this.subOperations.contextFor(sop, syntaxes), this.context.transcode, this.context.logger).catch((error: unknown) => ({
      ok: false as const,
      reason: `cannot read ${instance.path}: ${errorMessage(error)}`,
    }));
  }

  private async storeOne(instance: StoredInstance, outgoing: Outgoing): Promise<'completed' | 'warning' | string> {
    if (!outgoing.ok) return outgoing.reason;
    const command = (messageId: number) => encodeStoreRequest(messageId, instance.sopClassUid, instance.sopInstanceUid);
    const response = await this.subOperations.store(outgoing.contextId, command, outgoing.dataset).response;
    const status = response.us(Tag.status) ?? 0xffff;
    if (status === StoreStatus.success) return 'completed';
    if (statusClass(status) === 'warning') return 'warning';
    return `C-STORE status 0x${status.toString(16).padStart(4, '0')}${response.text(Tag.errorComment) ? `: ${response.text(Tag.errorComment)}` : ''}`;
  }
}
