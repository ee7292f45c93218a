/**
 * A full disk at the edges of a node's life: SIGTERM while the data folder's
 * disk is full ends within the grace period, and a node started on a full
 * disk serves what it holds (QIDO, WADO, C-FIND, C-GET), refuses writes with
 * the reason (C-STORE A700, STOW 507), says so in /api/status, and takes
 * writes again once space is freed. The data folder is on a small tmpfs
 * (needs root and `mount`; otherwise the test is skipped and says why).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../../fixtures/ct-series.js';
import { splitPart10 } from '../../fixtures/part10-split.js';
import { dcmtkEnv, run } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { fillDisk, mountSmallDisk, unmountSmallDisk } from '../../helpers/small-disk.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { boundaryOf, splitMultipart } from '../web/dicomweb-harness.js';

/** `viewbox serve`'s grace period for open associations (main/cli/serve.ts). */
const STOP_GRACE_MS = 10_000;

let work: Awaited<ReturnType<typeof tempDir>>;
let mountPoint = '';
let mountError = '';

beforeAll(async () => {
  work = await tempDir('viewbox-e2e-fulldisk-');
  ({ path: mountPoint, error: mountError } = mountSmallDisk(join(work.path, 'tmpfs'), '12m'));
});

afterAll(async () => {
  if (!mountError) unmountSmallDisk(mountPoint);
  await work.cleanup();
});


const api = (node: Viewbox, path: string, init: RequestInit = {}) =>
  fetch(new URL(path, node.url), { ...init, headers: { authorization: `Bearer ${node.token}`, ...(init.headers as Record<string, string>) } });

async function storageOf(node: Viewbox): Promise<{ writable: boolean; reason?: string; freeBytes: number | null }> {
  const response = await api(node, '/api/status');
  expect(response.status).toBe(200);
  return ((await response.json()) as { storage: { writable: boolean; reason?: string; freeBytes: number | null } }).storage;
}

