/**
 * multipart/related framing, byte for byte: the streaming writer's output,
 * and the streaming reader fed the same bodies split at every possible byte
 * (delimiters straddling reads), plus preambles, padding and broken bodies.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MultipartError, readMultipart, type PartConsumer } from '../../../../main/web/dicomweb/multipart-reader.js';
import { multipartStream, newBoundary, type MultipartPart } from '../../../../main/web/dicomweb/multipart-writer.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';

const dirs = tempDirsPerTest('viewbox-multipart-', afterEach);

async function collect(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A body delivered in reads of the given sizes (cycled). */
function streamOf(body: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let at = 0;
  let turn = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= body.length) return controller.close();
      const size = sizes[turn++ % sizes.length]!;
      controller.enqueue(body.slice(at, at + size));
      at += size;
    },
  });
}

interface ReadPart {
  headers: Record<string, string>;
  bytes: Buffer;
  ended: boolean;
  aborted?: string;
}

async function readAll(body: ReadableStream<Uint8Array>, boundary: string): Promise<{ parts: ReadPart[]; count?: number; error?: Error }> {
  const parts: ReadPart[] = [];
  try {
    const count = await readMultipart(body, boundary, (headers): PartConsumer => {
      const chunks: Uint8Array[] = [];
      const part: ReadPart = { headers: Object.fromEntries(headers), bytes: Buffer.alloc(0), ended: false };
      parts.push(part);
      return {
        write: async (chunk) => void chunks.push(chunk),
        end: async () => {
          part.bytes = Buffer.concat(chunks);
          part.ended = true;
        },
        abort: async (reason) => {
          part.bytes = Buffer.concat(chunks);
          part.aborted = reason;
        },
      };
    });
    return { parts, count };
  } catch (error) {
    return { parts, error: error as Error };
  }
}

describe('multipart writer', () => {
  it('frames parts from files and memory exactly: delimiters, CRLFs, headers, close delimiter', async () => {
    const dir = await dirs.dataDir();
    const file = join(dir, 'data.bin');
    await writeFile(file, Buffer.from('0123456789abcdef'));
    const parts: MultipartPart[] = [
      { headers: { 'Content-Type': 'application/dicom; transfer-syntax=1.2.840.10008.1.2.1' }, body: { path: file, ranges: [{ offset: 0, length: 16 }] } },
      { headers: { 'Content-Type': 'application/octet-stream', 'Content-Location': 'http://x/bulk/2/3' }, body: { path: file, ranges: [{ offset: 2, length: 3 }, { offset: 10, length: 2 }] } },
      { headers: { 'Content-Type': 'application/octet-stream' }, body: { bytes: new Uint8Array([0x0d, 0x0a, 0x2d, 0x2d]) } },
    ];
    const body = await collect(multipartStream(parts, 'B0UND'));
    expect(body.toString('latin1')).toBe(
      '--B0UND\r\nContent-Type: application/dicom; transfer-syntax=1.2.840.10008.1.2.1\r\n\r\n0123456789abcdef' +
        '\r\n--B0UND\r\nContent-Type: application/octet-stream\r\nContent-Location: http://x/bulk/2/3\r\n\r\n234ab' +
        '\r\n--B0UND\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--' +
        '\r\n--B0UND--\r\n',
    );
  });

  it('writes only the close delimiter for no parts, and reads a file larger than one read in order', async () => {
    expect((await collect(multipartStream([], 'X'))).toString()).toBe('--X--\r\n');
    const dir = await dirs.dataDir();
    const big = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const file = join(dir, 'big.bin');
    await writeFile(file, big);
    const body = await collect(multipartStream([{ headers: {}, body: { path: file, ranges: [{ offset: 0, length: big.length }] } }], 'Y'));
    expect(body.subarray(0, 7).toString()).toBe('--Y\r\n\r\n');
    expect(body.subarray(7, 7 + big.length).equals(big)).toBe(true);
  });

  it('takes parts from their source only as the client reads, and releases it when the client goes away', async () => {
    const dir = await dirs.dataDir();
    const file = join(dir, 'instance.bin');
    await writeFile(file, Buffer.alloc(4096, 1));
    let yielded = 0;
    let released = false;
    async function* thousand(): AsyncGenerator<MultipartPart> {
      try {
        for (let i = 0; i < 1000; i++) {
          yielded++;
          yield { headers: { 'Content-Type': 'application/dicom' }, body: { path: file, ranges: [{ offset: 0, length: 4096 }] } };
        }
      } finally {
        released = true;
      }
    }
    const reader = multipartStream(thousand(), 'Z').getReader();
    for (let i = 0; i < 6; i++) await reader.read();
    expect(yielded).toBeLessThanOrEqual(4);
    await reader.cancel();
    expect(released).toBe(true);
  });

  it('uses a fresh random boundary of 32 hex digits', () => {
    const a = newBoundary();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newBoundary()).not.toBe(a);
  });
});

