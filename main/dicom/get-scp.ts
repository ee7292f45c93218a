/**
 * C-GET as an SCP (PS3.4 C.4.3): the matching instances go back to the
 * requestor as C-STORE sub-operations on the same association, each as its
 * stored bytes where a context allows, with a Pending response after each.
 */
import { encodeDataset } from '../../shared/dicom/dataset-writer.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { EXPLICIT_VR_LE } from '../../shared/dicom/uid-registry.js';
import type { CompiledQuery } from '../../shared/query/compiled-query.js';
import type { QueryModel } from '../../shared/query/query-levels.js';
import type { Logger } from '../log.js';
import type { ArchiveReader } from '../store/archive-reader.js';
import { encodeResponse, encodeStoreRequest, Tag, type CommandSet } from './dimse-command.js';
import { compileIdentifier, IdentifierError, QueryStatus, type ResponseChannel } from './find-scp.js';
import type { SubOperationChannel } from './query-retrieve-scp.js';
import { preparedInOrder } from './read-ahead.js';
import { instancesToRetrieve } from './retrieve-set.js';
import { outgoingDataset, type Outgoing, type StoredInstance, type Transcode } from './stored-instance.js';
import { RetrieveStatus, SubOperationTally } from './sub-operations.js';

export interface RetrieveContext {
  model: QueryModel;
  transferSyntaxUid: string;
  /** The archive's read door: what the identifier names, and where each instance's bytes are. */
  archive: ArchiveReader;
  transcode: Transcode | undefined;
  logger: Logger;
}

/** Compile a retrieve identifier and list its instances, or answer the request with the failure. */
export async function resolveRetrieve(request: CommandSet, identifier: DicomJsonDataset, context: RetrieveContext, channel: ResponseChannel): Promise<StoredInstance[] | undefined> {
  let query: CompiledQuery;
  try {
    query = compileIdentifier(context.model, identifier);
  } catch (error) {
    const status = error instanceof IdentifierError ? error.status : QueryStatus.unableToProcess;
    const message = error instanceof Error ? error.message : String(error);
    context.logger.warn('retrieve refused', { reason: message });
    await channel.send(encodeResponse(request, status, message));
    return undefined;
  }
  return instancesToRetrieve(context.archive, query).map((row) => ({
    sopClassUid: row.sopClassUid,
    sopInstanceUid: row.sopInstanceUid,
    transferSyntaxUid: row.transferSyntaxUid,
    path: context.archive.fileOf(row),
  }));
}

/** The final response of a C-MOVE / C-GET: counts, status, and the failed list when any failed. */
export function sendFinal(request: CommandSet, tally: SubOperationTally, cancelled: boolean, context: RetrieveContext, channel: ResponseChannel): Promise<void> {
  const failedList = tally.failedList();
  const explicitVr = context.transferSyntaxUid === EXPLICIT_VR_LE;
  const command = encodeResponse(request, tally.finalStatus(cancelled), { hasDataset: !!failedList, fields: tally.fields({ cancelled }) });
  return channel.send(command, failedList && encodeDataset(failedList, { explicitVr }));
}

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
      reason: `cannot read ${instance.path}: ${error instanceof Error ? error.message : String(error)}`,
    }));
  }

  private async storeOne(instance: StoredInstance, outgoing: Outgoing): Promise<'completed' | 'warning' | string> {
    if (!outgoing.ok) return outgoing.reason;
    const command = (messageId: number) => encodeStoreRequest(messageId, instance.sopClassUid, instance.sopInstanceUid);
    const response = await this.subOperations.store(outgoing.contextId, command, outgoing.dataset).response;
    const status = response.us(Tag.status) ?? 0xffff;
    if (status === 0) return 'completed';
    if ((status & 0xf000) === 0xb000) return 'warning';
    return `C-STORE status 0x${status.toString(16).padStart(4, '0')}${response.text(Tag.errorComment) ? `: ${response.text(Tag.errorComment)}` : ''}`;
  }
}
