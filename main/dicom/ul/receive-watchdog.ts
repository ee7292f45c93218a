/**
 * The pace a peer must keep while it is part-way through sending us a PDU or
 * a DIMSE message. The idle timer cannot see a slow sender (every byte resets
 * it), so a peer dripping one byte a second would hold its association slot
 * forever. Two rules, on a clock that runs only while something is
 * part-received and we are reading (time we spend writing to disk with the
 * socket paused is ours, not the peer's):
 * - the bytes received over each window of that time must average at least
 *   `minBytesPerSecond`;
 * - a PDU must be complete within `pduSeconds` of its first byte.
 * Pure: the caller passes the time and asks `verdict` periodically.
 */
import type { DicomLimits } from '../../../shared/config.js';

export interface ReceivePace {
  minBytesPerSecond: number;
  windowSeconds: number;
  pduSeconds: number;
}

/** The defaults (resources/config/default.json, the schema), for limits built without them (tests). */
export const DEFAULT_RECEIVE_PACE: ReceivePace = { minBytesPerSecond: 1024, windowSeconds: 60, pduSeconds: 300 };

export function receivePaceOf(limits: DicomLimits): ReceivePace {
  return {
    minBytesPerSecond: limits.minReceiveBytesPerSecond ?? DEFAULT_RECEIVE_PACE.minBytesPerSecond,
    windowSeconds: limits.receiveRateWindowSeconds ?? DEFAULT_RECEIVE_PACE.windowSeconds,
    pduSeconds: limits.pduTimeoutSeconds ?? DEFAULT_RECEIVE_PACE.pduSeconds,
  };
}

/** Where the receiving side stands after a chunk was handled. */
export interface ReceiveState {
  /** A PDU is part-received. */
  inPdu: boolean;
  /** That PDU began in the chunk just handled (so its clock starts now). */
  pduBegan: boolean;
  /** A DIMSE message (command or its dataset) is part-received. */
  inMessage: boolean;
}

export class ReceiveWatchdog {
  /** Clock time (ms) accumulated while receiving; it stops while we hold the socket paused. */
  private elapsed = 0;
  /** Wall time the clock last started; undefined while stopped. */
  private runningSince: number | undefined;
  private windowStart = 0;
  private windowBytes = 0;
  private pduStart: number | undefined;
  private receiving = false;
  private chunkBytes = 0;

  constructor(private readonly pace: ReceivePace) {}

  /** True while a PDU or a message is part-received: the owner polls `verdict` then. */
  get active(): boolean {
    return this.receiving;
  }

  /** A chunk of `bytes` arrived at `now`; we stop reading while it is handled. */
  received(bytes: number, now: number): void {
    this.stopClock(now);
    this.chunkBytes = bytes;
    this.windowBytes += bytes;
  }

  /** The chunk is handled and we read again; `state` says what is part-received. */
  resumed(state: ReceiveState, now: number): void {
    if (!state.inPdu && !state.inMessage) {
      this.receiving = false;
      this.pduStart = undefined;
      return;
    }
    if (!this.receiving) {
      // A new transfer: its first window starts now, counting the chunk that began it.
      this.receiving = true;
      this.windowStart = this.elapsed;
      this.windowBytes = this.chunkBytes;
    }
    if (!state.inPdu) this.pduStart = undefined;
    else if (state.pduBegan || this.pduStart === undefined) this.pduStart = this.elapsed;
    this.runningSince = now;
  }

  /** Why the peer is too slow, or undefined while it keeps the pace. */
  verdict(now: number): string | undefined {
    if (!this.receiving) return undefined;
    const clock = this.elapsed + (this.runningSince === undefined ? 0 : now - this.runningSince);
    if (this.pduStart !== undefined && clock - this.pduStart > this.pace.pduSeconds * 1000) {
      return `PDU not complete ${this.pace.pduSeconds} s after its first byte`;
    }
    const windowMs = clock - this.windowStart;
    if (windowMs < this.pace.windowSeconds * 1000) return undefined;
    const rate = (this.windowBytes * 1000) / windowMs;
    if (rate < this.pace.minBytesPerSecond) {
      return `receiving at ${rate.toFixed(1)} bytes/s over ${(windowMs / 1000).toFixed(1)} s inside a PDU or message (minimum ${this.pace.minBytesPerSecond} bytes/s)`;
    }
    this.windowStart = clock;
    this.windowBytes = 0;
    return undefined;
  }

  private stopClock(now: number): void {
    if (this.runningSince !== undefined) this.elapsed += now - this.runningSince;
    this.runningSince = undefined;
  }
}
