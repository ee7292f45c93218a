/** What delivery asks of a destination: send a group of held instances, reporting each one as the peer answers it. */
import type { HeldInstance } from '../../store/archive-reader.js';

export type SendOutcome = { ok: true } | { ok: false; error: string };

export interface SendItem {
  /** The queue row's id. */
  id: number;
  instance: HeldInstance;
}

export interface DestinationSender {
  /**
   * Send the items on one association (or one request); `report` each as the
   * peer answers. Rejects when the connection fails or is lost: the items not
   * reported then failed with that error.
   */
  send(items: readonly SendItem[], report: (id: number, outcome: SendOutcome) => void, signal: AbortSignal): Promise<void>;
}
