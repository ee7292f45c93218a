/**
 * Incremental framing of a TCP byte stream into PDUs (PS3.8 9.3). P-DATA-TF
 * PDUs are not gathered: each PDV is emitted as fragments that are subarrays
 * of the chunks fed in, so a dataset travels from the socket to the sink
 * without a copy. Every length is checked against what encloses it; a lie
 * throws PduError (the caller aborts the association).
 */
import { AbortReason, PduError, PduType } from './pdu-codec.js';

export type ReaderEvent =
  /** A whole PDU other than P-DATA-TF (body = bytes after the 6-byte header). */
  | { kind: 'pdu'; type: number; body: Buffer }
  /**
   * A piece of a PDV. `pdvEnd`: this piece ends its PDV; `final`: it also ends
   * the message (the PDV's last-fragment bit is set).
   */
  | { kind: 'pdv'; contextId: number; command: boolean; data: Uint8Array; pdvEnd: boolean; final: boolean };

export interface PduReaderOptions {
  /** The max PDU length we announced; a P-DATA-TF body may exceed it by its 6-byte PDV header at most. */
  maxPduLength: number;
  /** Largest other PDU accepted (A-ASSOCIATE-RQ with many contexts is the big one). */
  maxControlPduLength?: number;
}

const ONE_MB = 1024 * 1024;

type State = 'pduHeader' | 'body' | 'pdvHeader' | 'pdvData';

export class PduReader {
  private state: State = 'pduHeader';
  private readonly head = Buffer.alloc(6);
  private headFill = 0;
  private pduType = 0;
  private body: Buffer = Buffer.alloc(0);
  private bodyFill = 0;
  /** Bytes of the current P-DATA-TF body not yet consumed. */
  private pduLeft = 0;
  /** Bytes of the current PDV's data not yet consumed. */
  private pdvLeft = 0;
  private contextId = 0;
  private control = 0;
  private readonly maxPData: number;
  private readonly maxControl: number;
  private begun = 0;

  constructor(options: PduReaderOptions) {
    this.maxPData = options.maxPduLength > 0 ? options.maxPduLength + 6 : 0xffffffff;
    this.maxControl = options.maxControlPduLength ?? ONE_MB;
  }

  /** True between PDUs: nothing partial is buffered. */
  get idle(): boolean {
    return this.state === 'pduHeader' && this.headFill === 0;
  }

  /** PDUs whose first byte has been read so far (a change tells that a new PDU began). */
  get pdusBegun(): number {
    return this.begun;
  }

  /** Frame `chunk`; the events' data are views into it. Throws PduError on a protocol violation. */
  feed(chunk: Uint8Array): ReaderEvent[] {
    const events: ReaderEvent[] = [];
    let at = 0;
    while (at < chunk.length) {
      switch (this.state) {
        case 'pduHeader': {
          if (this.headFill === 0) this.begun++;
          const n = Math.min(6 - this.headFill, chunk.length - at);
          this.head.set(chunk.subarray(at, at + n), this.headFill);
          this.headFill += n;
          at += n;
          if (this.headFill === 6) this.startPdu(events);
          break;
        }
        case 'body': {
          const n = Math.min(this.body.length - this.bodyFill, chunk.length - at);
          this.body.set(chunk.subarray(at, at + n), this.bodyFill);
          this.bodyFill += n;
          at += n;
          if (this.bodyFill === this.body.length) this.endControlPdu(events);
          break;
        }
        case 'pdvHeader': {
          const n = Math.min(6 - this.headFill, chunk.length - at);
          this.head.set(chunk.subarray(at, at + n), this.headFill);
          this.headFill += n;
          at += n;
          if (this.headFill === 6) this.startPdv(events);
          break;
        }
        case 'pdvData': {
          const n = Math.min(this.pdvLeft, chunk.length - at);
          this.pdvLeft -= n;
          this.pduLeft -= n;
          const pdvEnd = this.pdvLeft === 0;
          events.push(this.pdvEvent(chunk.subarray(at, at + n), pdvEnd));
          at += n;
          if (pdvEnd) this.afterPdv();
          break;
        }
      }
    }
    return events;
  }

  private startPdu(events: ReaderEvent[]): void {
    this.pduType = this.head[0]!;
    const length = this.head.readUInt32BE(2);
    this.headFill = 0;
    if (this.pduType < PduType.associateRq || this.pduType > PduType.abort) {
      throw new PduError(AbortReason.unrecognizedPdu, `unknown PDU type 0x${this.pduType.toString(16)}`);
    }
    if (this.pduType === PduType.pData) {
      if (length > this.maxPData) {
        throw new PduError(AbortReason.invalidPduParameterValue, `P-DATA-TF length ${length} exceeds the maximum PDU length ${this.maxPData - 6} we announced`);
      }
      this.pduLeft = length;
      this.afterPdv();
      return;
    }
    if (length > this.maxControl) throw new PduError(AbortReason.invalidPduParameterValue, `PDU type ${this.pduType} length ${length} exceeds ${this.maxControl}`);
    this.body = Buffer.alloc(length);
    this.bodyFill = 0;
    this.state = 'body';
    if (length === 0) this.endControlPdu(events);
  }

  private endControlPdu(events: ReaderEvent[]): void {
    events.push({ kind: 'pdu', type: this.pduType, body: this.body });
    this.state = 'pduHeader';
  }

  private startPdv(events: ReaderEvent[]): void {
    this.headFill = 0;
    const length = this.head.readUInt32BE(0);
    this.pduLeft -= 6;
    if (length < 2 || length - 2 > this.pduLeft) {
      throw new PduError(AbortReason.invalidPduParameterValue, `PDV length ${length} does not fit in the ${this.pduLeft + 2} bytes left of its P-DATA-TF`);
    }
    this.contextId = this.head[4]!;
    this.control = this.head[5]!;
    this.pdvLeft = length - 2;
    this.state = 'pdvData';
    if (this.pdvLeft === 0) {
      events.push(this.pdvEvent(new Uint8Array(0), true));
      this.afterPdv();
    }
  }

  private pdvEvent(data: Uint8Array, pdvEnd: boolean): ReaderEvent {
    return { kind: 'pdv', contextId: this.contextId, command: (this.control & 1) !== 0, data, pdvEnd, final: pdvEnd && (this.control & 2) !== 0 };
  }

  /** Next: another PDV of this P-DATA-TF, or the next PDU. */
  private afterPdv(): void {
    if (this.pduLeft > 0 && this.pduLeft < 6) {
      throw new PduError(AbortReason.invalidPduParameterValue, `PDV header does not fit in the ${this.pduLeft} bytes left of its P-DATA-TF`);
    }
    this.state = this.pduLeft === 0 ? 'pduHeader' : 'pdvHeader';
  }
}
