/** Serving a fetch-style handler over Node's HTTP (@hono/node-server) on one address and port. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';

const CLOSE_GRACE_MS = 2000;

export interface RunningHttpServer {
  port: number;
  close(): Promise<void>;
}

export function startHttpServer(fetch: (request: Request) => Response | Promise<Response>, host: string, port: number): Promise<RunningHttpServer> {
  const server = createAdaptorServer({ fetch }) as Server;
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`HTTP server cannot listen on ${host}:${port}: ${error.message}`, { cause: error })));
    server.listen(port, host, () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        port: bound,
        close: () =>
          new Promise<void>((done) => {
            // Active requests get a moment to finish; event streams never do, so then they are cut.
            const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
            server.close(() => {
              clearTimeout(cut);
              done();
            });
            // Idle keep-alive connections would hold close() open.
            server.closeIdleConnections();
          }),
      });
    });
  });
}
