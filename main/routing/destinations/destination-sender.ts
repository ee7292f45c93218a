/** What delivery asks of a destination: send a group of Part 10 files, reporting each one as the peer answers it. */

export type SendOutcome = { ok: true } | { ok: false; error: string };

/** One queued send as it goes on the wire: the stored file, or a transformed copy of it (a temporary file). */
export interface SendItem {
  /** The queue row's id. */
  id: number;
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** The Part 10 file to send (from the read door, or the copy's temporary file). */
  path: string;
  size: number;
}

export interface DestinationSender {
  /**
   * Send the items on one association (or one request); `report` each as the
   * peer answers. Rejects when the connection fails or is lost: the items not
   * reported then failed with that error.
   */
  send(items: readonly SendItem[], report: (id: number, outcome: SendOutcome) => void, signal: AbortSignal): Promise<void>;
}
