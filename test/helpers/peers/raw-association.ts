/**
 * A hand-written DICOM upper-layer peer (PS3.8) for sending what no real tool
 * will: non-DICOM payloads, truncated datasets, PDUs whose lengths lie. Every
 * byte is built here, independently of main/dicom, so tests stay an outside
 * oracle. Test-only and deliberately minimal.
 */
import { connect, type Socket } from 'node:net';

export const APPLICATION_CONTEXT = '1.2.840.10008.3.1.1.1';
export const VERIFICATION = '1.2.840.10008.1.1';
export const IMPLICIT_VR_LE = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
const RAW_IMPLEMENTATION_UID = '2.25.91735022310547766135423513437530513719';

export const PDU = { associateRq: 1, associateAc: 2, associateRj: 3, pData: 4, releaseRq: 5, releaseRp: 6, abort: 7 } as const;

export interface ProposedContext {
  id: number; // odd, 1..255
  abstractSyntax: string;
  transferSyntaxes: string[];
}

function evenUid(uid: string): Buffer {
  const bytes = Buffer.from(uid, 'latin1');
  return bytes.length % 2 ? Buffer.concat([bytes, Buffer.from([0])]) : bytes;
}

function item(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt8(type, 0);
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function pdu(type: number, body: Buffer, lengthOverride?: number): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(lengthOverride ?? body.length, 2);
  return Buffer.concat([header, body]);
}

function aeField(ae: string): Buffer {
  return Buffer.from(ae.padEnd(16, ' ').slice(0, 16), 'latin1');
}

export function associateRq(options: { callingAe: string; calledAe: string; contexts: ProposedContext[]; maxPdu?: number }): Buffer {
  const fixed = Buffer.alloc(68);
  fixed.writeUInt16BE(1, 0); // protocol version
  aeField(options.calledAe).copy(fixed, 4);
  aeField(options.callingAe).copy(fixed, 20);
  const contexts = options.contexts.map((c) => {
    const head = Buffer.from([c.id, 0, 0, 0]);
    return item(0x20, Buffer.concat([head, item(0x30, evenUid(c.abstractSyntax)), ...c.transferSyntaxes.map((ts) => item(0x40, evenUid(ts)))]));
  });
  const maxLength = Buffer.alloc(4);
  maxLength.writeUInt32BE(options.maxPdu ?? 16384, 0);
  const userInfo = item(0x50, Buffer.concat([item(0x51, maxLength), item(0x52, evenUid(RAW_IMPLEMENTATION_UID))]));
  return pdu(PDU.associateRq, Buffer.concat([fixed, item(0x10, evenUid(APPLICATION_CONTEXT)), ...contexts, userInfo]));
}

export interface Pdv {
  contextId: number;
  command: boolean;
  last: boolean;
  data: Uint8Array;
}

/** A P-DATA-TF PDU; `pduLength` / a PDV's `lengthOverride` let a test lie about lengths. */
export function pDataTf(pdvs: Array<Pdv & { lengthOverride?: number }>, pduLength?: number): Buffer {
  const items = pdvs.map((p) => {
    const header = Buffer.alloc(6);
    header.writeUInt32BE(p.lengthOverride ?? p.data.length + 2, 0);
    header.writeUInt8(p.contextId, 4);
    header.writeUInt8((p.command ? 1 : 0) | (p.last ? 2 : 0), 5);
    return Buffer.concat([header, p.data]);
  });
  return pdu(PDU.pData, Buffer.concat(items), pduLength);
}

export const releaseRq = (): Buffer => pdu(PDU.releaseRq, Buffer.alloc(4));

/** Implicit VR LE command set elements (group 0000), with the group length first. */
function commandSet(elements: Array<[number, 'UI' | 'US', string | number]>): Buffer {
  const encoded = elements.map(([element, vr, value]) => {
    const data = vr === 'UI' ? evenUid(String(value)) : Buffer.from([Number(value) & 0xff, Number(value) >> 8]);
    const header = Buffer.alloc(8);
    header.writeUInt16LE(0x0000, 0);
    header.writeUInt16LE(element, 2);
    header.writeUInt32LE(data.length, 4);
    return Buffer.concat([header, data]);
  });
  const body = Buffer.concat(encoded);
  const groupLength = Buffer.alloc(12);
  groupLength.writeUInt32LE(4, 4);
  groupLength.writeUInt32LE(body.length, 8);
  return Buffer.concat([groupLength, body]);
}

export function cStoreRq(options: { sopClassUid: string; sopInstanceUid: string; messageId: number }): Buffer {
  return commandSet([
    [0x0002, 'UI', options.sopClassUid],
    [0x0100, 'US', 0x0001],
    [0x0110, 'US', options.messageId],
    [0x0700, 'US', 0],
    [0x0800, 'US', 0x0000],
    [0x1000, 'UI', options.sopInstanceUid],
  ]);
}

export function cEchoRq(messageId: number): Buffer {
  return commandSet([
    [0x0002, 'UI', VERIFICATION],
    [0x0100, 'US', 0x0030],
    [0x0110, 'US', messageId],
    [0x0800, 'US', 0x0101],
  ]);
}

