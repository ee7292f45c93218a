/** C-FIND as an SCU (PS3.4 C.4.1): one identifier, every Pending answer parsed to DICOM JSON. */
import { parseDataset } from '../../../shared/dicom/dataset-parser.js';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { errorMessage } from '../../../shared/error-message.js';
import type { QueryLevel, QueryModel } from '../../../shared/query/query-levels.js';
import { CommandField, encodeRequest, Tag } from '../ul/dimse-command.js';
import type { ScuPeer } from './client-association.js';
import { exchange, withAssociation } from './dimse-exchange.js';
import { statusClass } from '../status.js';
import { acceptedQueryContext, encodeIdentifier, modelFor, queryContextProposal } from './query-context.js';
import { DimseFailureError, ScuError } from './scu-error.js';

export interface FindOptions {
  /** Default: Patient Root for PATIENT level, Study Root otherwise. */
  model?: QueryModel;
  level: QueryLevel;
  /** Matching keys with values, return keys empty; Query/Retrieve Level is added. */
  keys: DicomJsonDataset;
  /** Sends C-CANCEL; the answers received until the peer's final response are returned. */
  signal?: AbortSignal;
  onAnswer?: (answer: DicomJsonDataset) => void;
}

export function find(peer: ScuPeer, options: FindOptions): Promise<DicomJsonDataset[]> {
  const model = modelFor(options.level, options.model);
  return withAssociation(peer, { contexts: [queryContextProposal('find', model)] }, options.signal, async (association) => {
    const context = acceptedQueryContext(association, 'find', model);
    const started = performance.now();
    const answers: DicomJsonDataset[] = [];
    const final = await exchange(
      association,
      context.id,
      'C-FIND',
      (id) => encodeRequest(CommandField.cFindRq, id, context.abstractSyntax),
      encodeIdentifier(options.level, options.keys, context),
      options.signal,
      (response) => {
        if (!response.dataset) return; // a Pending without identifier carries nothing to show
        let answer: DicomJsonDataset;
        try {
          answer = parseDataset(response.dataset, { transferSyntaxUid: context.transferSyntax });
        } catch (error) {
          throw new ScuError(peer.node, `C-FIND answer ${answers.length + 1} cannot be read: ${errorMessage(error)}`);
        }
        answers.push(answer);
        options.onAnswer?.(answer);
      },
    );
    const outcome = statusClass(final.status);
    if (outcome === 'failure') throw new DimseFailureError(peer.node, 'C-FIND', final.status, final.command.text(Tag.errorComment));
    peer.logger.info('C-FIND done', { node: peer.node.name, level: options.level, answers: answers.length, cancelled: outcome === 'cancel', ms: Math.round(performance.now() - started) });
    return answers;
  });
}
