/**
 * A TCP proxy between a DICOM sender and receiver that records, per C-STORE,
 * the dataset bytes that actually crossed the wire and the status the
 * receiver answered. Real senders re-encode (DCMTK's storescu drops group
 * lengths, converts implicit to explicit VR...), so "byte-exact" means equal
 * to these recorded bytes, not to the file the sender read.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { PDU, parseAssociateAc, parseCommandSet } from './raw-association.js';

export interface RecordedStore {
  association: number;
  messageId: number;
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  dataset: Buffer;
  /** The receiver's C-STORE-RSP status; undefined if none came back. */
  status?: number;
}

export interface DimseRecorder {
  readonly port: number;
  readonly stores: RecordedStore[];
  close(): Promise<void>;
}

const text = (bytes: Buffer | undefined) => (bytes ? bytes.toString('latin1').replace(/[\0 ]+$/, '') : '');

/** Calls `onPdu` for each complete PDU of a byte stream. */
function pduFramer(onPdu: (type: number, body: Buffer) => void): (chunk: Buffer) => void {
  let buffered: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    while (buffered.length >= 6) {
      const length = buffered.readUInt32BE(2);
      if (buffered.length < 6 + length) return;
      onPdu(buffered.readUInt8(0), buffered.subarray(6, 6 + length));
      buffered = buffered.subarray(6 + length);
    }
  };
}

/** Each PDV of a P-DATA-TF body. */
function* pdvs(body: Buffer): Generator<{ contextId: number; command: boolean; last: boolean; data: Buffer }> {
  for (let at = 0; at + 6 <= body.length; ) {
    const length = body.readUInt32BE(at);
    const control = body.readUInt8(at + 5);
    yield { contextId: body.readUInt8(at + 4), command: (control & 1) === 1, last: (control & 2) === 2, data: body.subarray(at + 6, at + 4 + length) };
    at += 4 + length;
  }
}

export async function startDimseRecorder(target: { port: number; host?: string }): Promise<DimseRecorder> {
  const stores: RecordedStore[] = [];
  const sockets = new Set<Socket>();
  let associations = 0;

  const server: Server = createServer((client) => {
    const association = ++associations;
    const upstream = connect({ port: target.port, host: target.host ?? '127.0.0.1' });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());

    const acceptedTs = new Map<number, string>();
    const pending = new Map<number, RecordedStore>(); // by message id, awaiting the response
    let command: Buffer[] = [];
    let dataset: Buffer[] = [];
    let current: RecordedStore | undefined;

    const fromSender = pduFramer((type, body) => {
      if (type !== PDU.pData) return;
      for (const pdv of pdvs(body)) {
        if (pdv.command) {
          command.push(Buffer.from(pdv.data));
          if (!pdv.last) continue;
          const elements = parseCommandSet(Buffer.concat(command));
          command = [];
          if (elements.get(0x0100)?.readUInt16LE(0) !== 0x0001) continue; // not a C-STORE-RQ
          current = {
            association,
            messageId: elements.get(0x0110)?.readUInt16LE(0) ?? 0,
            sopClassUid: text(elements.get(0x0002)),
            sopInstanceUid: text(elements.get(0x1000)),
            transferSyntaxUid: acceptedTs.get(pdv.contextId) ?? '',
            dataset: Buffer.alloc(0),
          };
        } else {
          dataset.push(Buffer.from(pdv.data));
          if (pdv.last && current) {
            current.dataset = Buffer.concat(dataset);
            stores.push(current);
            pending.set(current.messageId, current);
            current = undefined;
            dataset = [];
          }
        }
      }
    });
    let responseCommand: Buffer[] = [];
    const fromReceiver = pduFramer((type, body) => {
      if (type === PDU.associateAc) {
        for (const c of parseAssociateAc(body).contexts) if (c.result === 0) acceptedTs.set(c.id, c.transferSyntax);
      }
      if (type !== PDU.pData) return;
      for (const pdv of pdvs(body)) {
        if (!pdv.command) continue;
        responseCommand.push(Buffer.from(pdv.data));
        if (!pdv.last) continue;
        const elements = parseCommandSet(Buffer.concat(responseCommand));
        responseCommand = [];
        const answered = pending.get(elements.get(0x0120)?.readUInt16LE(0) ?? -1);
        const status = elements.get(0x0900);
        if (answered && status) {
          answered.status = status.readUInt16LE(0);
          pending.delete(answered.messageId);
        }
      }
    });
    client.on('data', (chunk: Buffer) => {
      fromSender(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      fromReceiver(chunk);
      client.write(chunk);
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    port,
    stores,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
