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
    hash.update(new Uint8Array(m.data, 0, m.length));
    // The buffer goes back to be filled again: an idle worker collects garbage rarely, and 256 MB of
    // hashed copies would otherwise wait here for it.
    parentPort.postMessage({ id: m.id, hashed: m.length, data: m.data }, [m.data]);
  } else if (m.op === 'digest') {
    const hash = jobs.get(m.id) || createHash('sha256');
    jobs.delete(m.id);
    parentPort.postMessage({ id: m.id, digest: hash.digest('hex') });
  } else if (m.op === 'discard') {
    jobs.delete(m.id);
  }
});
`;

export interface Sha256Job {
  /** Feed a batch of chunks (copied, so the caller keeps its buffers). */
  update(chunks: Uint8Array[]): void;
  /** Resolves once at most `bytes` are waiting to be hashed: a fast sender must not pile data up in the worker. */
  caughtUp(bytes: number): Promise<void>;
  digest(): Promise<string>;
  discard(): void;
}

interface JobState {
  waiting: number;
  caughtUp: Array<{ bytes: number; resolve: () => void }>;
  digest?: { resolve: (digest: string) => void; reject: (error: Error) => void };
}

/** Copies for the worker are made into buffers of at least this size, recycled when hashed. */
const BUFFER_BYTES = 256 * 1024;
/** Recycled buffers kept for reuse (the rest are left to the garbage collector). */
const POOL_SIZE = 16;

export class Sha256Worker {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private readonly jobs = new Map<number, JobState>();
  private readonly pool: ArrayBuffer[] = [];
  private nextId = 1;

  constructor() {
    this.worker.unref();
    this.worker.on('message', (m: { id: number; digest?: string; hashed?: number; data?: ArrayBuffer }) => {
      if (m.data && m.data.byteLength === BUFFER_BYTES && this.pool.length < POOL_SIZE) this.pool.push(m.data);
      const job = this.jobs.get(m.id);
      if (!job) return;
      if (m.hashed !== undefined) {
        job.waiting -= m.hashed;
        const ready = job.caughtUp.filter((w) => job.waiting <= w.bytes);
        job.caughtUp = job.caughtUp.filter((w) => job.waiting > w.bytes);
        for (const w of ready) w.resolve();
      } else if (m.digest !== undefined) {
        this.jobs.delete(m.id);
        job.digest?.resolve(m.digest);
      }
    });
    this.worker.on('error', (error) => {
      for (const job of this.jobs.values()) {
        job.digest?.reject(error);
        for (const w of job.caughtUp) w.resolve();
      }
      this.jobs.clear();
    });
  }

  start(): Sha256Job {
    const id = this.nextId++;
    const job: JobState = { waiting: 0, caughtUp: [] };
    this.jobs.set(id, job);
    return {
      update: (chunks) => {
        // A buffer of our own (moving a pooled Buffer's memory would detach Node's pool), reused once hashed.
        const length = chunks.reduce((n, c) => n + c.length, 0);
        const data = new Uint8Array((length <= BUFFER_BYTES && this.pool.pop()) || new ArrayBuffer(Math.max(length, BUFFER_BYTES)));
        let at = 0;
        for (const chunk of chunks) {
          data.set(chunk, at);
          at += chunk.length;
        }
        job.waiting += length;
        this.worker.postMessage({ op: 'update', id, data: data.buffer, length }, [data.buffer]);
      },
      caughtUp: (bytes) => (job.waiting <= bytes ? Promise.resolve() : new Promise((resolve) => job.caughtUp.push({ bytes, resolve }))),
      digest: () =>
        new Promise<string>((resolve, reject) => {
          job.digest = { resolve, reject };
          this.worker.postMessage({ op: 'digest', id });
        }),
      discard: () => {
        this.jobs.delete(id);
        for (const w of job.caughtUp) w.resolve();
        this.worker.postMessage({ op: 'discard', id });
      },
    };
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}
