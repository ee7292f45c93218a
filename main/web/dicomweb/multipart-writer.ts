/**
 * A multipart/related body (RFC 2387, PS3.18 8.7.1.2) as a stream: parts
 * come from an async iterable, so a 1,000-instance series is read one part
 * at a time, and a part's file bytes are read in chunks as the client takes
 * them (the HTTP server pulls only when the socket drains).
 */
import { randomBytes } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { concatBytes } from '../../../shared/bytes.js';

export interface ByteRange {
  offset: number;
  length: number;
}

export type PartBody =
  /** Byte ranges of a stored file, sent one after another (a whole file, a dataset, a frame's fragments). */
  | { path: string; ranges: readonly ByteRange[] }
  /** Bytes already in memory (a decoded frame, a converted instance). */
  | { bytes: Uint8Array };

export interface MultipartPart {
  /** Header fields of the part, e.g. Content-Type, Content-Location. */
  headers: Record<string, string>;
  body: PartBody;
}

/** Bytes read from a file per pull: big enough for disk throughput, small enough to bound memory per response. */
const READ_CHUNK = 1 << 20;

/** 32 random hex digits: cannot turn up inside a part by chance. */
export function newBoundary(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The body: `--B CRLF headers CRLF CRLF bytes` for each part, parts separated
 * by `CRLF --B`, closed by `CRLF --B-- CRLF`. An empty part list gives just
 * the close delimiter.
 */
export function multipartStream(parts: AsyncIterable<MultipartPart> | Iterable<MultipartPart>, boundary: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = Symbol.asyncIterator in parts ? parts[Symbol.asyncIterator]() : toAsync(parts[Symbol.iterator]());
  const files = new OpenFile();
  let first = true;
  /** What remains of the current part's body. */
  let pending: Array<{ path: string; offset: number; end: number }> = [];
  let finished = false;

  const nextPart = async (controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> => {
    const next = await iterator.next();
    if (next.done) {
      finished = true;
      controller.enqueue(encoder.encode(`${first ? '' : '\r\n'}--${boundary}--\r\n`));
      await files.close();
      controller.close();
      return;
    }
    const { headers, body } = next.value;
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    const head = encoder.encode(`${first ? '' : '\r\n'}--${boundary}\r\n${lines.join('')}\r\n`);
    first = false;
    if ('bytes' in body) {
      controller.enqueue(concatBytes([head, body.bytes]));
    } else {
      controller.enqueue(head);
      pending = body.ranges.filter((r) => r.length > 0).map((r) => ({ path: body.path, offset: r.offset, end: r.offset + r.length }));
    }
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const range = pending[0];
        if (range === undefined) return await nextPart(controller);
        const length = Math.min(READ_CHUNK, range.end - range.offset);
        controller.enqueue(await files.read(range.path, range.offset, length));
        range.offset += length;
        if (range.offset === range.end) pending.shift();
      } catch (error) {
        await files.close();
        await iterator.return?.();
        throw error;
      }
    },
    async cancel() {
      // The client went away: release the file and whatever the part source holds.
      await files.close();
      if (!finished) await iterator.return?.();
    },
  });
}

/** The last file read stays open: the parts of one response (frames, fragments) often come from the same file. */
class OpenFile {
  private path: string | undefined;
  private handle: FileHandle | undefined;

  async read(path: string, offset: number, length: number): Promise<Uint8Array> {
    if (this.path !== path || !this.handle) {
      await this.close();
      this.handle = await open(path, 'r');
      this.path = path;
    }
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(buffer, filled, length - filled, offset + filled);
      if (bytesRead === 0) throw new Error(`${path} ends before byte ${offset + length} (read ${offset + filled})`);
      filled += bytesRead;
    }
    return buffer;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.path = undefined;
    await handle?.close().catch(() => undefined);
  }
}

async function* toAsync<T>(iterator: Iterator<T>): AsyncGenerator<T> {
  for (let next = iterator.next(); !next.done; next = iterator.next()) yield next.value;
}
