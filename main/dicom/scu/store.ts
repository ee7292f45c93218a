/**
 * C-STORE as an SCU (PS3.4 B): send held instances as their stored dataset
 * bytes, streamed from the file. An instance the peer accepts only
 * uncompressed is decoded by the injected transcoder (logged); one that
 * cannot be sent fails with its reason and the others go on. Also the
 * sending half of our C-MOVE SCP: `moveOriginator` marks the sub-operations.
 */
import { uidName } from '../../../shared/dicom/uid-registry.js';
import { errorMessage } from '../../../shared/error-message.js';
import { encodeStoreRequest, Tag } from '../ul/dimse-command.js';
import { preparedInOrder } from '../ul/read-ahead.js';
import { outgoingDataset, type Outgoing, type StoredInstance, type Transcode } from '../stored-instance.js';
import type { ClientAssociation, ScuPeer } from './client-association.js';
import { exchange, withAssociation } from './dimse-exchange.js';
import { describeStatus, statusClass } from '../status.js';
import { ScuError } from './scu-error.js';
import { planStoreBatches } from './store-contexts.js';

export interface StoreOptions {
  instances: readonly StoredInstance[];
  /** Decodes a compressed instance for a peer that accepts only Explicit VR Little Endian. */
  transcode?: Transcode | undefined;
  /** Set on C-STORE sub-operations of a C-MOVE we serve: (0000,1030) and (0000,1031). */
  moveOriginator?: { aet: string; messageId: number } | undefined;
  /** Stops after the instance being sent; the results so far are returned. */
  signal?: AbortSignal | undefined;
  onInstance?: (result: StoreInstanceResult) => void;
}

export type StoreInstanceResult = {
  sopInstanceUid: string;
  sopClassUid: string;
  /** Sent decoded (Explicit VR Little Endian) rather than as stored. */
  converted: boolean;
  /** The peer's C-STORE status, when it answered. */
  status?: number;
} & ({ outcome: 'completed' | 'warning' } | { outcome: 'failed'; reason: string });

/**
 * Send `instances` in order, one association per group of 128 presentation
 * contexts. Resolves with a result per instance attempted; rejects (after
 * reporting the instances done) when an association cannot be opened or is
 * lost, with an error naming the node.
 */
export async function store(peer: ScuPeer, options: StoreOptions): Promise<StoreInstanceResult[]> {
  const results: StoreInstanceResult[] = [];
  const report = (result: StoreInstanceResult) => {
    results.push(result);
    if (result.outcome === 'failed') peer.logger.warn('C-STORE of an instance failed', { node: peer.node.name, sopInstanceUid: result.sopInstanceUid, reason: result.reason });
    options.onInstance?.(result);
  };
  const started = performance.now();
  try {
    for (const batch of planStoreBatches(options.instances)) {
      if (options.signal?.aborted) break;
      // The signal is checked between instances, so that a cancel returns the results so far rather than an error.
      await withAssociation(peer, { contexts: batch.contexts }, undefined, (association) => sendBatch(association, batch.instances, peer, options, report));
    }
  } catch (error) {
    if (error instanceof ScuError) error.message += `; ${countDone(results)} of ${options.instances.length} instance(s) were stored before that`;
    throw error;
  }
  const failed = results.filter((r) => r.outcome === 'failed').length;
  peer.logger.info('C-STORE done', { node: peer.node.name, sent: results.length - failed, failed, total: options.instances.length, cancelled: options.signal?.aborted ?? false, ms: Math.round(performance.now() - started) });
  return results;
}

const countDone = (results: StoreInstanceResult[]) => results.filter((r) => r.outcome !== 'failed').length;

async function sendBatch(association: ClientAssociation, instances: StoredInstance[], peer: ScuPeer, options: StoreOptions, report: (r: StoreInstanceResult) => void): Promise<void> {
  const contextFor = association.contextFor.bind(association);
  const prepare = (instance: StoredInstance): Promise<Outgoing> =>
    outgoingDataset(instance, contextFor, options.transcode, peer.logger).catch((error: unknown) => ({ ok: false, reason: `cannot read ${instance.path}: ${errorMessage(error)}` }));
  for await (const [instance, outgoing] of preparedInOrder(instances, prepare)) {
    if (options.signal?.aborted) break;
    const base = { sopInstanceUid: instance.sopInstanceUid, sopClassUid: instance.sopClassUid };
    if (!outgoing.ok) {
      report({ ...base, converted: false, outcome: 'failed', reason: outgoing.reason });
      continue;
    }
    const response = await exchange(
      association,
      outgoing.contextId,
      `C-STORE of ${uidName(instance.sopClassUid) ?? instance.sopClassUid} ${instance.sopInstanceUid}`,
      (id) => encodeStoreRequest(id, instance.sopClassUid, instance.sopInstanceUid, options.moveOriginator),
      outgoing.dataset,
      undefined,
    );
    const kind = statusClass(response.status);
    const done = { ...base, converted: outgoing.converted, status: response.status };
    if (kind === 'success' || kind === 'warning') report({ ...done, outcome: kind === 'success' ? 'completed' : 'warning' });
    else {
      const comment = response.command.text(Tag.errorComment);
      report({ ...done, outcome: 'failed', reason: `the peer answered ${describeStatus(response.status)}${comment ? `: ${comment}` : ''}` });
    }
  }
}
