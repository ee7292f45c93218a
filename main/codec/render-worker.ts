/**
 * A render worker thread: decodes one frame and renders it (render.ts) per
 * message, so decoding, windowing, scaling and JPEG/PNG encoding never run on
 * the node's event loop. Started by render-pool.ts, one job at a time.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { decodeFrame } from './decode-frame.js';
import { CodecError } from './pixel-info.js';
import { renderFrame } from './render.js';
import type { RenderJob, RenderReply } from './render-pool.js';

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs as a worker thread (started by render-pool.ts)');

/** Niceness of a render thread: on a busy machine the event loop (DICOM, HTTP) gets a core first. */
const RENDER_NICE = 10;
lowerOwnPriority();

/** Linux only, best effort: setpriority on a thread id reaches only that thread, found through /proc/thread-self. */
function lowerOwnPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), RENDER_NICE);
  } catch {
    // Not permitted or no procfs: the renders then compete at normal priority.
  }
}

port.on('message', async (message: { id: number; job: RenderJob }) => {
  const { id, job } = message;
  let reply: RenderReply;
  try {
    const decoded = await decodeFrame(job.transferSyntaxUid, job.encoded, job.info);
    const image = await renderFrame(decoded, job.json, job.options);
    // Moved, not copied: an array of its own buffer (the encoders' output may be a view of a larger one).
    const own = image.byteOffset === 0 && image.byteLength === image.buffer.byteLength ? image : image.slice();
    port.postMessage({ id, image: own } satisfies RenderReply, [own.buffer as ArrayBuffer]);
    return;
  } catch (error) {
    reply = { id, error: { message: (error as Error).message ?? String(error), codec: error instanceof CodecError } };
  }
  port.postMessage(reply);
});
