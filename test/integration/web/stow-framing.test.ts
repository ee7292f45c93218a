/**
 * STOW-RS framing edges, driven by a raw TCP client so the test decides
 * exactly which bytes arrive in which write: a part header over 16 KB is
 * refused however it arrives, and the response comes as soon as the close
 * delimiter is read, without waiting for the client to end its body.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { tempDir } from '../../helpers/tmp.js';
import { startDicomWeb, type DicomWebHarness } from './dicomweb-harness.js';

let work: { path: string; cleanup: () => Promise<void> };
let web: DicomWebHarness;
let ct: GeneratedSeries;

beforeAll(async () => {
  work = await tempDir('viewbox-stow-framing-');
  await mkdir(join(work.path, 'fixtures'));
  ct = generateCtSeries({ dir: join(work.path, 'fixtures'), count: 2, rows: 32, cols: 32 });
  web = await startDicomWeb(join(work.path, 'data'));
});

afterAll(async () => {
  await web?.close();
  await work?.cleanup();
});

const BOUNDARY = 'framing-XyZ';

/** The head of a STOW-RS POST; `length` gives Content-Length, else the body is chunked. */
function requestHead(length?: number): string {
  return [
    'POST /dicom-web/studies HTTP/1.1',
    `Host: 127.0.0.1:${web.port}`,
    `Authorization: ${web.auth.authorization}`,
    `Content-Type: multipart/related; type="application/dicom"; boundary=${BOUNDARY}`,
    'Accept: application/dicom+json',
    length === undefined ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
}

function part(bytes: Uint8Array, extraHeaders = ''): Buffer {
  return Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n${extraHeaders}\r\n`), bytes, Buffer.from('\r\n')]);
}

const CLOSE = Buffer.from(`--${BOUNDARY}--`);

/** Everything the server sends until it closes, or what came by `timeoutMs`. */
function collect(socket: Socket): { text(): string; statusWithin(ms: number): Promise<number | undefined> } {
  let received = '';
  const waiters: Array<() => void> = [];
  socket.setEncoding('latin1').on('data', (d: string) => {
    received += d;
    for (const w of waiters.splice(0)) w();
  });
  socket.on('error', () => undefined);
  const status = () => /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
  return {
    text: () => received,
    statusWithin: (ms) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), ms);
        const check = () => {
          const code = status();
          if (code && received.includes('\r\n\r\n')) {
            clearTimeout(timer);
            resolve(Number(code));
          } else waiters.push(check);
        };
        check();
      }),
  };
}

/** The body of a response with Content-Length (the server closes after it: Connection: close). */
async function bodyOf(socket: Socket, reply: ReturnType<typeof collect>): Promise<string> {
  if (!socket.closed) await new Promise((resolve) => socket.once('close', resolve));
  const text = reply.text();
  return text.slice(text.indexOf('\r\n\r\n') + 4);
}

async function open(): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port: web.port });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.setNoDelay(true);
  return socket;
}

describe('STOW-RS part headers', () => {
  it('refuses a part header block over 16 KB even when it arrives in one read, saying why', async () => {
    const file = await readFile(ct.files[0]!.path);
    const body = Buffer.concat([part(file, `X-Padding: ${'p'.repeat(20_000)}\r\n`), CLOSE, Buffer.from('\r\n')]);
    const socket = await open();
    const reply = collect(socket);
    // One write of ~30 KB over loopback: the whole header block is in the first body chunk the server reads.
    socket.write(Buffer.concat([Buffer.from(requestHead(body.length)), body]));
    const status = await reply.statusWithin(10_000);
    expect(status, reply.text().slice(0, 400)).toBe(400);
    const { error } = JSON.parse(await bodyOf(socket, reply)) as { error: string };
    expect(error).toMatch(/part 1 has more than 16384 bytes of headers/);
    expect(web.archive.index.getInstance(ct.files[0]!.sopInstanceUid)).toBeUndefined();
  });
});

describe('STOW-RS response timing', () => {
  it('answers once the close delimiter is read, while the client has not ended its body', async () => {
    const file = await readFile(ct.files[1]!.path);
    const body = Buffer.concat([part(file), CLOSE, Buffer.from('\r\n')]);
    const socket = await open();
    const reply = collect(socket);
    // Head and one chunk holding the whole multipart body, close delimiter included; the last chunk ("0") is withheld.
    socket.write(Buffer.concat([Buffer.from(requestHead()), Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')]));
    const status = await reply.statusWithin(5_000);
    try {
      expect(status, `no response 5 s after the close delimiter: ${reply.text().slice(0, 200)}`).toBe(200);
      expect(web.archive.index.getInstance(ct.files[1]!.sopInstanceUid)).toBeDefined();
    } finally {
      // The client may still send an epilogue and end the body; the server drains it.
      socket.end('5\r\nbye\r\n\r\n0\r\n\r\n');
    }
    const answer = JSON.parse(await bodyOf(socket, reply)) as Record<string, { Value?: unknown[] }>;
    expect(answer['00081199']?.Value).toHaveLength(1);
  });
});
