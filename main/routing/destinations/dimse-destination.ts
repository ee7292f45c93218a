/** A DIMSE destination: the group goes by C-STORE on one association, each instance as its stored bytes or the route's copy (decoded for a peer that takes only uncompressed). */
import type { ScuPeer } from '../../dicom/scu/client-association.js';
import { store } from '../../dicom/scu/store.js';
import type { Transcode } from '../../dicom/stored-instance.js';
import type { DestinationSender } from './destination-sender.js';

export function dimseSender(peer: ScuPeer, transcode: Transcode | undefined): DestinationSender {
  return {
    async send(items, report, signal) {
      const rowOf = new Map(items.map((item) => [item.sopInstanceUid, item.id]));
      await store(peer, {
        instances: items.map(({ path, sopClassUid, sopInstanceUid, transferSyntaxUid }) => ({ path, sopClassUid, sopInstanceUid, transferSyntaxUid })),
        transcode,
        signal,
        onInstance: (result) => {
          const id = rowOf.get(result.sopInstanceUid);
          if (id !== undefined) report(id, result.outcome === 'failed' ? { ok: false, error: result.reason } : { ok: true });
        },
      });
    },
  };
}
