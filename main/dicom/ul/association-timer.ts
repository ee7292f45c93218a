/**
 * The one timer an association runs at a time (ARTIM, idle, a response
 * wait), for both ends of it; and the A-ABORT that ends one.
 */
import type { Socket } from 'node:net';
import { encodeAbort, type Abort } from './pdu-codec.js';

export class AssociationTimer {
  private timer: NodeJS.Timeout | undefined;

  /** Call `fire` after `seconds`, replacing whatever was armed. */
  arm(seconds: number, fire: () => void): void {
    this.clear();
    this.timer = setTimeout(fire, seconds * 1000);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Send A-ABORT, then close: once it is flushed, or after 2 s anyway if the peer does not read. */
export function abortAndClose(socket: Socket, abort: Abort): void {
  const fallback = setTimeout(() => socket.destroy(), 2000);
  socket.write(encodeAbort(abort), () => {
    clearTimeout(fallback);
    socket.destroy();
  });
}
