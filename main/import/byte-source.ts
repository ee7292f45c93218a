/**
 * One file to import, wherever its bytes live (a file on disk, a zip entry),
 * and reading its head without losing the rest of the stream.
 */
import type { Readable } from 'node:stream';
import { concatBytes } from '../../shared/bytes.js';

export interface ImportItem {
  /** What the user sees: a file path, or `archive.zip!/entry/path` for a zip entry. */
  path: string;
  /** A fresh stream of the file's bytes; may be called more than once. */
  open(): Promise<Readable>;
  /** The file on disk, when there is one (zip archives and DICOMDIRs are expanded only from disk). */
  diskPath?: string;
  /** Named by the user on the command line (a DICOMDIR named there is followed, one met in a folder is not). */
  explicit?: boolean;
  /** Why this item is refused without being opened (a DICOMDIR reference leaving its medium); reported as skipped. */
  refused?: string;
}

export interface HeadAndRest {
  /** The first `want` bytes (fewer when the stream is shorter). */
  head: Uint8Array;
  /** Every byte after the head, in order; releases the stream when done or abandoned. */
  rest: AsyncIterable<Uint8Array>;
  close(): void;
}

/** Reads at least `want` bytes (or the whole stream) and hands back the remainder as a stream of chunks. */
export async function readHead(stream: Readable, want: number): Promise<HeadAndRest> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  try {
    while (length < want) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      chunks.push(next.value);
      length += next.value.length;
    }
  } catch (error) {
    stream.destroy();
    throw error;
  }
  const all = chunks.length === 1 ? chunks[0]! : concatBytes(chunks, length);
  const head = all.subarray(0, Math.min(want, length));
  const overflow = all.subarray(head.length);
  return {
    head,
    rest: {
      async *[Symbol.asyncIterator]() {
        try {
          if (overflow.length > 0) yield overflow;
          if (ended) return;
          for (;;) {
            const next = await iterator.next();
            if (next.done) return;
            yield next.value;
          }
        } finally {
          stream.destroy();
        }
      },
    },
    close: () => stream.destroy(),
  };
}
