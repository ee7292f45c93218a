/** C-MOVE as an SCU (PS3.4 C.4.2): the peer sends the matches to `destination` (often us) over its own association. */
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import type { QueryLevel, QueryModel } from '../../../shared/query/query-levels.js';
import { CommandField, encodeRequest } from '../ul/dimse-command.js';
import type { ScuPeer } from './client-association.js';
import { exchange, withAssociation } from './dimse-exchange.js';
import { acceptedQueryContext, encodeIdentifier, modelFor, queryContextProposal } from './query-context.js';
import { progressOf, resultOf, type RetrieveProgress, type RetrieveResult } from './retrieve-result.js';

export interface MoveOptions {
  model?: QueryModel;
  level: QueryLevel;
  /** The unique keys of what to move (e.g. StudyInstanceUID). */
  keys: DicomJsonDataset;
  /** AE title the peer sends to; it must know it (host, port) in its own configuration. */
  destination: string;
  /** Sends C-CANCEL; the result then has status FE00 and the counts so far. */
  signal?: AbortSignal;
  onProgress?: (progress: RetrieveProgress) => void;
}

export function move(peer: ScuPeer, options: MoveOptions): Promise<RetrieveResult> {
  const model = modelFor(options.level, options.model);
  return withAssociation(peer, { contexts: [queryContextProposal('move', model)] }, options.signal, async (association) => {
    const context = acceptedQueryContext(association, 'move', model);
    const started = performance.now();
    const final = await exchange(
      association,
      context.id,
      'C-MOVE',
      (id) => encodeRequest(CommandField.cMoveRq, id, context.abstractSyntax, { moveDestination: options.destination }),
      encodeIdentifier(options.level, options.keys, context),
      options.signal,
      (response) => options.onProgress?.(progressOf(response.command)),
    );
    const result = resultOf(final, context.transferSyntax, 'C-MOVE', peer.node);
    const { completed, failed, warning, cancelled, error } = result;
    peer.logger[error ? 'warn' : 'info']('C-MOVE done', { node: peer.node.name, destination: options.destination, completed, failed, warning, cancelled, error, ms: Math.round(performance.now() - started) });
    return result;
  });
}
