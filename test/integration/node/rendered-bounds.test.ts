/**
 * WADO-RS rendered images against `viewbox serve`: the output size is
 * bounded whatever viewport a request names (4096 px a side, 4× the source),
 * rendering runs on worker threads so a C-ECHO and /api/status answer
 * promptly while large renders run, a full render queue answers 503 with
 * Retry-After, and a normal request renders exactly what the codec renders.
 */
import { mkdirSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { decode as decodeJpeg } from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFrame } from '../../../main/codec/render.js';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { tempDir } from '../../helpers/tmp.js';
import { cEchoRq, IMPLICIT_VR_LE, openRawAssociation, pDataTf, VERIFICATION, type RawPeer } from '../../helpers/peers/raw-association.js';
import { peakRss } from '../../helpers/peers/rss.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { decodeAll } from '../../unit/main/codec/codec-helpers.js';
import { readPng } from '../../unit/main/codec/image-readers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let node: Viewbox;
let small: GeneratedSeries;
let large: GeneratedSeries;

beforeAll(async () => {
  work = await tempDir('viewbox-e2e-rendered-');
  const fixtures = join(work.path, 'fixtures');
  for (const name of ['small', 'large']) mkdirSync(join(fixtures, name), { recursive: true });
  small = generateCtSeries({ dir: join(fixtures, 'small'), count: 1, rows: 64, cols: 64 });
  large = generateCtSeries({ dir: join(fixtures, 'large'), count: 4, rows: 512, cols: 512 });
  node = await startViewbox({ dataDir: join(work.path, 'archive'), args: ['--aet', 'RENDER_VBX'] });
  const sent = await storescu({ port: node.dicomPort, calledAet: node.aet, files: [...small.files, ...large.files].map((f) => f.path) });
  expect(sent.stored, sent.log).toHaveLength(5);
});
afterAll(async () => {
  const exit = node ? await node.stop() : undefined;
  await work?.cleanup();
  if (exit) expect(exit.code, 'viewbox serve exits 0 on SIGTERM').toBe(0);
});

/** A GET on a connection of its own (no keep-alive reuse: a burst must not meet a socket the server is just closing). */
function getOnNewConnection(path: string): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = httpGet({ host: '127.0.0.1', port: node.httpPort, path, agent: false, headers: { authorization: `Bearer ${node.token}`, accept: 'image/jpeg' } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }));
    });
    request.on('error', reject);
  });
}

const get = (path: string, accept = 'image/jpeg') => fetch(`http://127.0.0.1:${node.httpPort}${path}`, { headers: { authorization: `Bearer ${node.token}`, accept } });
const renderedPath = (series: GeneratedSeries, index: number, query: string) =>
  `/dicom-web/studies/${series.studyUid}/series/${series.seriesUid}/instances/${series.files[index]!.sopInstanceUid}/rendered?${query}`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** One C-ECHO round trip on an open association, in ms. */
async function echoMs(peer: RawPeer, messageId: number): Promise<number> {
  const { value: response, ms } = await timed(async () => {
    await peer.send(pDataTf([{ contextId: 1, command: true, last: true, data: cEchoRq(messageId) }]));
    return peer.nextResponse(30_000);
  });
  expect(response.status).toBe(0);
  return ms;
}

describe('rendered', () => {
  it('renders a normal request exactly as the codec does', async () => {
    const response = await get(renderedPath(large, 0, 'viewport=200,200&window=40,400'), 'image/png');
    expect(response.status).toBe(200);
    const served = new Uint8Array(await response.arrayBuffer());
    const { frames, instance } = await decodeAll(large.files[0]!.path);
    const expected = await renderFrame(frames[0]!, instance.json, { format: 'png', viewport: { width: 200, height: 200 }, window: { center: 40, width: 400 } });
    expect(readPng(served)).toEqual(readPng(expected));
    expect([readPng(served).width, readPng(served).height]).toEqual([200, 200]);
  });

  it('bounds an oversized viewport (12000×12000 on a 64×64 image) to 4× the source, within a second', async () => {
    const rss = peakRss(node.pid);
    const { value: response, ms } = await timed(() => get(renderedPath(small, 0, 'viewport=12000,12000')));
    const body = new Uint8Array(await response.arrayBuffer());
    const { peakRss: peak } = await rss.stop();
    expect(response.status).toBe(200);
    expect(ms).toBeLessThan(1000);
    const image = decodeJpeg(body, { useTArray: true });
    expect([image.width, image.height]).toEqual([256, 256]);
    console.log(`oversized viewport: ${ms.toFixed(0)} ms, node peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);
    expect(peak).toBeLessThan(400 * 2 ** 20);
  });

  it('keeps C-ECHO and /api/status answering within 100 ms (90th percentile) while large renders run', async () => {
    const { peer, accepted } = await openRawAssociation({
      port: node.dicomPort,
      callingAe: 'ECHOER',
      calledAe: node.aet,
      contexts: [{ id: 1, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_VR_LE] }],
    });
    expect(accepted[0]?.result).toBe(0);
    try {
      await echoMs(peer, 1);
      // Four 2048² JPEGs of 512² CT slices (4× enlargement, the most the node makes), each well over a second of CPU.
      // The JPEGs are decoded only afterwards: decoding here would block this test's own event loop and skew its timings.
      let running = true;
      const renders = Promise.all(
        large.files.map(async (_, i) => {
          const response = await get(renderedPath(large, i, `viewport=2048,2048&quality=${80 + i}`));
          expect(response.status).toBe(200);
          return new Uint8Array(await response.arrayBuffer());
        }),
      ).finally(() => (running = false));
      const echoes: number[] = [];
      const statuses: number[] = [];
      let id = 2;
      while (running) {
        echoes.push(await echoMs(peer, id++));
        const status = await timed(() => get('/api/status', 'application/json'));
        expect(status.value.status).toBe(200);
        await status.value.arrayBuffer();
        statuses.push(status.ms);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const body of await renders) expect(decodeJpeg(body, { useTArray: true }).width).toBe(2048);
      const top = (ms: number[]) => [...ms].sort((a, b) => b - a).slice(0, 5).map((m) => m.toFixed(0)).join(', ');
      console.log(`during renders: ${echoes.length} C-ECHOs, slowest ${top(echoes)} ms; /api/status slowest ${top(statuses)} ms`);
      expect(echoes.length).toBeGreaterThan(3);
      // Renders on the event loop held answers for seconds (4.5 s C-ECHO, 11 s /api/status here). Off it, answers
      // take a few ms; the 90th percentile is held to 100 ms and every answer to 1 s, so a test machine busy with
      // other test files (two cores) does not fail what is the scheduler's delay, not the node's.
      for (const ms of [echoes, statuses]) {
        expect(percentile(ms, 0.9)).toBeLessThan(100);
        expect(Math.max(...ms)).toBeLessThan(1000);
      }
    } finally {
      peer.destroy();
    }
  });

  it('answers 503 with Retry-After when every render slot and queue place is taken', async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => getOnNewConnection(renderedPath(large, i % 4, `viewport=1024,1024&quality=${50 + i}`))));
    const busy = responses.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    // One or two running (one worker per core beyond the first, at most two) and 16 waiting are served.
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(17);
    expect(responses.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    expect(busy.every((r) => r.retryAfter === '1')).toBe(true);
  });
});
