/**
 * Slow senders and half-closing peers against the real node (`viewbox serve`)
 * over real sockets. A sender that drips bytes inside a PDU or a DIMSE message
 * resets the idle timer with every byte; the receive-rate and per-PDU limits
 * must free its slot anyway, so legitimate callers get in again.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CT_IMAGE_STORAGE, generateCtSeries } from '../../fixtures/ct-series.js';
import { newUid } from '../../fixtures/part10-writer.js';
import { splitPart10 } from '../../fixtures/part10-split.js';
import { tempDir } from '../../helpers/tmp.js';
import {
  associateRq,
  cEchoRq,
  cStoreRq,
  EXPLICIT_VR_LE,
  IMPLICIT_VR_LE,
  openRawAssociation,
  pDataTf,
  PDU,
  RawPeer,
  releaseRq,
  VERIFICATION,
} from '../../helpers/peers/raw-association.js';
import { echoscu, storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { waitFor } from '../../helpers/peers/wait.js';
import { auditArchive } from '../node/archive-state.js';

/** Short limits so the test runs in seconds; the defaults are minutes (docs/configuration.md). */
const LIMITS = {
  maxAssociations: 4,
  artimTimeoutSeconds: 3,
  // Shorter than the drip interval would be no test: every byte resets the idle timer.
  idleTimeoutSeconds: 2,
  minReceiveBytesPerSecond: 64,
  receiveRateWindowSeconds: 3,
  pduTimeoutSeconds: 6,
};
const DRIP_MS = 1000;

let work: Awaited<ReturnType<typeof tempDir>>;
let node: Viewbox;

beforeAll(async () => {
  work = await tempDir('viewbox-slow-sender-');
  const config = join(work.path, 'config.json');
  writeFileSync(config, JSON.stringify({ limits: LIMITS }));
  node = await startViewbox({ dataDir: join(work.path, 'archive'), args: ['--aet', 'SLOW_VBX', '--config', config] });
});
afterAll(async () => {
  const exit = node ? await node.stop() : undefined;
  await work?.cleanup();
  if (exit) expect(exit.code, 'viewbox serve exits 0 on SIGTERM').toBe(0);
});

const ctContext = { id: 1, abstractSyntax: CT_IMAGE_STORAGE, transferSyntaxes: [EXPLICIT_VR_LE] };

/** The header of a P-DATA-TF holding one dataset PDV of `dataLength` bytes, without the data. */
function pDataHeader(dataLength: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt8(PDU.pData, 0);
  header.writeUInt32BE(dataLength + 6, 2);
  header.writeUInt32BE(dataLength + 2, 6);
  header.writeUInt8(1, 10); // presentation context 1
  header.writeUInt8(0, 11); // dataset, not the last fragment
  return header;
}

interface Drip {
  callingAe: string;
  startedAt: number;
  /** When the node closed the connection (undefined while open). */
  closedAt?: number;
  /** The last PDU the node sent before closing (A-ABORT expected). */
  lastPdu?: number;
  stop(): void;
}

/**
 * Associate, send a C-STORE-RQ command, then drip its dataset: `in-pdu` sends
 * one byte every tick inside one P-DATA-TF announced large; `pdu-per-tick`
 * sends a whole P-DATA-TF of one byte every tick (each PDU completes, the
 * message never does); `steady` sends `bytesPerTick` inside one large PDU.
 */
