/**
 * Sending one DIMSE message (command, then optionally its dataset) as
 * P-DATA-TF PDUs no larger than the peer's maximum (PS3.8 9.3.5, one PDV per
 * PDU). A stored dataset is streamed from its file in bounded reads, never
 * loaded whole, and every write waits for 'drain' when the socket says so:
 * memory stays bounded by the read size however large the instance is. The
 * bytes sent are exactly the bytes given (no re-encoding).
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { PduType } from './pdu-codec.js';

/** A byte range of a stored file: the dataset of a Part 10 file without its File Meta. */
export interface DatasetSource {
  path: string;
  offset: number;
  length: number;
}

/** The socket closed (peer gone, abort) before the whole message was handed to it. */
export class ConnectionClosedError extends Error {
  constructor(what: string) {
    super(`connection closed while sending ${what}`);
    this.name = 'ConnectionClosedError';
  }
}

/** The peer stopped reading: the socket stayed full for the stall limit while we sent. */
export class PeerStalledError extends ConnectionClosedError {
  constructor(what: string, readonly seconds: number) {
    super(what);
    this.message = `the peer read nothing for ${seconds} s while we sent ${what}`;
    this.name = 'PeerStalledError';
  }
}

/** Size of each file read (a CT image is one read); one read is kept ahead so the socket does not wait on the disk. */
const READ_SIZE = 1024 * 1024;
/** PDUs are handed to the socket in batches of about this size: one system call for many PDUs. */
const FLUSH_SIZE = 256 * 1024;
/** PDU header (6) + PDV item header (6). */
const HEADER_SIZE = 12;

/**
 * Write the command and the dataset on presentation context `contextId`,
 * fragments no longer than `maxPduLength` (0 = no limit). Resolves when all
 * bytes are handed to the socket. A file that cannot be opened, or is shorter
 * than the range, rejects before anything is written; a rejection after that
 * (connection closed, read error) leaves the association in the middle of a
 * message, so the caller must abort it. The caller owns the socket and its
 * 'error' listener. With `stallSeconds`, a socket that stays full that long
 * (a peer that stopped reading) rejects with PeerStalledError.
 */
export async function writeMessage(
  socket: Socket,
  contextId: number,
  maxPduLength: number,
  command: Uint8Array,
  dataset?: Uint8Array | DatasetSource,
  stallSeconds = 0,
): Promise<void> {
  const source = dataset === undefined || dataset instanceof Uint8Array ? dataset && new MemorySource(dataset) : await FileSource.open(dataset);
  try {
    const out = new SocketOutput(socket, stallSeconds);
    try {
      await sendPdvs(out, contextId, true, maxPduLength, new MemorySource(command), 'a command');
      if (source) await sendPdvs(out, contextId, false, maxPduLength, source, source.describe());
    } finally {
      out.flush();
    }
  } finally {
    await source?.close();
  }
}

interface ByteSource {
  readonly length: number;
  /** Between 1 and `max` of the next bytes (the caller never asks past `length`). */
  next(max: number): Promise<Uint8Array> | Uint8Array;
  describe(): string;
  close(): Promise<void>;
}

async function sendPdvs(out: SocketOutput, contextId: number, command: boolean, maxPduLength: number, source: ByteSource, what: string): Promise<void> {
  const room = maxPduLength > 0 ? Math.max(maxPduLength - 6, 1) : Math.max(source.length, 1);
  let left = source.length;
  do {
    const size = Math.min(room, left);
    left -= size;
    // The header goes out with the first piece of its data: one segment, not a 12-byte one.
    let parts: Uint8Array[] = [pdvHeader(contextId, command, left === 0, size)];
    for (let pending = size; pending > 0; parts = []) {
      const data = await source.next(pending);
      pending -= data.length;
      parts.push(data);
      await out.write(parts, what);
    }
    if (parts.length > 0) await out.write(parts, what);
  } while (left > 0);
}

function pdvHeader(contextId: number, command: boolean, last: boolean, size: number): Buffer {
  const head = Buffer.alloc(HEADER_SIZE);
  head[0] = PduType.pData;
  head.writeUInt32BE(size + 6, 2);
  head.writeUInt32BE(size + 2, 6);
  head[10] = contextId;
  head[11] = (command ? 1 : 0) | (last ? 2 : 0);
  return head;
}

