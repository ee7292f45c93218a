/**
 * Rendered images are made by a small pool of worker threads (render-worker.ts),
 * never on the event loop: a frame's decode and encode take from milliseconds
 * to seconds, and meanwhile DICOM associations and HTTP must go on answering.
 *
 * Admission is bounded: at most `size` renders run and `queueLimit` more wait;
 * one more is refused at once (RenderPoolBusy, which HTTP answers 503 with
 * Retry-After) before its frame is even read, so a flood of requests costs
 * neither memory nor time. Workers start on first use and end after a minute
 * idle; an idle worker does not keep the process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { CodecError, type ImagePixelInfo } from './pixel-info.js';
import type { RenderOptions } from './render.js';
import { workerScript } from './worker-script.js';

export interface RenderJob {
  transferSyntaxUid: string;
  /** The frame as stored (encapsulated or native); moved to the worker when it owns its whole buffer (do not use it afterwards). */
  encoded: Uint8Array;
  info: ImagePixelInfo;
  json: DicomJsonDataset;
  options: RenderOptions;
}

export type RenderReply = { id: number; image: Uint8Array } | { id: number; error: { message: string; codec: boolean } };

/** Every render slot and queue place is taken; ask again after `retryAfterSeconds`. */
export class RenderPoolBusy extends Error {
  override readonly name = 'RenderPoolBusy';
  constructor(
    readonly retryAfterSeconds: number,
    limit: number,
  ) {
    super(`the node is busy rendering (${limit} renders running or waiting); try again in ${retryAfterSeconds} s`);
  }
}

export interface RenderPoolOptions {
  /** Worker threads (default: 1 on two cores, 2 from three cores up: one core stays with the event loop). */
  size?: number;
  /** Renders that may wait for a worker beyond those running (default 16: a screenful of thumbnails). */
  queueLimit?: number;
  /** An idle worker ends after this long (default 60 s). */
  idleMs?: number;
  /** A render still running after this long has its worker ended (a decoder stuck on hostile data; default 60 s). */
  deadlineMs?: number;
}

const SCRIPT = workerScript('render-worker', import.meta.url);
const RETRY_AFTER_SECONDS = 1;

interface PooledWorker {
  worker: Worker;
  /** Ended (terminated when idle, or crashed): never handed out again. */
  dead?: boolean;
  idleTimer?: NodeJS.Timeout;
  /** The job running on it: settled by its reply, or by the worker's death. */
  running?: { id: number; resolve: (image: Uint8Array) => void; reject: (error: Error) => void };
}

export class RenderPool {
  readonly size: number;
  readonly queueLimit: number;
  private readonly idleMs: number;
  private readonly deadlineMs: number;
  private readonly idle: PooledWorker[] = [];
  private readonly waiting: Array<(worker: PooledWorker) => void> = [];
  private started = 0;
  private admitted = 0;
  private nextId = 1;

  constructor(options: RenderPoolOptions = {}) {
    this.size = options.size ?? Math.min(2, Math.max(1, availableParallelism() - 1));
    this.queueLimit = options.queueLimit ?? 16;
    this.idleMs = options.idleMs ?? 60_000;
    this.deadlineMs = options.deadlineMs ?? 60_000;
  }

  /**
   * Renders the job that `prepare` reads (called only once admitted). Throws
   * RenderPoolBusy at once when full; CodecError when the frame cannot be rendered.
   */
  async render(prepare: () => Promise<RenderJob>): Promise<Uint8Array> {
    const limit = this.size + this.queueLimit;
    if (this.admitted >= limit) throw new RenderPoolBusy(RETRY_AFTER_SECONDS, limit);
    this.admitted++;
    try {
      const job = await prepare();
      const pooled = await this.acquire();
      try {
        return await this.run(pooled, job);
      } finally {
        this.release(pooled);
      }
    } finally {
      this.admitted--;
    }
  }

  /** Ends every idle worker now (running ones end when their job is done and the pool is idle). */
  async close(): Promise<void> {
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((p) => this.end(p)));
  }

  private acquire(): Promise<PooledWorker> {
    const ready = this.idle.pop();
    if (ready) {
      clearTimeout(ready.idleTimer);
      return Promise.resolve(ready);
    }
    if (this.started < this.size) return Promise.resolve(this.start());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(pooled: PooledWorker): void {
    if (pooled.dead) return;
    const next = this.waiting.shift();
    if (next) return next(pooled);
    pooled.worker.unref();
    pooled.idleTimer = setTimeout(() => {
      this.idle.splice(this.idle.indexOf(pooled), 1);
      void this.end(pooled);
    }, this.idleMs).unref();
    this.idle.push(pooled);
  }

  private run(pooled: PooledWorker, job: RenderJob): Promise<Uint8Array> {
    const id = this.nextId++;
    // Moved when the array owns its whole buffer; otherwise (a view of a larger or pooled buffer) a copy is.
    // Never an empty (possibly already moved) buffer: postMessage drops a detached one silently.
    const { encoded } = job;
    const owned = encoded.byteLength > 0 && encoded.byteOffset === 0 && encoded.byteLength === encoded.buffer.byteLength ? encoded : encoded.slice();
    let deadline: NodeJS.Timeout | undefined;
    return new Promise<Uint8Array>((resolve, reject) => {
      pooled.running = { id, resolve, reject };
      pooled.worker.ref();
      deadline = setTimeout(() => void pooled.worker.terminate(), this.deadlineMs);
      pooled.worker.postMessage({ id, job: { ...job, encoded: owned } }, owned.byteLength > 0 ? [owned.buffer as ArrayBuffer] : []);
    }).finally(() => {
      clearTimeout(deadline);
      pooled.running = undefined;
    });
  }

  private start(): PooledWorker {
    this.started++;
    const worker = new Worker(SCRIPT.url, { execArgv: SCRIPT.execArgv });
    const pooled: PooledWorker = { worker };
    worker.on('message', (reply: RenderReply) => {
      const running = pooled.running;
      if (!running || running.id !== reply.id) return;
      if ('image' in reply) running.resolve(reply.image);
      else running.reject(reply.error.codec ? new CodecError(reply.error.message) : new Error(`render worker: ${reply.error.message}`));
    });
    const died = (reason: string) => {
      if (pooled.dead) return;
      this.started--;
      pooled.dead = true;
      const index = this.idle.indexOf(pooled);
      if (index >= 0) this.idle.splice(index, 1);
      pooled.running?.reject(new Error(`render worker ended: ${reason}`));
      // A waiting render gets a fresh worker instead of this one.
      const next = this.waiting.shift();
      if (next) next(this.start());
    };
    worker.on('error', (error) => died(error.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    return pooled;
  }

  private async end(pooled: PooledWorker): Promise<void> {
    clearTimeout(pooled.idleTimer);
    pooled.dead = true;
    this.started--;
    await pooled.worker.terminate();
  }
}
