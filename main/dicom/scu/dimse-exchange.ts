/**
 * What every SCU operation does around its requests: one association for
 * the operation (released when it succeeds, aborted when it fails), and a
 * request whose responses are read to the final one, with an AbortSignal
 * turned into C-CANCEL.
 */
import { errorMessage } from '../../../shared/error-message.js';
import type { DatasetSource } from '../ul/message-writer.js';
import { ClientAssociation, type ContextProposal, type DimseResponse, type ScuPeer } from './client-association.js';
import { statusClass } from '../status.js';
import type { RoleSelection } from '../ul/pdu-codec.js';

/** Run `work` on a fresh association; release it afterwards, or abort it if `work` throws. */
export async function withAssociation<T>(
  peer: ScuPeer,
  proposal: { contexts: ContextProposal[]; roles?: RoleSelection[] },
  signal: AbortSignal | undefined,
  work: (association: ClientAssociation) => Promise<T>,
): Promise<T> {
  const association = await ClientAssociation.open(peer, proposal, signal);
  let result: T;
  try {
    result = await work(association);
  } catch (error) {
    association.abort(`operation failed: ${errorMessage(error)}`);
    throw error;
  }
  await association.release();
  return result;
}

/**
 * Send one request and hand each Pending response to `onPending`; resolves
 * with the final response. When `signal` aborts, C-CANCEL is sent and the
 * peer's final response (normally Cancel, FE00) still ends the exchange.
 */
export async function exchange(
  association: ClientAssociation,
  contextId: number,
  label: string,
  command: (messageId: number) => Uint8Array,
  dataset: Uint8Array | DatasetSource | undefined,
  signal: AbortSignal | undefined,
  onPending: (response: DimseResponse) => void = () => undefined,
): Promise<DimseResponse> {
  const { messageId, responses } = association.request(contextId, label, command, dataset);
  const cancel = () => association.cancel(contextId, messageId);
  if (signal?.aborted) cancel();
  else signal?.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const response = await responses.next();
      if (statusClass(response.status) !== 'pending') return response;
      onPending(response);
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}
