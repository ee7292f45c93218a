/** DCMTK storescp as a real storage SCP peer (and the throughput baseline of the ingest benchmark). */
import { freePort } from '../net.js';
import { dcmtkEnv } from '../run.js';
import { tempDir } from '../tmp.js';
import { spawnService, type Service } from './service.js';
import { waitFor, portAccepts } from './wait.js';

export interface StorescpOptions {
  aet: string;
  /** Where received objects go; a fresh temp dir by default (removed by stop()). */
  dir?: string;
  port?: number;
  /** Write received datasets exactly as read (+B). */
  bitPreserving?: boolean;
  extraArgs?: string[];
}

export interface Storescp {
  readonly aet: string;
  readonly port: number;
  readonly dir: string;
  readonly service: Service;
  stop(): Promise<void>;
}

export async function startStorescp(options: StorescpOptions): Promise<Storescp> {
  const ownDir = options.dir ? undefined : await tempDir('viewbox-storescp-');
  const dir = options.dir ?? ownDir!.path;
  // A free port can be taken between probe and bind: retry a few times.
  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freePort());
    const args = [
      '-aet', options.aet,
      '+xa', // accept every transfer syntax DCMTK knows, compressed included
      '-pm', // promiscuous: unknown storage SOP classes too
      '-dhl',
      ...(options.bitPreserving ? ['+B'] : []),
      '-od', dir,
      ...(options.extraArgs ?? []),
      String(port),
    ];
    const service = spawnService('storescp', args, { env: dcmtkEnv });
    let died = false;
    void service.exited.then(() => (died = true));
    try {
      await waitFor(`storescp on port ${port}`, async () => died || (await portAccepts(port)), 10_000);
    } catch (err) {
      await service.stop('SIGKILL');
      throw err;
    }
    if (!died) {
      return {
        aet: options.aet,
        port,
        dir,
        service,
        async stop() {
          await service.stop('SIGTERM', 3_000);
          await ownDir?.cleanup();
        },
      };
    }
    if (attempt >= 2 || options.port !== undefined) {
      await ownDir?.cleanup();
      throw new Error(`storescp did not start on port ${port}: ${service.output()}`);
    }
  }
}
