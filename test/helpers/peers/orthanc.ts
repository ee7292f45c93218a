/**
 * Orthanc as a real PACS peer, started directly with its own configuration in
 * a temp dir (never the system service). Defaults are Orthanc's own, so
 * storage is fsync'd (SyncStorageArea) as in a real deployment.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../net.js';
import { dcmtkEnv } from '../run.js';
import { tempDir } from '../tmp.js';
import { spawnService, type Service } from './service.js';
import { waitFor } from './wait.js';

export const ORTHANC_DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

export interface OrthancModality {
  name: string;
  aet: string;
  host: string;
  port: number;
}

export interface OrthancOptions {
  aet?: string;
  /** AEs that may talk to this Orthanc (DicomModalities). */
  modalities?: OrthancModality[];
  dicomweb?: boolean;
  /** Extra keys merged into the configuration (e.g. {SyncStorageArea: false}). */
  config?: Record<string, unknown>;
}

export interface Orthanc {
  readonly aet: string;
  readonly dicomPort: number;
  readonly httpPort: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly storageDir: string;
  readonly service: Service;
  /** GET a REST resource as JSON. */
  get<T = unknown>(path: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startOrthanc(options: OrthancOptions = {}): Promise<Orthanc> {
  const aet = options.aet ?? 'ORTHANC';
  const home = await tempDir('viewbox-orthanc-');
  const dicomPort = await freePort();
  const httpPort = await freePort();
  const storageDir = join(home.path, 'storage');
  const config = {
    Name: 'viewbox-test-orthanc',
    StorageDirectory: storageDir,
    IndexDirectory: join(home.path, 'index'),
    DicomAet: aet,
    DicomPort: dicomPort,
    HttpPort: httpPort,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomModalities: Object.fromEntries((options.modalities ?? []).map((m) => [m.name, [m.aet, m.host, m.port]])),
    Plugins: options.dicomweb ? [ORTHANC_DICOMWEB_PLUGIN] : [],
    ...options.config,
  };
  const configPath = join(home.path, 'orthanc.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const service = spawnService('Orthanc', [configPath], { env: dcmtkEnv, cwd: home.path });
  const url = `http://127.0.0.1:${httpPort}`;
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(url + path);
    if (!response.ok) throw new Error(`Orthanc GET ${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  };
  let died = false;
  void service.exited.then(() => (died = true));
  try {
    await waitFor(`Orthanc REST on ${url}/system`, async () => {
      if (died) throw new Error(`Orthanc exited during start-up: ${service.output()}`);
      return get('/system').then(() => true, () => false);
    }, 30_000, 100);
  } catch (err) {
    await service.stop('SIGKILL');
    await home.cleanup();
    throw err;
  }
  return {
    aet,
    dicomPort,
    httpPort,
    url,
    storageDir,
    service,
    get,
    async stop() {
      await service.stop('SIGTERM', 15_000);
      await home.cleanup();
    },
  };
}
