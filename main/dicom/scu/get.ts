/**
 * C-GET as an SCU (PS3.4 C.4.3): the peer sends the matches back on this
 * association as C-STORE sub-operations, which go through the InstanceSink
 * exactly like any received C-STORE (same durable path, same status
 * mapping): each is acknowledged only once committed, and what was committed
 * stays even if the peer then vanishes.
 */
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import type { QueryLevel, QueryModel } from '../../../shared/query/query-levels.js';
import type { InstanceSink } from '../../store/instance-sink.js';
import { CommandField, encodeRequest, Tag } from '../ul/dimse-command.js';
import { StoreOperation } from '../store-scp.js';
import type { ScuPeer } from './client-association.js';
import { exchange, withAssociation } from './dimse-exchange.js';
import { getStorageContexts } from './get-contexts.js';
import { acceptedQueryContext, encodeIdentifier, modelFor, queryContextProposal } from './query-context.js';
import { progressOf, resultOf, type RetrieveProgress, type RetrieveResult } from './retrieve-result.js';
import { ScuError } from './scu-error.js';

export interface GetOptions {
  model?: QueryModel;
  level: QueryLevel;
  keys: DicomJsonDataset;
  /** Where the instances go (the archive). */
  sink: InstanceSink;
  /** Storage SOP classes proposed with the SCP role; default: the radiology list of get-contexts.ts. */
  sopClasses?: readonly string[];
  /** Transfer syntaxes we accept them in; default: uncompressed plus the common compressed ones. */
  transferSyntaxes?: readonly string[];
  /** Sends C-CANCEL; the result then has status FE00 and the counts so far. */
  signal?: AbortSignal;
  onProgress?: (progress: RetrieveProgress) => void;
  /** Each instance received, with the status we answered (0000 = committed). */
  onInstance?: (instance: { sopInstanceUid: string; status: number; errorComment?: string | undefined }) => void;
}

export interface GetResult extends RetrieveResult {
  /** Instances committed here during this C-GET. */
  stored: number;
}

export function get(peer: ScuPeer, options: GetOptions): Promise<GetResult> {
  const model = modelFor(options.level, options.model);
  const storage = getStorageContexts(options.sopClasses, options.transferSyntaxes);
  const proposal = { contexts: [queryContextProposal('get', model), ...storage.contexts], roles: storage.roles };
  let stored = 0;
  return withAssociation(peer, proposal, options.signal, async (association) => {
    const context = acceptedQueryContext(association, 'get', model);
    const started = performance.now();
    association.receiveStores({
      begin: (request, storeContext) =>
        new StoreOperation(
          {
            sopClassUid: storeContext.abstractSyntax,
            sopInstanceUid: request.ui(Tag.affectedSopInstanceUid) ?? '',
            transferSyntaxUid: storeContext.transferSyntax,
            source: { kind: 'dimse', callingAe: peer.node.aet, calledAe: peer.callingAe, remoteAddress: peer.node.host },
          },
          options.sink,
          peer.limits.maxObjectBytes,
          peer.logger,
        ),
      stored: (request, outcome) => {
        if (outcome.status === 0) stored++;
        options.onInstance?.({ sopInstanceUid: request.ui(Tag.affectedSopInstanceUid) ?? '', status: outcome.status, errorComment: outcome.errorComment });
      },
    });
    let final;
    try {
      final = await exchange(
        association,
        context.id,
        'C-GET',
        (id) => encodeRequest(CommandField.cGetRq, id, context.abstractSyntax),
        encodeIdentifier(options.level, options.keys, context),
        options.signal,
        (response) => options.onProgress?.(progressOf(response.command)),
      );
    } catch (error) {
      if (error instanceof ScuError) error.message += `; ${stored} instance(s) received before that stay in the archive`;
      throw error;
    }
    const result: GetResult = { ...resultOf(final, context.transferSyntax, 'C-GET', peer.node), stored };
    const { completed, failed, warning, cancelled, error } = result;
    peer.logger[error ? 'warn' : 'info']('C-GET done', { node: peer.node.name, completed, failed, warning, stored, cancelled, error, ms: Math.round(performance.now() - started) });
    return result;
  });
}
