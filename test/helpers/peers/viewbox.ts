/**
 * The node under test: `node bin/viewbox.js serve` (built by `npm run build`),
 * started on a data folder with free ports. Ready when it prints its one
 * `viewbox ready {json}` line on stdout.
 */
import { fileURLToPath } from 'node:url';
import { spawnService, type Exit, type Service } from './service.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const viewboxBin = fileURLToPath(new URL('../../../bin/viewbox.js', import.meta.url));

export interface ReadyInfo {
  aet: string;
  /** Where the DICOM listeners bind (dicomBindAddress, else bindAddress). */
  dicomAddress: string;
  dicomPort: number;
  /** The DICOM TLS port, when dicomTls is configured. */
  dicomTlsPort?: number;
  httpPort: number;
  url: string;
  /** The API bearer token (scripts). */
  token: string;
  /** A one-time launch URL (`url?launch=CODE`), good for one browser session within 5 minutes. */
  launchUrl: string;
  data: string;
  pid: number;
}

export interface ViewboxOptions {
  dataDir: string;
  /** More `serve` flags, e.g. ['--aet', 'VBX1', '--config', FILE]. Ports default to 0 (free). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}

export interface Viewbox extends ReadyInfo {
  readonly service: Service;
  /** stderr/stdout so far (the structured log). */
  output(): string;
  /** SIGTERM and wait for the exit (the clean shutdown path). */
  stop(): Promise<Exit>;
  /** SIGKILL: the crash path. */
  kill9(): Promise<Exit>;
}

export function parseReadyLine(line: string): ReadyInfo | undefined {
  const match = /^viewbox ready (\{.*\})\s*$/.exec(line);
  return match ? (JSON.parse(match[1]!) as ReadyInfo) : undefined;
}

export async function startViewbox(options: ViewboxOptions): Promise<Viewbox> {
  const { dataDir, args = [], readyTimeoutMs = 30_000 } = options;
  const flags = [...args];
  if (!flags.includes('--dicom-port')) flags.push('--dicom-port', '0');
  if (!flags.includes('--http-port')) flags.push('--http-port', '0');
  // A machine-wide config on the test host must not leak into the node under test.
  const env = { VIEWBOX_MACHINE_CONFIG: '/nonexistent/viewbox-machine-config.json', ...process.env, ...options.env };
  const service = spawnService(process.execPath, [viewboxBin, 'serve', '--data', dataDir, ...flags], { env, cwd: repoRoot });
  const ready = await new Promise<ReadyInfo>((resolve, reject) => {
    let buffered = '';
    let settled = false;
    const timer = setTimeout(() => fail(`no ready line within ${readyTimeoutMs} ms`), readyTimeoutMs);
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      service.child.kill('SIGKILL');
      reject(new Error(`viewbox serve --data ${dataDir}: ${why}\n${service.output()}`));
    };
    service.child.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      for (const line of buffered.split('\n')) {
        const info = parseReadyLine(line);
        if (info && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve(info);
          return;
        }
      }
    });
    void service.exited.then((exit) => fail(`exited before ready (code ${exit.code}, signal ${exit.signal})`));
  });
  return {
    ...ready,
    service,
    output: () => service.output(),
    stop: () => service.stop('SIGTERM', 30_000),
    kill9: () => service.stop('SIGKILL'),
  };
}
