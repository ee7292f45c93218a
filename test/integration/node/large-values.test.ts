/**
 * A very large non-pixel value (a 256 MB UT text) is bulk data: the node
 * streams it to the file, keeps a BulkDataURI in the index, serves it from
 * the file, and its memory stays flat in the value's size (docs/storage.md).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLargeValueInstance, PROTOCOL_PLANNING_INFORMATION, type GeneratedLargeValue } from '../../fixtures/large-value.js';
import { tempDir } from '../../helpers/tmp.js';
import { peakRss } from '../../helpers/peers/rss.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';

const VALUE_BYTES = 256 * 1024 * 1024;
const MiB = 1024 * 1024;
const TAG = PROTOCOL_PLANNING_INFORMATION.toString(16).toUpperCase().padStart(8, '0');

let work: Awaited<ReturnType<typeof tempDir>>;
let node: Viewbox;
let sent: GeneratedLargeValue;

beforeAll(async () => {
  work = await tempDir('viewbox-e2e-large-');
  sent = await generateLargeValueInstance({ path: join(work.path, 'large-ut.dcm'), valueBytes: VALUE_BYTES });
  node = await startViewbox({ dataDir: join(work.path, 'archive'), args: ['--aet', 'LARGE_VBX'] });
}, 60_000);
afterAll(async () => {
  await node?.stop();
  await work?.cleanup();
});

const get = (path: string, accept: string) => fetch(`http://127.0.0.1:${node.httpPort}${path}`, { headers: { authorization: `Bearer ${node.token}`, accept } });

/** SHA-256 of a response body, read as a stream; with `part10`, of what follows the File Meta only. */
async function bodySha256(response: Response, options: { part10?: boolean } = {}): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let head: Buffer | undefined = options.part10 ? Buffer.alloc(0) : undefined;
  let bytes = 0;
  for await (const chunk of response.body! as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    if (head === undefined) {
      hash.update(chunk);
      continue;
    }
    // Preamble (128), "DICM", then (0002,0000) UL: its value is the length of the rest of group 0002.
    head = Buffer.concat([head, chunk]);
    if (head.length < 144) continue;
    const datasetOffset = 144 + head.readUInt32LE(140);
    if (head.length < datasetOffset) continue;
    hash.update(head.subarray(datasetOffset));
    head = undefined;
  }
  return { sha256: hash.digest('hex'), bytes };
}

describe('a 256 MB text value in one C-STORE', () => {
  it('is stored and retrieved byte-exact, listed as bulk data, with the node under 200 MiB', async () => {
    const sampler = peakRss(node.pid);
    const store = await storescu({ port: node.dicomPort, calledAet: node.aet, files: [sent.path], timeoutMs: 60_000 });
    expect(store.stored, store.log).toEqual([sent.path]);

    const instance = `/dicom-web/studies/${sent.studyUid}/series/${sent.seriesUid}/instances/${sent.sopInstanceUid}`;
    const metadata = await get(`${instance}/metadata`, 'application/dicom+json');
    expect(metadata.status).toBe(200);
    const text = await metadata.text();
    expect(text.length, 'metadata JSON length').toBeLessThan(16 * 1024);
    const element = (JSON.parse(text) as Array<Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>>)[0]![TAG]!;
    expect(element.vr).toBe('UT');
    expect(element.Value).toBeUndefined();
    expect(element.BulkDataURI).toMatch(new RegExp(`${instance}/bulk/\\d+/${VALUE_BYTES}$`));

    // QIDO-RS asked for the value by name leaves it out (bulk data is never in a QIDO answer).
    const qido = await get(`/dicom-web/studies/${sent.studyUid}/instances?includefield=${TAG}`, 'application/dicom+json');
    expect(qido.status).toBe(200);
    const found = (await qido.json()) as Array<Record<string, unknown>>;
    expect(found).toHaveLength(1);
    expect(found[0]![TAG]).toBeUndefined();

    const bulk = await get(new URL(element.BulkDataURI!).pathname, 'application/octet-stream');
    expect(bulk.status).toBe(200);
    expect(await bodySha256(bulk)).toEqual({ sha256: sent.valueSha256, bytes: VALUE_BYTES });

    const retrieved = await get(instance, 'application/dicom');
    expect(retrieved.status).toBe(200);
    expect((await bodySha256(retrieved, { part10: true })).sha256).toBe(sent.datasetSha256);

    const { peakRss: peak } = await sampler.stop();
    console.log(`large UT value: ${VALUE_BYTES / MiB} MiB, node peak RSS ${(peak / MiB).toFixed(0)} MiB`);
    expect(peak / MiB, 'peak RSS of viewbox serve, MiB').toBeLessThan(200);
  }, 120_000);
});