describe('full disk at stop and start', () => {
  it('stops within the grace period on a full disk, and restarts read-only serving everything it acknowledged', { timeout: 120_000 }, async (ctx) => {
    if (mountError) {
      console.warn(`SKIPPED full-disk stop/start test: cannot mount a tmpfs (${mountError})`);
      ctx.skip();
    }
    const seriesDir = join(work.path, 'series');
    const lateDir = join(work.path, 'late');
    mkdirSync(seriesDir);
    mkdirSync(lateDir);
    const series = generateCtSeries({ dir: seriesDir, count: 6, rows: 256, cols: 256, patientName: 'Full^Disk', patientId: 'FULL-1' });
    const late = generateCtSeries({ dir: lateDir, count: 1, rows: 256, cols: 256, patientName: 'Late^Arrival', patientId: 'FULL-2' });
    const dataDir = join(mountPoint, 'archive');
    const ballast = join(mountPoint, 'ballast');
    // A reading workstation that may query and retrieve (C-FIND, C-GET); anyone may store.
    const configFile = join(work.path, 'config.json');
    writeFileSync(configFile, JSON.stringify({ acceptUnknownCallers: true, nodes: [{ name: 'reader', aet: 'READER', host: '127.0.0.1', port: 1, allow: ['find', 'get'] }] }));
    const args = ['--aet', 'FULLDISK', '--config', configFile];

    let node: Viewbox | undefined = await startViewbox({ dataDir, args });
    try {
      const sent = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: seriesDir });
      expect(sent.stored, sent.log.slice(-2000)).toHaveLength(series.files.length);
      // A reading room's event stream stays open across the stop, as a browser's would.
      const events = await api(node, '/api/events');
      expect(events.status).toBe(200);

      fillDisk(ballast);
      const refused = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: lateDir });
      expect(refused.results.map((r) => r.detail)).toEqual(['Refused: OutOfResources']);

      const started = Date.now();
      const exit = await node.service.stop('SIGTERM', 40_000);
      const stopMs = Date.now() - started;
      node = undefined;
      expect(exit.signal, 'exited by itself, not killed').toBeNull();
      expect(stopMs, `stopped in ${stopMs} ms`).toBeLessThan(STOP_GRACE_MS + 2_000);
      void events.body?.cancel().catch(() => undefined);

      // Restart with the disk still full: it starts, read-only.
      node = await startViewbox({ dataDir, args });
      expect(await storageOf(node)).toMatchObject({ writable: false, reason: 'disk full' });

      // QIDO: the study and its six instances.
      const qido = await api(node, `/dicom-web/studies/${series.studyUid}/instances`, { headers: { accept: 'application/dicom+json' } });
      expect(qido.status).toBe(200);
      const instances = (await qido.json()) as Array<Record<string, { Value?: string[] }>>;
      expect(instances.map((i) => i['00080018']!.Value![0]).sort()).toEqual(series.files.map((f) => f.sopInstanceUid).sort());

      // WADO-RS: each instance byte-exact (the dataset as sent, behind the File Meta we wrote).
      for (const file of series.files) {
        const wado = await api(node, `/dicom-web/studies/${series.studyUid}/series/${series.seriesUid}/instances/${file.sopInstanceUid}`, {
          headers: { accept: 'multipart/related; type="application/dicom"' },
        });
        expect(wado.status).toBe(200);
        const [part] = splitMultipart(new Uint8Array(await wado.arrayBuffer()), boundaryOf(wado.headers.get('content-type')));
        expect(Buffer.compare(splitPart10(part!.bytes).dataset, splitPart10(readFileSync(file.path)).dataset), file.path).toBe(0);
      }

      // C-FIND (findscu) and C-GET (getscu): DIMSE reads work too.
      const findDir = join(work.path, 'find');
      mkdirSync(findDir);
      const find = await run('findscu', ['-S', '-aet', 'READER', '-aec', node.aet, '-k', 'QueryRetrieveLevel=STUDY', '-k', 'PatientID=FULL-1', '-k', 'StudyInstanceUID', '-X', '-od', findDir, '127.0.0.1', String(node.dicomPort)], {
        env: dcmtkEnv,
        timeoutMs: 30_000,
      });
      expect(find.code, find.stderr).toBe(0);
      expect(readdirSync(findDir).filter((f) => f.startsWith('rsp'))).toHaveLength(1);
      const getDir = join(work.path, 'get');
      mkdirSync(getDir);
      const get = await run('getscu', ['-S', '-aet', 'READER', '-aec', node.aet, '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${series.studyUid}`, '-od', getDir, '127.0.0.1', String(node.dicomPort)], {
        env: dcmtkEnv,
        timeoutMs: 30_000,
      });
      expect(get.code, get.stderr).toBe(0);
      expect(readdirSync(getDir)).toHaveLength(series.files.length);

      // Writes are refused with the reason: C-STORE A700 with an Error Comment, STOW-RS 507.
      const store = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: lateDir });
      expect(store.results.map((r) => r.detail)).toEqual(['Refused: OutOfResources']);
      // The Error Comment, as storescu's debug dump of the response shows it.
      const dump = await run('storescu', ['-d', '-aec', node.aet, '127.0.0.1', String(node.dicomPort), late.files[0]!.path], { env: dcmtkEnv, timeoutMs: 30_000 });
      expect(dump.stdout + dump.stderr).toMatch(/\(0000,0902\) LO \[Out of resources: disk full, the node is read-only\]/);
      const boundary = 'fulldiskboundary';
      const stow = await api(node, '/dicom-web/studies', {
        method: 'POST',
        headers: { 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`, accept: 'application/dicom+json' },
        body: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), readFileSync(late.files[0]!.path), Buffer.from(`\r\n--${boundary}--\r\n`)]),
      });
      expect(stow.status).toBe(507);
      expect(await stow.text()).toContain('disk full');

      // Space freed: the node notices (status asks the file system) and takes the refused image.
      rmSync(ballast);
      const deadline = Date.now() + 10_000;
      while (!(await storageOf(node)).writable && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await storageOf(node)).toMatchObject({ writable: true });
      const retry = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: lateDir });
      expect(retry.stored, retry.log.slice(-2000)).toHaveLength(1);
      const stopped = await node.stop();
      node = undefined;
      expect(stopped.code).toBe(0);
    } finally {
      await node?.kill9();
      rmSync(ballast, { force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('starts read-only on a disk that filled up after a clean stop (no WAL files left to reuse)', { timeout: 60_000 }, async (ctx) => {
    if (mountError) {
      console.warn(`SKIPPED full-disk start test: cannot mount a tmpfs (${mountError})`);
      ctx.skip();
    }
    const seriesDir = join(work.path, 'series-clean');
    mkdirSync(seriesDir);
    const series = generateCtSeries({ dir: seriesDir, count: 2, rows: 128, cols: 128, patientName: 'Clean^Stop' });
    const dataDir = join(mountPoint, 'archive-clean');
    const ballast = join(mountPoint, 'ballast-clean');
    let node: Viewbox | undefined = await startViewbox({ dataDir });
    try {
      const sent = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: seriesDir });
      expect(sent.stored, sent.log.slice(-2000)).toHaveLength(2);
      expect((await node.stop()).code).toBe(0);
      expect(readdirSync(dataDir).filter((f) => f.startsWith('index.sqlite-'))).toEqual([]);
      fillDisk(ballast);

      node = await startViewbox({ dataDir });
      expect(await storageOf(node)).toMatchObject({ writable: false, reason: 'disk full' });
      const qido = await api(node, `/dicom-web/studies?PatientName=Clean*`, { headers: { accept: 'application/dicom+json' } });
      expect(qido.status).toBe(200);
      expect(((await qido.json()) as unknown[]).length).toBe(1);
      const file = series.files[0]!;
      const wado = await api(node, `/dicom-web/studies/${series.studyUid}/series/${series.seriesUid}/instances/${file.sopInstanceUid}`, {
        headers: { accept: 'multipart/related; type="application/dicom"' },
      });
      const [part] = splitMultipart(new Uint8Array(await wado.arrayBuffer()), boundaryOf(wado.headers.get('content-type')));
      expect(Buffer.compare(splitPart10(part!.bytes).dataset, splitPart10(readFileSync(file.path)).dataset)).toBe(0);
      const started = Date.now();
      const exit = await node.service.stop('SIGTERM', 40_000);
      node = undefined;
      expect(exit.signal).toBeNull();
      expect(Date.now() - started).toBeLessThan(STOP_GRACE_MS + 2_000);
    } finally {
      await node?.kill9();
      rmSync(ballast, { force: true });
    }
  });
});
