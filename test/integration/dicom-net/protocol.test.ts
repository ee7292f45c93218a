/**
 * The upper layer and DIMSE handling against a raw peer that sends what real
 * tools never do: lying lengths, PDUs out of order, silence, vanishing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CT_IMAGE_STORAGE } from '../../fixtures/ct-series.js';
import { newUid } from '../../fixtures/part10-writer.js';
import {
  associateRq,
  cEchoRq,
  cStoreRq,
  EXPLICIT_VR_LE,
  IMPLICIT_VR_LE,
  openRawAssociation,
  pDataTf,
  PDU,
  rawCStore,
  RawPeer,
  releaseRq,
  VERIFICATION,
} from '../../helpers/peers/raw-association.js';
import { echoscu } from '../../helpers/peers/storescu.js';
import { IngestError } from '../../../main/store/instance-sink.js';
import { startHarness, type Harness } from './server-harness.js';

const JPEG_LOSSLESS = '1.2.840.10008.1.2.4.70';
const dataset = (size: number) => Buffer.alloc(size, 0x5a);
const ctContext = { id: 1, abstractSyntax: CT_IMAGE_STORAGE, transferSyntaxes: [EXPLICIT_VR_LE] };

function closedWithin(peer: RawPeer, ms: number): Promise<void> {
  return Promise.race([peer.closed, new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms))]);
}

async function expectAbortAndClose(peer: RawPeer): Promise<void> {
  const answer = await peer.nextPdu(10_000);
  expect(answer?.type, 'A-ABORT expected').toBe(PDU.abort);
  expect(answer?.body.readUInt8(2), 'abort source: service provider').toBe(2);
  await closedWithin(peer, 5_000);
}

describe('protocol errors', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(() => h.server.close(500));
  afterEach(async () => {
    const echo = await echoscu({ port: h.port, calledAet: h.aet });
    expect(echo.ok, `server still serves after the case: ${echo.log}`).toBe(true);
  });

  const associate = () => openRawAssociation({ port: h.port, callingAe: 'RAW', calledAe: h.aet, contexts: [ctContext] });
  const command = () => cStoreRq({ sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: newUid(), messageId: 1 });

  it('a P-DATA-TF longer than our max PDU → A-ABORT, socket closed, log line', async () => {
    const { peer } = await associate();
    await peer.send(pDataTf([{ contextId: 1, command: true, last: true, data: command() }], 0x7fff0000));
    await expectAbortAndClose(peer);
    expect(h.logged('warn', 'exceeds the maximum PDU length').length).toBeGreaterThan(0);
  });

  it('a PDV longer than its PDU → A-ABORT', async () => {
    const { peer } = await associate();
    const data = command();
    await peer.send(pDataTf([{ contextId: 1, command: true, last: true, data, lengthOverride: data.length + 5000 }]));
    await expectAbortAndClose(peer);
  });

  it('data on a context that was never accepted → A-ABORT', async () => {
    const { peer } = await associate();
    await peer.send(pDataTf([{ contextId: 99, command: true, last: true, data: command() }]));
    await expectAbortAndClose(peer);
    expect(h.logged('warn', 'context 99').length).toBeGreaterThan(0);
  });

  it('P-DATA before any association → A-ABORT', async () => {
    const peer = await RawPeer.connect(h.port);
    await peer.send(pDataTf([{ contextId: 1, command: true, last: true, data: command() }]));
    await expectAbortAndClose(peer);
  });

  it('an unknown PDU type → A-ABORT with reason unrecognised PDU', async () => {
    const { peer } = await associate();
    await peer.send(Buffer.from([0x42, 0, 0, 0, 0, 4, 0, 0, 0, 0]));
    const answer = await peer.nextPdu();
    expect(answer?.type).toBe(PDU.abort);
    expect(answer?.body.readUInt8(3)).toBe(1);
    await closedWithin(peer, 5_000);
  });

  it('a dataset cut off mid-way by an A-ABORT, then a protocol error: the writer is aborted', async () => {
    const { peer } = await associate();
    const sopInstanceUid = newUid();
    await peer.send(pDataTf([{ contextId: 1, command: true, last: true, data: cStoreRq({ sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid, messageId: 1 }) }]));
    await peer.send(pDataTf([{ contextId: 1, command: false, last: false, data: dataset(4000) }]));
    await peer.send(pDataTf([{ contextId: 3, command: false, last: true, data: dataset(10) }]));
    await expectAbortAndClose(peer);
    await waitUntil(() => h.sink.instances.find((i) => i.incoming.sopInstanceUid === sopInstanceUid)?.state === 'aborted');
  });

  it('a peer that vanishes mid-instance → writer.abort(), no response', async () => {
    const { peer } = await associate();
    const sopInstanceUid = newUid();
    await peer.send(pDataTf([{ contextId: 1, command: true, last: true, data: cStoreRq({ sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid, messageId: 1 }) }]));
    await peer.send(pDataTf([{ contextId: 1, command: false, last: false, data: dataset(8000) }]));
    await waitUntil(() => h.sink.instances.some((i) => i.incoming.sopInstanceUid === sopInstanceUid && i.bytes === 8000));
    peer.destroy();
    await waitUntil(() => h.sink.instances.find((i) => i.incoming.sopInstanceUid === sopInstanceUid)?.state === 'aborted');
    expect(h.logged('warn', 'middle of an instance').length).toBeGreaterThan(0);
  });
});

describe('negotiation', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness({ limits: { maxAssociations: 2 }, acceptUnknownCallers: false, nodes: [{ name: 'Modality', aet: 'MODALITY', host: '127.0.0.1', port: 104, allow: ['store'] }] })));
  afterAll(() => h.server.close(500));

  it('accepts the first standard syntax proposed, compressed included; refuses unknown classes (3) and syntaxes (4)', async () => {
    const madeUp = newUid();
    const { peer, accepted, maxPdu } = await openRawAssociation({
      port: h.port,
      callingAe: 'MODALITY',
      calledAe: h.aet,
      contexts: [
        { id: 1, abstractSyntax: CT_IMAGE_STORAGE, transferSyntaxes: ['1.2.3.4.private', JPEG_LOSSLESS, EXPLICIT_VR_LE] },
        { id: 3, abstractSyntax: madeUp, transferSyntaxes: [EXPLICIT_VR_LE] },
        { id: 5, abstractSyntax: CT_IMAGE_STORAGE, transferSyntaxes: ['1.2.3.4.private'] },
        { id: 7, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_VR_LE] },
      ],
    });
    expect(accepted).toEqual([
      { id: 1, result: 0, transferSyntax: JPEG_LOSSLESS },
      expect.objectContaining({ id: 3, result: 3 }),
      expect.objectContaining({ id: 5, result: 4 }),
      { id: 7, result: 0, transferSyntax: IMPLICIT_VR_LE },
    ]);
    expect(maxPdu).toBe(16384);
    await peer.send(releaseRq());
    expect((await peer.nextPdu())?.type).toBe(PDU.releaseRp);
    peer.destroy();
  });

  it('refuses an unknown calling AE (reason 3) and logs calling AE, called AE, address and reason', async () => {
    const peer = await RawPeer.connect(h.port);
    await peer.send(associateRq({ callingAe: 'STRANGER', calledAe: h.aet, contexts: [ctContext] }));
    const answer = await peer.nextPdu();
    expect(answer?.type).toBe(PDU.associateRj);
    expect([...answer!.body]).toEqual([0, 1, 1, 3]);
    await closedWithin(peer, 2_000);
    const line = h.logged('warn', 'STRANGER')[0];
    expect(line).toMatchObject({ msg: 'association refused', callingAe: 'STRANGER', calledAe: h.aet });
    expect(String(line?.remoteAddress)).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(String(line?.reason)).toContain('not a configured node');
  });

  it('refuses beyond maxAssociations: transient, source 3, reason 2', async () => {
    const open = await Promise.all([1, 2].map(() => openRawAssociation({ port: h.port, callingAe: 'MODALITY', calledAe: h.aet, contexts: [ctContext] })));
    const peer = await RawPeer.connect(h.port);
    await peer.send(associateRq({ callingAe: 'MODALITY', calledAe: h.aet, contexts: [ctContext] }));
    const answer = await peer.nextPdu();
    expect([...answer!.body]).toEqual([0, 2, 3, 2]);
    peer.destroy();
    for (const { peer: p } of open) p.destroy();
    await waitUntil(() => h.server.activeAssociations === 0);
  });
});

describe('C-STORE outcomes', () => {
  let h: Harness;
  const failures = new Map<string, IngestError>();
  beforeAll(
    async () =>
      (h = await startHarness({
        limits: { maxObjectBytes: 100_000 },
        sink: { onCommit: (instance) => failures.get(instance.incoming.sopInstanceUid) },
      })),
  );
  afterAll(() => h.server.close(500));

  async function store(size: number, failure?: IngestError) {
    const { peer, maxPdu } = await openRawAssociation({ port: h.port, callingAe: 'RAW', calledAe: h.aet, contexts: [ctContext, { id: 3, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_VR_LE] }] });
    const sopInstanceUid = newUid();
    if (failure) failures.set(sopInstanceUid, failure);
    const response = await rawCStore(peer, { contextId: 1, sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid, messageId: 7, dataset: dataset(size), maxPdu });
    // the association stays usable after any failure status
    await peer.send(pDataTf([{ contextId: 3, command: true, last: true, data: cEchoRq(8) }]));
    expect((await peer.nextResponse()).status).toBe(0);
    peer.destroy();
    return { response, instance: h.sink.instances.find((i) => i.incoming.sopInstanceUid === sopInstanceUid) };
  }

  it('success: 0000 after commit, every byte delivered, in PDU-sized fragments', async () => {
    const { response, instance } = await store(60_000);
    expect(response.status).toBe(0);
    expect(instance).toMatchObject({ state: 'committed', bytes: 60_000 });
    expect(instance!.writes).toBeGreaterThanOrEqual(4);
  });

  it('an object beyond maxObjectBytes: writer aborted, A700 naming the limit', async () => {
    const { response, instance } = await store(150_000);
    expect(response).toEqual({ status: 0xa700, errorComment: 'object larger than 100000 bytes' });
    expect(instance?.state).toBe('aborted');
  });

  it.each([
    ['malformed', 0xc000],
    ['uid-mismatch', 0xa900],
    ['duplicate-rejected', 0x0111],
    ['disk-full', 0xa700],
    ['io', 0xa700],
  ] as const)('IngestError %s → status %s with the reason as Error Comment', async (code, status) => {
    const { response } = await store(1000, new IngestError(code, `sink says ${code}`));
    expect(response).toEqual({ status, errorComment: `sink says ${code}` });
  });

  it('a C-STORE whose SOP class is not its context\'s → 0122; an unimplemented command → 0211', async () => {
    const { peer } = await openRawAssociation({ port: h.port, callingAe: 'RAW', calledAe: h.aet, contexts: [ctContext] });
    const wrongClass = cStoreRq({ sopClassUid: '1.2.840.10008.5.1.4.1.1.4', sopInstanceUid: newUid(), messageId: 1 });
    await peer.send(pDataTf([{ contextId: 1, command: true, last: true, data: wrongClass }]));
    await peer.send(pDataTf([{ contextId: 1, command: false, last: true, data: dataset(100) }]));
    expect((await peer.nextResponse()).status).toBe(0x0122);
    // N-GET-RQ (0x0110), which we do not implement, with a dataset: drained, then refused
    const nGet = Buffer.from(cEchoRq(2));
    nGet.writeUInt16LE(0x0110, nGet.indexOf(Buffer.from([0x00, 0x00, 0x00, 0x01])) + 8);
    nGet.writeUInt16LE(0x0000, nGet.length - 2);
    await peer.send(pDataTf([{ contextId: 1, command: true, last: true, data: nGet }]));
    await peer.send(pDataTf([{ contextId: 1, command: false, last: true, data: dataset(100) }]));
    const refused = await peer.nextResponse();
    expect(refused.status).toBe(0x0211);
    expect(refused.errorComment).toContain('unrecognised operation');
    peer.destroy();
  });
});

describe('backpressure', () => {
  it('a slow sink gets one write at a time and every byte, in order, and the store succeeds', async () => {
    const h = await startHarness({ sink: { writeDelayMs: 15 } });
    const { peer, maxPdu } = await openRawAssociation({ port: h.port, callingAe: 'RAW', calledAe: h.aet, contexts: [ctContext] });
    const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) & 0xff));
    const sopInstanceUid = newUid();
    // send everything at once so the server's socket has data waiting while the sink is slow
    const command = cStoreRq({ sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid, messageId: 1 });
    const pdus = [pDataTf([{ contextId: 1, command: true, last: true, data: command }])];
    for (let at = 0; at < payload.length; at += 16_000) pdus.push(pDataTf([{ contextId: 1, command: false, last: at + 16_000 >= payload.length, data: payload.subarray(at, at + 16_000) }]));
    void peer.send(Buffer.concat(pdus));
    expect((await peer.nextResponse(30_000)).status).toBe(0);
    const instance = h.sink.instances.find((i) => i.incoming.sopInstanceUid === sopInstanceUid)!;
    expect(instance).toMatchObject({ state: 'committed', bytes: payload.length, maxPendingWrites: 1 });
    expect(maxPdu).toBe(16384);
    peer.destroy();
    await h.server.close(500);
  });
});

describe('timeouts and shutdown', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness({ limits: { artimTimeoutSeconds: 1, idleTimeoutSeconds: 1 } })));
  afterAll(() => h.server.close(500));

  it('no A-ASSOCIATE-RQ within ARTIM → the socket is closed', async () => {
    const peer = await RawPeer.connect(h.port);
    await closedWithin(peer, 3_000);
    expect(h.logged('warn', 'ARTIM').length).toBeGreaterThan(0);
  });

  it('an open association silent beyond the idle timeout → A-ABORT and close, and a log line', async () => {
    const { peer } = await openRawAssociation({ port: h.port, callingAe: 'RAW', calledAe: h.aet, contexts: [ctContext] });
    const started = Date.now();
    await expectAbortAndClose(peer);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(h.logged('warn', 'idle for 1 s').length).toBeGreaterThan(0);
  });

  it('close(grace) aborts associations still open after the grace period and resolves when all are closed', async () => {
    const other = await startHarness();
    const { peer } = await openRawAssociation({ port: other.port, callingAe: 'RAW', calledAe: other.aet, contexts: [ctContext] });
    expect(other.server.activeAssociations).toBe(1);
    await other.server.close(200);
    expect(other.server.activeAssociations).toBe(0);
    expect((await peer.nextPdu())?.type).toBe(PDU.abort);
  });
});

async function waitUntil(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
