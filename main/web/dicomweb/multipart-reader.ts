/**
 * Reads a multipart/related request body (RFC 2046 5.1.1) as it arrives:
 * delimiters are found incrementally and each part's bytes are handed to its
 * consumer chunk by chunk, never gathered. The next bytes are read from the
 * request only when the consumer has taken the previous ones, so a slow disk
 * slows the sender instead of filling memory.
 */
import { errorMessage } from '../../../shared/error-message.js';

export interface PartConsumer {
  /** The part's next bytes; the chunk is not reused by the reader. Must not reject (record failures instead). */
  write(chunk: Uint8Array): Promise<void>;
  /** The part ended at its delimiter. */
  end(): Promise<void>;
  /** The body ended (or broke) inside this part. */
  abort(reason: string): Promise<void>;
}

export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

/** Part headers longer than this are refused: they are a few lines in any sane message. */
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'epilogue';

/**
 * Feed every part of `body` to a consumer made by `onPart` from its headers.
 * Resolves with the number of parts once the close delimiter is read; throws
 * MultipartError when the body is not multipart with this boundary or ends
 * early (a part cut off is first aborted).
 */
export async function readMultipart(body: ReadableStream<Uint8Array>, boundary: string, onPart: (headers: Headers) => PartConsumer): Promise<number> {
  if (!/^[\x20-\x7e]{1,70}$/.test(boundary) || boundary.endsWith(' ')) throw new MultipartError(`boundary "${boundary}" is not 1 to 70 printable characters`);
  // Every delimiter, the first included, is searched for as CRLF--boundary: the body is read as if it began with CRLF.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buffer: Buffer = Buffer.from(CRLF);
  let state = 'preamble' as State;
  let consumer: PartConsumer | undefined;
  let parts = 0;
  const reader = body.getReader();
  let ended = false;

  /** Process what is buffered; returns false when more bytes are needed. */
  const step = async (): Promise<boolean> => {
    switch (state) {
      case 'preamble': {
        const at = buffer.indexOf(delimiter);
        if (at < 0) {
          buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length + 1));
          return false;
        }
        buffer = buffer.subarray(at + delimiter.length);
        state = 'after-delimiter';
        return true;
      }
      case 'after-delimiter': {
        // "--" closes the body; otherwise optional transport padding (spaces, tabs), then CRLF.
        if (buffer.length < 2) return false;
        if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
          state = 'epilogue';
          return true;
        }
        const lineEnd = buffer.indexOf(CRLF);
        // The limit holds however the bytes arrive: found in one read or still missing.
        if ((lineEnd < 0 ? buffer.length : lineEnd) > MAX_HEADER_BYTES) throw new MultipartError('the line after a boundary delimiter never ends');
        if (lineEnd < 0) return false;
        if (!/^[ \t]*$/.test(buffer.toString('latin1', 0, lineEnd))) throw new MultipartError(`unexpected text after the boundary delimiter "--${boundary}"`);
        // Leave the CRLF so that "no headers" is CRLF CRLF like any other header block.
        buffer = buffer.subarray(lineEnd);
        state = 'headers';
        return true;
      }
      case 'headers': {
        const at = buffer.indexOf(HEADER_END);
        if ((at < 0 ? buffer.length : at) > MAX_HEADER_BYTES) throw new MultipartError(`part ${parts + 1} has more than ${MAX_HEADER_BYTES} bytes of headers`);
        if (at < 0) return false;
        const headers = parseHeaders(buffer.toString('latin1', 2, at + 2), parts + 1);
        buffer = buffer.subarray(at + HEADER_END.length);
        parts++;
        consumer = onPart(headers);
        state = 'body';
        return true;
      }
      case 'body': {
        const at = buffer.indexOf(delimiter);
        const current = consumer!;
        if (at < 0) {
          // Keep what could be the start of a delimiter split across reads.
          const keep = delimiter.length - 1;
          if (buffer.length > keep) {
            const data = buffer.subarray(0, buffer.length - keep);
            buffer = buffer.subarray(buffer.length - keep);
            await current.write(data);
          }
          return false;
        }
        if (at > 0) await current.write(buffer.subarray(0, at));
        buffer = buffer.subarray(at + delimiter.length);
        consumer = undefined;
        await current.end();
        state = 'after-delimiter';
        return true;
      }
      case 'epilogue':
        return false;
    }
  };

  try {
    for (;;) {
      while (await step());
      if (state === 'epilogue') break;
      const next = await reader.read();
      if (next.done) {
        ended = true;
        break;
      }
      // Only the unconsumed tail (at most a delimiter's length, or an unfinished header block) is copied.
      buffer = buffer.length === 0 ? Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength) : Buffer.concat([buffer, next.value]);
    }
  } catch (error) {
    await consumer?.abort(`request body unreadable: ${errorMessage(error)}`);
    await reader.cancel().catch(() => undefined);
    throw error instanceof MultipartError ? error : new MultipartError(`request body unreadable: ${errorMessage(error)}`, { cause: error });
  }
  if (state === 'epilogue') {
    // The epilogue is ignored, but drained (in the background: the answer goes out now, not when the
    // client ends its body) so the connection can be reused.
    if (!ended) void drain(reader);
    return parts;
  }
  if (consumer) await consumer.abort(`the request body ended inside part ${parts}, before its closing boundary`);
  if (parts === 0) throw new MultipartError(`no part delimited by "--${boundary}" in the request body`);
  throw new MultipartError(`the request body ended before the close delimiter "--${boundary}--"`);
}

function parseHeaders(block: string, part: number): Headers {
  const headers = new Headers();
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError(`part ${part}: header line "${line.slice(0, 80)}" has no name`);
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    } catch {
      throw new MultipartError(`part ${part}: header line "${line.slice(0, 80)}" is not a valid header`);
    }
  }
  return headers;
}

/** Read to the end, discarding; never rejects (a client that breaks off its epilogue loses nothing). */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read());
  } catch {
    // the connection broke after the close delimiter: nothing was left to read
  }
}
