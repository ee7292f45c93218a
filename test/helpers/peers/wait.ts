import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Poll `probe` until it returns true; throws `what` after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 15_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** True when something accepts TCP connections on host:port. */
export function portAccepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 15_000): Promise<void> {
  return waitFor(`${host}:${port} to accept connections`, () => portAccepts(port, host), timeoutMs);
}