async function startDrip(callingAe: string, kind: 'in-pdu' | 'pdu-per-tick' | 'steady', bytesPerTick = 1): Promise<Drip> {
  const { peer } = await openRawAssociation({ port: node.dicomPort, callingAe, calledAe: node.aet, contexts: [ctContext] });
  const drip: Drip = { callingAe, startedAt: Date.now(), stop: () => clearInterval(timer) };
  await peer.send(pDataTf([{ contextId: 1, command: true, last: true, data: cStoreRq({ sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: newUid(), messageId: 1 }) }]));
  if (kind !== 'pdu-per-tick') await peer.send(pDataHeader(16_000));
  const tick = () =>
    kind === 'pdu-per-tick' ? pDataTf([{ contextId: 1, command: false, last: false, data: Buffer.from([0x5a]) }]) : Buffer.alloc(bytesPerTick, 0x5a);
  const timer = setInterval(() => {
    if (!peer.socket.destroyed) peer.socket.write(tick(), () => {});
  }, DRIP_MS);
  void peer.closed.then(async () => {
    drip.closedAt = Date.now();
    clearInterval(timer);
    for (let pdu = await peer.nextPdu(100).catch(() => undefined); pdu; pdu = await peer.nextPdu(100).catch(() => undefined)) drip.lastPdu = pdu.type;
  });
  drips.push({ drip, peer });
  return drip;
}
const drips: Array<{ drip: Drip; peer: RawPeer }> = [];
afterAll(() => {
  for (const { drip, peer } of drips) {
    drip.stop();
    peer.destroy();
  }
});