describe('multipart reader', () => {
  const payloads = [Buffer.from('DICM-ish \r\n-- not a boundary \r\n--B0UNDARY-not-either? no'), Buffer.alloc(0), Buffer.from([0, 13, 10, 45, 45, 66])];

  async function written(boundary: string): Promise<Buffer> {
    const parts = payloads.map((bytes, i) => ({ headers: { 'Content-Type': 'application/dicom', 'X-Index': String(i) }, body: { bytes } }));
    return collect(multipartStream(parts, boundary));
  }

  it('reads back what the writer wrote, whatever the read sizes (delimiters split across reads)', async () => {
    const boundary = 'B0UNDARYX';
    const body = await written(boundary);
    for (const sizes of [[1], [2], [3], [7], [13, 1, 5], [body.length]]) {
      const { parts, count, error } = await readAll(streamOf(body, sizes), boundary);
      expect(error, `reads of ${sizes}`).toBeUndefined();
      expect(count).toBe(3);
      expect(parts.map((p) => p.headers['x-index'])).toEqual(['0', '1', '2']);
      parts.forEach((p, i) => expect(p.bytes.equals(payloads[i]!), `part ${i}, reads of ${sizes}`).toBe(true));
      expect(parts.every((p) => p.ended && p.headers['content-type'] === 'application/dicom')).toBe(true);
    }
  });

  it('skips a preamble and an epilogue, accepts transport padding and parts without headers', async () => {
    const body = Buffer.from('preamble text\r\n--b  \t\r\n\r\nfirst\r\n--b\r\nContent-Type: a/b\r\n\r\nsecond\r\n--b--  \r\nepilogue');
    const { parts, count } = await readAll(streamOf(body, [4]), 'b');
    expect(count).toBe(2);
    expect(parts.map((p) => p.bytes.toString())).toEqual(['first', 'second']);
    expect(parts[0]!.headers).toEqual({});
  });

  it('aborts a part cut off by the end of the body and says where it ended', async () => {
    const body = Buffer.from('--b\r\nContent-Type: application/dicom\r\n\r\npartial bytes');
    const { parts, error } = await readAll(streamOf(body, [5]), 'b');
    expect(error).toBeInstanceOf(MultipartError);
    expect(error!.message).toContain('before the close delimiter "--b--"');
    expect(parts[0]!.aborted).toContain('ended inside part 1');
    expect(parts[0]!.bytes.toString()).toBe('partial bytes'.slice(0, 'partial bytes'.length - 4));
  });

  it('refuses a body without the boundary, and garbage after a delimiter', async () => {
    const none = await readAll(streamOf(Buffer.from('just some bytes'), [3]), 'b');
    expect(none.error!.message).toContain('no part delimited by "--b"');
    const garbage = await readAll(streamOf(Buffer.from('--b\r\n\r\nx\r\n--bogus\r\n\r\n'), [64]), 'b');
    expect(garbage.error).toBeInstanceOf(MultipartError);
    expect(garbage.error!.message).toContain('unexpected text after the boundary delimiter');
  });

  it('reads nothing more from the body while a part is taking its bytes (backpressure)', async () => {
    const boundary = 'slow';
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\n\r\n`), Buffer.alloc(64 * 1024, 7), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    let pulled = 0;
    const source = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          const at = pulled * 1024;
          if (at >= body.length) return controller.close();
          controller.enqueue(body.slice(at, at + 1024));
          pulled++;
        },
      },
      { highWaterMark: 0 },
    );
    const readsDuringWrites: number[] = [];
    let received = 0;
    await readMultipart(source, boundary, () => ({
      write: async (chunk) => {
        const before = pulled;
        await new Promise((r) => setTimeout(r, 1));
        readsDuringWrites.push(pulled - before);
        received += chunk.length;
      },
      end: async () => undefined,
      abort: async () => undefined,
    }));
    expect(received).toBe(64 * 1024);
    expect(Math.max(...readsDuringWrites)).toBe(0);
  });
});
