/** C-ECHO as an SCU (PS3.4 A): is the node there and does it accept us? */
import { EXPLICIT_VR_LE, IMPLICIT_VR_LE, VERIFICATION_SOP_CLASS } from '../../../shared/dicom/uid-registry.js';
import { CommandField, encodeRequest } from '../ul/dimse-command.js';
import type { ScuPeer } from './client-association.js';
import { exchange, withAssociation } from './dimse-exchange.js';
import { statusClass } from '../status.js';
import { ContextNotAcceptedError, DimseFailureError } from './scu-error.js';

/** Resolves with the round trip of the C-ECHO itself (request to response) in milliseconds. */
export function echo(peer: ScuPeer, options: { signal?: AbortSignal } = {}): Promise<number> {
  const contexts = [{ abstractSyntax: VERIFICATION_SOP_CLASS, transferSyntaxes: [IMPLICIT_VR_LE, EXPLICIT_VR_LE] }];
  return withAssociation(peer, { contexts }, options.signal, async (association) => {
    const context = association.contextOf(VERIFICATION_SOP_CLASS);
    if (!context) throw new ContextNotAcceptedError(peer.node, 'the peer does not accept Verification (C-ECHO)');
    const started = performance.now();
    const response = await exchange(association, context.id, 'C-ECHO', (id) => encodeRequest(CommandField.cEchoRq, id, VERIFICATION_SOP_CLASS), undefined, undefined);
    const ms = performance.now() - started;
    if (statusClass(response.status) !== 'success') throw new DimseFailureError(peer.node, 'C-ECHO', response.status, response.command.text(0x0902));
    peer.logger.info('C-ECHO answered', { node: peer.node.name, ms: Math.round(ms * 10) / 10 });
    return ms;
  });
}
