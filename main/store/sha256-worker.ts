/**
 * SHA-256 off the main thread. Hashing 525 KB costs ~1.7 ms on these CPUs
 * (no SHA extensions) — more than the fdatasync that makes the file durable —
 * so a worker hashes each write batch while the main thread goes on parsing,
 * writing and answering the network.
 */
import { Worker } from 'node:worker_threads';

// Inline source: the worker must load the same way from TypeScript sources
// (tests) and compiled output, which a separate worker file would not.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const jobs = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'update') {
    let hash = jobs.get(m.id);
    if (!hash) jobs.set(m.id, (hash = createHash('sha256')));
    hash.update(new Uint8Array(m.data));
  } else if (m.op === 'digest') {
    const hash = jobs.get(m.id) || createHash('sha256');
    jobs.delete(m.id);
    parentPort.postMessage({ id: m.id, digest: hash.digest('hex') });
  } else if (m.op === 'discard') {
    jobs.delete(m.id);
  }
});
`;

export class Sha256Worker {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private readonly waiting = new Map<number, { resolve: (digest: string) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  constructor() {
    this.worker.unref();
    this.worker.on('message', (m: { id: number; digest: string }) => {
      this.waiting.get(m.id)?.resolve(m.digest);
      this.waiting.delete(m.id);
    });
    this.worker.on('error', (error) => {
      for (const job of this.waiting.values()) job.reject(error);
      this.waiting.clear();
    });
  }

  /** A running hash fed batches of chunks (copied, so the caller keeps its buffers). */
  start(): { update(bytes: Uint8Array[]): void; digest(): Promise<string>; discard(): void } {
    const id = this.nextId++;
    return {
      update: (chunks) => {
        // A fresh buffer of our own: moving a pooled Buffer's memory would detach the pool.
        const data = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const chunk of chunks) {
          data.set(chunk, at);
          at += chunk.length;
        }
        this.worker.postMessage({ op: 'update', id, data: data.buffer }, [data.buffer]);
      },
      digest: () =>
        new Promise<string>((resolve, reject) => {
          this.waiting.set(id, { resolve, reject });
          this.worker.postMessage({ op: 'digest', id });
        }),
      discard: () => this.worker.postMessage({ op: 'discard', id }),
    };
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}