/**
 * Writes that respect backpressure and fail once the socket has closed. The
 * socket stays corked while a batch builds up, so that many small PDUs (a
 * peer with a 16 KB maximum) leave in one system call; it is uncorked before
 * waiting for 'drain', which a corked socket would never emit.
 */
class SocketOutput {
  private corked = false;
  private batched = 0;

  constructor(
    private readonly socket: Socket,
    private readonly stallSeconds: number,
  ) {}

  async write(parts: Uint8Array[], what: string): Promise<void> {
    if (this.socket.destroyed || !this.socket.writable) throw new ConnectionClosedError(what);
    if (!this.corked) {
      this.socket.cork();
      this.corked = true;
    }
    // While corked, write() says "full" past 16 KB; the batch itself bounds what is held, so that is read only after a flush.
    for (const part of parts) {
      this.socket.write(part);
      this.batched += part.length;
    }
    if (this.batched < FLUSH_SIZE) return;
    this.flush();
    if (this.socket.writableNeedDrain) await this.drained(what);
  }

  /** Hand what is batched to the system (the caller waits for 'drain' if the socket is full). */
  flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.batched = 0;
    this.socket.uncork();
  }

  private drained(what: string): Promise<void> {
    const socket = this.socket;
    const seconds = this.stallSeconds;
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(stall);
        socket.off('drain', onDrain);
        socket.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(new ConnectionClosedError(what));
      const stall = seconds > 0 ? setTimeout(() => done(new PeerStalledError(what, seconds)), seconds * 1000) : undefined;
      socket.on('drain', onDrain);
      socket.on('close', onClose);
    });
  }
}

class MemorySource implements ByteSource {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get length(): number {
    return this.bytes.length;
  }

  next(max: number): Uint8Array {
    const out = this.bytes.subarray(this.at, this.at + max);
    this.at += out.length;
    return out;
  }

  describe(): string {
    return `a dataset of ${this.bytes.length} bytes`;
  }

  async close(): Promise<void> {}
}

class FileSource implements ByteSource {
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  private position: number;
  private unread: number;
  private ahead: Promise<Buffer> | undefined;

  private constructor(
    private readonly handle: FileHandle,
    private readonly range: DatasetSource,
  ) {
    this.position = range.offset;
    this.unread = range.length;
    this.ahead = this.readAhead();
  }

  static async open(range: DatasetSource): Promise<FileSource> {
    const handle = await open(range.path, 'r');
    try {
      const { size } = await handle.stat();
      if (range.offset + range.length > size) {
        throw new Error(`${range.path} has ${size} bytes, the dataset range ${range.offset}+${range.length} runs past its end`);
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new FileSource(handle, range);
  }

  get length(): number {
    return this.range.length;
  }

  async next(max: number): Promise<Uint8Array> {
    if (this.at === this.chunk.length) {
      if (!this.ahead) throw new Error(`${this.range.path}: read past the dataset range`);
      this.chunk = await this.ahead;
      this.at = 0;
      this.ahead = this.readAhead();
    }
    const out = this.chunk.subarray(this.at, this.at + max);
    this.at += out.length;
    return out;
  }

  describe(): string {
    return `the dataset of ${this.range.path}`;
  }

  async close(): Promise<void> {
    // A read still running must finish before its handle closes.
    await this.ahead?.catch(() => undefined);
    await this.handle.close();
  }

  private readAhead(): Promise<Buffer> | undefined {
    if (this.unread === 0) return undefined;
    const size = Math.min(READ_SIZE, this.unread);
    const position = this.position;
    this.position += size;
    this.unread -= size;
    const read = this.readFully(size, position);
    read.catch(() => undefined); // surfaced when awaited in next(); not an unhandled rejection meanwhile
    return read;
  }

  /** Each chunk is a fresh buffer: the socket may still hold the previous ones. */
  private async readFully(size: number, position: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(size);
    for (let filled = 0; filled < size; ) {
      const { bytesRead } = await this.handle.read(buffer, filled, size - filled, position + filled);
      if (bytesRead === 0) throw new Error(`${this.range.path} ended at byte ${position + filled}, inside the dataset range ${this.range.offset}+${this.range.length}`);
      filled += bytesRead;
    }
    return buffer;
  }
}
