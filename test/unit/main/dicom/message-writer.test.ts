import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionClosedError, PeerStalledError, writeMessage } from '../../../../main/dicom/ul/message-writer.js';
import { PduReader } from '../../../../main/dicom/ul/pdu-reader.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';

const dirs = tempDirsPerTest('viewbox-message-writer-', afterEach);
const sockets: Socket[] = [];
afterEach(() => {
  while (sockets.length) sockets.pop()!.destroy();
});

/** A connected pair on loopback: `sender` is ours, `receiver` the peer's end. */
async function socketPair(): Promise<{ sender: Socket; receiver: Socket }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const sender = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const receiver = await accepted;
  server.close();
  // The socket's owner handles 'error' (the association logs it); here a reset is expected in one test.
  sender.on('error', () => undefined);
  receiver.on('error', () => undefined);
  sockets.push(sender, receiver);
  return { sender, receiver };
}

interface Received {
  command: Buffer;
  dataset: Buffer;
  /** PDVs of the dataset (each in its own P-DATA-TF). */
  datasetPdvs: number;
  contextIds: Set<number>;
}

/** Reassemble one message with PduReader, which also enforces the max PDU length we "announced". */
function receive(receiver: Socket, maxPduLength: number, expectDataset: boolean): Promise<Received> {
  const reader = new PduReader({ maxPduLength });
  const command: Uint8Array[] = [];
  const dataset: Uint8Array[] = [];
  const received: Received = { command: Buffer.alloc(0), dataset: Buffer.alloc(0), datasetPdvs: 0, contextIds: new Set() };
  return new Promise((resolve, reject) => {
    receiver.on('data', (chunk: Buffer) => {
      try {
        for (const event of reader.feed(chunk)) {
          if (event.kind !== 'pdv') throw new Error(`unexpected PDU ${event.type}`);
          received.contextIds.add(event.contextId);
          (event.command ? command : dataset).push(Buffer.from(event.data));
          if (!event.command && event.pdvEnd) received.datasetPdvs++;
          if (event.final && (!event.command || !expectDataset)) {
            resolve({ ...received, command: Buffer.concat(command), dataset: Buffer.concat(dataset) });
          }
        }
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

const COMMAND = Uint8Array.from(randomBytes(100));

async function fileWithRange(size: number): Promise<{ path: string; bytes: Buffer }> {
  const path = join(await dirs.dataDir(), 'instance.dcm');
  const bytes = randomBytes(size);
  await writeFile(path, bytes);
  return { path, bytes };
}

describe('writeMessage', () => {
  for (const maxPdu of [16384, 0, 20]) {
    it(`streams a file range byte-exact in PDUs of at most ${maxPdu || 'unlimited'} bytes`, async () => {
      const size = maxPdu === 20 ? 5000 : 1_500_000;
      const { path, bytes } = await fileWithRange(size + 300);
      const { sender, receiver } = await socketPair();
      const got = receive(receiver, maxPdu, true);
      await writeMessage(sender, 5, maxPdu, COMMAND, { path, offset: 132, length: size });
      const message = await got;
      expect(message.command.equals(COMMAND)).toBe(true);
      expect(message.dataset.equals(bytes.subarray(132, 132 + size))).toBe(true);
      expect(message.contextIds).toEqual(new Set([5]));
      expect(message.datasetPdvs).toBe(maxPdu === 0 ? 1 : Math.ceil(size / (maxPdu - 6)));
    });
  }

  it('sends an in-memory dataset and a command without dataset', async () => {
    const { sender, receiver } = await socketPair();
    const data = Uint8Array.from(randomBytes(40_001));
    const got = receive(receiver, 4096, true);
    await writeMessage(sender, 1, 4096, COMMAND, data);
    expect((await got).dataset.equals(data)).toBe(true);
    const { sender: s2, receiver: r2 } = await socketPair();
    const commandOnly = receive(r2, 4096, false);
    await writeMessage(s2, 3, 4096, COMMAND);
    expect((await commandOnly).command.equals(COMMAND)).toBe(true);
  });

  it('waits for the peer to read (backpressure) instead of queueing the file in memory', async () => {
    const { path, bytes } = await fileWithRange(48 * 1024 * 1024);
    const { sender, receiver } = await socketPair();
    receiver.pause();
    let done = false;
    const sending = writeMessage(sender, 1, 65536, COMMAND, { path, offset: 0, length: bytes.length }).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(done).toBe(false);
    // Only about one read (256 KB) plus the socket's high-water mark is queued in our process.
    expect(sender.writableLength).toBeLessThan(1024 * 1024);
    const got = receive(receiver, 65536, true);
    receiver.resume();
    await sending;
    expect((await got).dataset.equals(bytes)).toBe(true);
  });

  it('rejects when the peer goes away mid-message', async () => {
    const { path } = await fileWithRange(32 * 1024 * 1024);
    const { sender, receiver } = await socketPair();
    receiver.once('data', () => receiver.destroy());
    await expect(writeMessage(sender, 1, 16384, COMMAND, { path, offset: 0, length: 32 * 1024 * 1024 })).rejects.toThrow(ConnectionClosedError);
  });

  it('rejects before sending anything when the file is shorter than the range, naming the file', async () => {
    const { path } = await fileWithRange(1000);
    const { sender, receiver } = await socketPair();
    let bytesSeen = 0;
    receiver.on('data', (chunk: Buffer) => (bytesSeen += chunk.length));
    await expect(writeMessage(sender, 1, 16384, COMMAND, { path, offset: 500, length: 501 })).rejects.toThrow(path);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bytesSeen).toBe(0);
  });
});

describe('a peer that stops reading', () => {
  it('rejects with PeerStalledError once the socket has stayed full for the stall limit', async () => {
    const { sender, receiver } = await socketPair();
    receiver.pause();
    const dataset = new Uint8Array(64 * 1024 * 1024);
    const started = Date.now();
    const sent = writeMessage(sender, 1, 16 * 1024, new Uint8Array(10), dataset, 1);
    await expect(sent).rejects.toBeInstanceOf(PeerStalledError);
    await expect(sent).rejects.toThrow(/the peer read nothing for 1 s while we sent/);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(10_000);
  });
});
