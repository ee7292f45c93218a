/**
 * What the routing tests share: a node with a routing file and fast retries,
 * Orthanc that can be stopped and started again on the same ports and
 * storage, and the comparison of Orthanc's stored datasets with ours.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RouteRule } from '../../../shared/routing/rules.js';
import type { QueueListResponse } from '../../../shared/api/queue-api.js';
import { splitPart10 } from '../../fixtures/part10-split.js';
import { freePort } from '../../helpers/net.js';
import { startOrthanc, type Orthanc } from '../../helpers/peers/orthanc.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { waitFor } from '../../helpers/peers/wait.js';

export const NODE_AET = 'VBXROUTE';

/** Orthanc on fixed ports and a storage folder of ours, so that it can be stopped and started again with everything it held. */
export interface RestartableOrthanc {
  aet: string;
  dicomPort: number;
  /** The REST URL of the running Orthanc (a new HTTP port at each start). */
  readonly url: string;
  current: Orthanc | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function restartableOrthanc(home: string, options: { aet?: string; dicomweb?: boolean; nodePort?: number } = {}): Promise<RestartableOrthanc> {
  const aet = options.aet ?? 'PACS';
  const dicomPort = await freePort();
  const storage = join(home, `orthanc-${aet}`);
  await mkdir(storage, { recursive: true });
  const orthanc: RestartableOrthanc = {
    aet,
    dicomPort,
    get url() {
      if (!orthanc.current) throw new Error(`Orthanc ${aet} is stopped`);
      return orthanc.current.url;
    },
    current: undefined,
    async start() {
      orthanc.current = await startOrthanc({
        aet,
        dicomweb: options.dicomweb ?? false,
        modalities: options.nodePort ? [{ name: 'viewbox', aet: NODE_AET, host: '127.0.0.1', port: options.nodePort }] : [],
        config: { DicomPort: dicomPort, StorageDirectory: join(storage, 'storage'), IndexDirectory: join(storage, 'index') },
      });
    },
    async stop() {
      await orthanc.current?.stop();
      orthanc.current = undefined;
    },
  };
  return orthanc;
}

export interface NodeSetup {
  dataDir: string;
  configFile: string;
}

/** A node's configuration and routing file under `home`; retries after 1 s, then 2 s. */
export async function writeNodeSetup(home: string, parts: { nodes?: unknown[]; dicomwebNodes?: unknown[]; rules: RouteRule[]; dicomPort?: number; maxAttempts?: number }): Promise<NodeSetup> {
  const dataDir = join(home, 'data');
  const routingFile = join(home, 'routing.json');
  const configFile = join(home, 'config.json');
  await writeFile(routingFile, JSON.stringify({ rules: parts.rules }, null, 2));
  await writeFile(
    configFile,
    JSON.stringify({
      aet: NODE_AET,
      ...(parts.dicomPort ? { dicomPort: parts.dicomPort } : {}),
      nodes: parts.nodes ?? [],
      dicomwebNodes: parts.dicomwebNodes ?? [],
      queue: { concurrencyPerDestination: 2, maxAttempts: parts.maxAttempts ?? 50, maxAgeHours: 1, retryInitialSeconds: 1, retryMaxSeconds: 2 },
      routing: { rulesFile: routingFile },
    }),
  );
  return { dataDir, configFile };
}

export function startNode(setup: NodeSetup, dicomPort?: number): Promise<Viewbox> {
  return startViewbox({ dataDir: setup.dataDir, args: ['--config', setup.configFile, ...(dicomPort ? ['--dicom-port', String(dicomPort)] : [])] });
}

export function dimseNode(name: string, aet: string, port: number): Record<string, unknown> {
  return { name, aet, host: '127.0.0.1', port, allow: [] };
}

/** How many instances Orthanc holds. */
export async function orthancCount(url: string): Promise<number> {
  const response = await fetch(`${url}/statistics`).catch(() => undefined);
  if (!response?.ok) return -1;
  return ((await response.json()) as { CountInstances: number }).CountInstances;
}

export function waitForOrthancCount(url: string, count: number, timeoutMs = 60_000): Promise<void> {
  return waitFor(`${count} instance(s) at Orthanc ${url}`, async () => (await orthancCount(url)) >= count, timeoutMs, 100);
}

/** Orthanc's stored dataset (after its File Meta) of every instance it holds, by SOP Instance UID. */
export async function orthancDatasets(url: string): Promise<Map<string, Uint8Array>> {
  const ids = (await (await fetch(`${url}/instances`)).json()) as string[];
  const out = new Map<string, Uint8Array>();
  for (const id of ids) {
    const parts = splitPart10(new Uint8Array(await (await fetch(`${url}/instances/${id}/file`)).arrayBuffer()));
    out.set(parts.meta.sopInstanceUid!, parts.dataset);
  }
  return out;
}

/** Our stored dataset of every instance in the data folder, by SOP Instance UID. */
export async function archivedDatasets(dataDir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const store = join(dataDir, 'store');
  for (const entry of await readdir(store, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const parts = splitPart10(await readFile(join(entry.parentPath, entry.name)));
    out.set(parts.meta.sopInstanceUid!, parts.dataset);
  }
  return out;
}

/**
 * Compare Orthanc's copies with ours: of `uids` (default: every instance we
 * hold), those Orthanc lacks or holds with other dataset bytes.
 */
export async function byteMismatches(orthancUrl: string, dataDir: string, uids?: Iterable<string>): Promise<{ checked: number; mismatched: string[] }> {
  const theirs = await orthancDatasets(orthancUrl);
  const ours = await archivedDatasets(dataDir);
  const wanted = [...(uids ?? ours.keys())];
  const same = (uid: string) => theirs.has(uid) && ours.has(uid) && Buffer.from(theirs.get(uid)!).equals(Buffer.from(ours.get(uid)!));
  return { checked: wanted.length, mismatched: wanted.filter((uid) => !same(uid)) };
}

/** GET /api/queue of a running node. */
export async function queueOf(node: Viewbox): Promise<QueueListResponse> {
  const response = await fetch(`${node.url}api/queue`, { headers: { authorization: `Bearer ${node.token}` } });
  if (!response.ok) throw new Error(`GET /api/queue: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as QueueListResponse;
}

export const forwardEach = (id: string, destinations: string[]): RouteRule => ({ id, match: { Modality: 'CT' }, trigger: { on: 'instance' }, actions: [{ forward: destinations }] });