/** Parse an implicit VR LE command set into element number → raw value. */
export function parseCommandSet(bytes: Uint8Array): Map<number, Buffer> {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const elements = new Map<number, Buffer>();
  for (let at = 0; at + 8 <= view.length; ) {
    const element = view.readUInt16LE(at + 2);
    const length = view.readUInt32LE(at + 4);
    elements.set(element, view.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return elements;
}

export interface DimseResponse {
  status: number;
  errorComment?: string;
}

export function responseOf(command: Uint8Array): DimseResponse {
  const elements = parseCommandSet(command);
  const status = elements.get(0x0900);
  if (!status) throw new Error('response command set has no Status (0000,0900)');
  const comment = elements.get(0x0902);
  return { status: status.readUInt16LE(0), ...(comment ? { errorComment: comment.toString('latin1').replace(/[\0 ]+$/, '') } : {}) };
}

export interface ReceivedPdu {
  type: number;
  body: Buffer;
}

/** A raw TCP connection that frames incoming bytes into PDUs. */
export class RawPeer {
  private buffered = Buffer.alloc(0);
  private readonly queue: ReceivedPdu[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 6) {
        const length = this.buffered.readUInt32BE(2);
        if (this.buffered.length < 6 + length) break;
        this.queue.push({ type: this.buffered.readUInt8(0), body: this.buffered.subarray(6, 6 + length) });
        this.buffered = this.buffered.subarray(6 + length);
      }
      this.waiter?.();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.ended = true;
        this.waiter?.();
        resolve();
      });
    });
    socket.on('error', () => {}); // a reset by the peer shows as 'close'
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new RawPeer(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(bytes, (err) => (err ? reject(err) : resolve())));
  }

  /** The next PDU, or undefined when the connection closed first. */
  async nextPdu(timeoutMs = 10_000): Promise<ReceivedPdu | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0 && !this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no PDU within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.queue.shift();
  }

  /** Wait for the next P-DATA carrying a complete command set and decode it as a DIMSE response. */
  async nextResponse(timeoutMs = 10_000): Promise<DimseResponse> {
    const parts: Buffer[] = [];
    for (;;) {
      const received = await this.nextPdu(timeoutMs);
      if (!received) throw new Error('connection closed while waiting for a DIMSE response');
      if (received.type === PDU.abort) {
        throw new Error(`A-ABORT (source ${received.body.readUInt8(2)}, reason ${received.body.readUInt8(3)}) instead of a DIMSE response`);
      }
      if (received.type !== PDU.pData) throw new Error(`expected P-DATA-TF, got PDU type ${received.type}`);
      for (let at = 0; at + 6 <= received.body.length; ) {
        const length = received.body.readUInt32BE(at);
        const control = received.body.readUInt8(at + 5);
        parts.push(received.body.subarray(at + 6, at + 4 + length));
        at += 4 + length;
        if (control & 1 && control & 2) return responseOf(Buffer.concat(parts));
      }
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export interface AcceptedContext {
  id: number;
  result: number; // 0 acceptance, 1 user rejection, 2 no reason, 3 abstract syntax not supported, 4 transfer syntaxes not supported
  transferSyntax: string;
}

/** Parse the presentation-context results and the peer's max PDU from an A-ASSOCIATE-AC body. */
export function parseAssociateAc(body: Buffer): { contexts: AcceptedContext[]; maxPdu: number } {
  const contexts: AcceptedContext[] = [];
  let maxPdu = 0;
  for (let at = 68; at + 4 <= body.length; ) {
    const type = body.readUInt8(at);
    const length = body.readUInt16BE(at + 2);
    const value = body.subarray(at + 4, at + 4 + length);
    if (type === 0x21) {
      const tsLength = value.readUInt16BE(6);
      contexts.push({ id: value.readUInt8(0), result: value.readUInt8(2), transferSyntax: value.toString('latin1', 8, 8 + tsLength).replace(/\0+$/, '') });
    } else if (type === 0x50) {
      for (let sub = 0; sub + 4 <= value.length; ) {
        const subLength = value.readUInt16BE(sub + 2);
        if (value.readUInt8(sub) === 0x51) maxPdu = value.readUInt32BE(sub + 4);
        sub += 4 + subLength;
      }
    }
    at += 4 + length;
  }
  return { contexts, maxPdu };
}

/** Connect, propose `contexts`, and return the peer once associated (throws on RJ/abort). */
export async function openRawAssociation(options: {
  port: number;
  host?: string;
  callingAe: string;
  calledAe: string;
  contexts: ProposedContext[];
}): Promise<{ peer: RawPeer; accepted: AcceptedContext[]; maxPdu: number }> {
  const peer = await RawPeer.connect(options.port, options.host);
  await peer.send(associateRq(options));
  const answer = await peer.nextPdu();
  if (answer?.type !== PDU.associateAc) {
    peer.destroy();
    throw new Error(`association refused: PDU type ${answer?.type ?? 'none (closed)'}`);
  }
  const { contexts, maxPdu } = parseAssociateAc(answer.body);
  return { peer, accepted: contexts, maxPdu };
}

/**
 * Send one C-STORE of raw dataset bytes on an accepted context, fragmented to
 * the peer's max PDU, and wait for the response.
 */
export async function rawCStore(
  peer: RawPeer,
  options: { contextId: number; sopClassUid: string; sopInstanceUid: string; messageId: number; dataset: Uint8Array; maxPdu: number },
): Promise<DimseResponse> {
  const command = cStoreRq(options);
  await peer.send(pDataTf([{ contextId: options.contextId, command: true, last: true, data: command }]));
  const fragment = Math.max(1024, (options.maxPdu || 16384) - 6 - 6);
  for (let at = 0; at < options.dataset.length || at === 0; at += fragment) {
    const data = options.dataset.subarray(at, at + fragment);
    const last = at + fragment >= options.dataset.length;
    await peer.send(pDataTf([{ contextId: options.contextId, command: false, last, data }]));
    if (last) break;
  }
  return peer.nextResponse(30_000);
}