/** Open associations of `list` every `everyMs` until all closed or `timeoutMs`: [ms since start, open]. */
async function sampleOpen(list: Drip[], everyMs: number, timeoutMs: number): Promise<Array<[number, number]>> {
  const start = Date.now();
  const samples: Array<[number, number]> = [];
  for (;;) {
    const open = list.filter((d) => d.closedAt === undefined).length;
    samples.push([Date.now() - start, open]);
    if (open === 0 || Date.now() - start > timeoutMs) return samples;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A whole C-ECHO on a fresh association (connect, AC, RSP, release): milliseconds. */
async function echoRoundTrip(): Promise<number> {
  const started = process.hrtime.bigint();
  const { peer } = await openRawAssociation({
    port: node.dicomPort,
    callingAe: 'ECHO_PROBE',
    calledAe: node.aet,
    contexts: [{ id: 1, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_VR_LE] }],
  });
  await peer.send(pDataTf([{ contextId: 1, command: true, last: true, data: cEchoRq(1) }]));
  const response = await peer.nextResponse(5_000);
  await peer.send(releaseRq());
  expect((await peer.nextPdu())?.type).toBe(PDU.releaseRp);
  peer.destroy();
  expect(response.status).toBe(0);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function abortLines(callingAe: string): Array<Record<string, unknown>> {
  return node
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes(`"${callingAe}"`) && l.includes('association aborted'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('slow senders', () => {
  it('associations dripping one byte a second hold every slot only until the receive-rate limit frees them', async () => {
    const held = await Promise.all([
      startDrip('DRIP_BYTE1', 'in-pdu'),
      startDrip('DRIP_BYTE2', 'in-pdu'),
      startDrip('DRIP_PDU1', 'pdu-per-tick'),
      startDrip('DRIP_PDU2', 'pdu-per-tick'),
    ]);
    // Every slot is taken: a legitimate caller is refused meanwhile.
    const refused = await echoscu({ port: node.dicomPort, calledAet: node.aet });
    expect(refused.ok, 'echoscu is refused while the drips hold every slot').toBe(false);

    const samples = await sampleOpen(held, 250, 20_000);
    const heldMs = held.map((d) => (d.closedAt ?? Date.now()) - d.startedAt);
    console.log(`slots held by ${held.length} one-byte-a-second drips (ms): ${heldMs.join(', ')}; open over time [ms, open]: ${JSON.stringify(samples.filter((_, i) => i % 4 === 0))}`);
    for (const drip of held) {
      expect(drip.closedAt, `${drip.callingAe} still holds its slot`).toBeDefined();
      // The rate is judged over a window of receive time; a few ticks of slack for the check's period.
      expect(drip.closedAt! - drip.startedAt).toBeLessThan((LIMITS.receiveRateWindowSeconds + 3) * 1000);
      await waitFor(`${drip.callingAe}'s A-ABORT`, () => drip.lastPdu !== undefined, 2_000).catch(() => undefined);
      expect(drip.lastPdu, `${drip.callingAe}: A-ABORT before the close`).toBe(PDU.abort);
      const [line] = abortLines(drip.callingAe);
      expect(line, `abort of ${drip.callingAe} logged`).toBeDefined();
      expect(line).toMatchObject({ level: 'warn', callingAe: drip.callingAe });
      expect(String(line!.remote)).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(String(line!.reason)).toMatch(/bytes\/s/);
    }

    // The slots are free: a real modality gets in, and nothing of the drips was kept.
    const echo = await echoscu({ port: node.dicomPort, calledAet: node.aet });
    expect(echo.ok, echo.log).toBe(true);
    const dir = join(work.path, 'good');
    mkdirSync(dir);
    const { files } = generateCtSeries({ dir, count: 2, rows: 64, cols: 64 });
    const run = await storescu({ port: node.dicomPort, calledAet: node.aet, files: files.map((f) => f.path) });
    expect(run.stored, run.log).toHaveLength(2);
    await waitFor('staging/ to be empty', async () => (await auditArchive(node.data)).stagingFiles.length === 0, 10_000);
  }, 60_000);

  it('a PDU sent above the minimum rate but never finished is aborted at the per-PDU deadline', async () => {
    // 200 bytes a second passes the rate limit (64 bytes/s); the 16 000-byte PDU would take 80 s.
    const drip = await startDrip('DRIP_STEADY', 'steady', 200);
    await waitFor('the steady drip to be aborted', () => drip.closedAt !== undefined, (LIMITS.pduTimeoutSeconds + 4) * 1000);
    const heldMs = drip.closedAt! - drip.startedAt;
    console.log(`a 200 bytes/s sender inside one PDU held its slot ${heldMs} ms (pduTimeoutSeconds ${LIMITS.pduTimeoutSeconds})`);
    expect(heldMs).toBeGreaterThanOrEqual(LIMITS.pduTimeoutSeconds * 1000 - 500);
    const [line] = abortLines('DRIP_STEADY');
    expect(String(line?.reason)).toMatch(/PDU/);
  }, 30_000);

  it('a slow but steady sender (above the minimum rate, PDUs within the deadline) is not cut off', async () => {
    const dir = join(work.path, 'steady');
    mkdirSync(dir);
    const { files } = generateCtSeries({ dir, count: 1, rows: 32, cols: 32 });
    const { meta, dataset } = splitPart10(readFileSync(files[0]!.path), files[0]!.path);
    const { peer } = await openRawAssociation({
      port: node.dicomPort,
      callingAe: 'SLOW_WAN',
      calledAe: node.aet,
      contexts: [{ id: 1, abstractSyntax: meta.sopClassUid!, transferSyntaxes: [meta.transferSyntaxUid] }],
    });
    const command = cStoreRq({ sopClassUid: meta.sopClassUid!, sopInstanceUid: meta.sopInstanceUid!, messageId: 1 });
    const pdus = [pDataTf([{ contextId: 1, command: true, last: true, data: command }])];
    for (let at = 0; at < dataset.length; at += 600) {
      pdus.push(pDataTf([{ contextId: 1, command: false, last: at + 600 >= dataset.length, data: dataset.subarray(at, at + 600) }]));
    }
    // 100 bytes every 250 ms: ~400 bytes/s (minimum 64) over several rate windows; a 612-byte PDU takes ~1.5 s (deadline 6 s).
    const stream = Buffer.concat(pdus);
    const started = Date.now();
    for (let at = 0; at < stream.length; at += 100) {
      await peer.send(stream.subarray(at, at + 100));
      await new Promise((r) => setTimeout(r, 250));
    }
    const response = await peer.nextResponse(10_000);
    const seconds = (Date.now() - started) / 1000;
    expect(response.status, `status 0x${response.status.toString(16)} after ${seconds} s`).toBe(0);
    expect(seconds).toBeGreaterThan(LIMITS.receiveRateWindowSeconds * 2);
    peer.destroy();
    await waitFor('the instance to be indexed', async () => (await auditArchive(node.data)).bySopUid.has(meta.sopInstanceUid!), 10_000);
  }, 40_000);

  it('a C-ECHO on a free slot answers promptly while drips hold the others', async () => {
    const held = await Promise.all([startDrip('DRIP_LAT1', 'in-pdu'), startDrip('DRIP_LAT2', 'in-pdu'), startDrip('DRIP_LAT3', 'pdu-per-tick')]);
    const latencies: number[] = [];
    while (held.some((d) => d.closedAt === undefined) && latencies.length < 40) {
      latencies.push(await echoRoundTrip());
      await new Promise((r) => setTimeout(r, 100));
    }
    latencies.sort((a, b) => a - b);
    const p50 = latencies[Math.floor(latencies.length / 2)]!;
    const max = latencies[latencies.length - 1]!;
    console.log(`C-ECHO (associate + echo + release) while ${held.length} drips were active: ${latencies.length} probes, p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
    // Loose on the worst probe: this machine's two cores are shared with other test runs.
    expect(p50).toBeLessThan(100);
    expect(max).toBeLessThan(500);
    await waitFor('the drips to be aborted', () => held.every((d) => d.closedAt !== undefined), 10_000);
  }, 30_000);

  it('an A-ASSOCIATE-RQ dripped one byte at a time is cut off at the ARTIM timeout', async () => {
    const peer = await RawPeer.connect(node.dicomPort);
    const rq = associateRq({ callingAe: 'DRIP_RQ', calledAe: node.aet, contexts: [ctContext] });
    const started = Date.now();
    let at = 0;
    const timer = setInterval(() => {
      if (at < rq.length && !peer.socket.destroyed) peer.socket.write(rq.subarray(at, ++at), () => {});
    }, 250);
    await Promise.race([peer.closed, new Promise((r) => setTimeout(r, (LIMITS.artimTimeoutSeconds + 3) * 1000))]);
    clearInterval(timer);
    const heldMs = Date.now() - started;
    peer.destroy();
    console.log(`a dripped A-ASSOCIATE-RQ kept its connection ${heldMs} ms (artimTimeoutSeconds ${LIMITS.artimTimeoutSeconds})`);
    expect(heldMs).toBeLessThan((LIMITS.artimTimeoutSeconds + 1.5) * 1000);
  }, 20_000);
});

describe('a peer that half-closes after its last PDU', () => {
  it('still gets its C-STORE response, the instance is stored and the slot is freed', async () => {
    const dir = join(work.path, 'half-close');
    mkdirSync(dir);
    const { files } = generateCtSeries({ dir, count: 1, rows: 64, cols: 64 });
    const { meta, dataset } = splitPart10(readFileSync(files[0]!.path), files[0]!.path);
    const { peer, maxPdu } = await openRawAssociation({
      port: node.dicomPort,
      callingAe: 'HALF_CLOSE',
      calledAe: node.aet,
      contexts: [{ id: 1, abstractSyntax: meta.sopClassUid!, transferSyntaxes: [meta.transferSyntaxUid] }],
    });
    const pdus = [pDataTf([{ contextId: 1, command: true, last: true, data: cStoreRq({ sopClassUid: meta.sopClassUid!, sopInstanceUid: meta.sopInstanceUid!, messageId: 1 }) }])];
    const fragment = maxPdu - 6 - 6;
    for (let at = 0; at < dataset.length; at += fragment) {
      pdus.push(pDataTf([{ contextId: 1, command: false, last: at + fragment >= dataset.length, data: dataset.subarray(at, at + fragment) }]));
    }
    // The last PDU and the FIN together: the peer writes no more but still reads.
    peer.socket.end(Buffer.concat(pdus));
    const response = await peer.nextResponse(10_000);
    expect(response.status, `status 0x${response.status.toString(16)}`).toBe(0);
    await Promise.race([peer.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('node kept the half-closed connection')), 5_000))]);
    await waitFor('the instance to be indexed', async () => (await auditArchive(node.data)).bySopUid.has(meta.sopInstanceUid!), 10_000);
    // The slot is free again: every one of maxAssociations can be taken.
    const peers = await Promise.all(
      Array.from({ length: LIMITS.maxAssociations }, () => openRawAssociation({ port: node.dicomPort, callingAe: 'FILLER', calledAe: node.aet, contexts: [ctContext] })),
    );
    for (const p of peers) p.peer.destroy();
  }, 30_000);
});
