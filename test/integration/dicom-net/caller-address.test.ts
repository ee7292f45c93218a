/**
 * The caller's address decides for a configured AE title: a node whose host
 * is 127.0.0.3 is refused when its AE title calls from 127.0.0.1 (and the log
 * names AE, address and the expected one), and accepted from 127.0.0.3. DCMTK
 * cannot choose its source address, so the calls are raw sockets with
 * `localAddress`.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associateRq, VERIFICATION, EXPLICIT_VR_LE } from '../../helpers/peers/raw-association.js';
import { startHarness, type Harness } from './server-harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    acceptUnknownCallers: true,
    nodes: [
      { name: 'Modality', aet: 'MODALITY', host: '127.0.0.3', port: 104, allow: ['store'] },
      // A host name, resolved by the system resolver: localhost is 127.0.0.1 (and ::1), never 127.0.0.3.
      { name: 'Workstation', aet: 'WS', host: 'localhost', port: 104, allow: ['store', 'find'] },
    ],
  });
});

afterAll(async () => {
  await harness?.server.close(1000);
});

/** Request an association as `callingAe` from `localAddress`; the answer PDU: A-ASSOCIATE-AC (2) or -RJ (3, with result/source/reason). */
function associateFrom(localAddress: string, callingAe: string): Promise<{ type: number; rj?: { result: number; source: number; reason: number } }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: harness.port, localAddress }, () => {
      socket.write(associateRq({ callingAe, calledAe: harness.aet, contexts: [{ id: 1, abstractSyntax: VERIFICATION, transferSyntaxes: [EXPLICIT_VR_LE] }] }));
    });
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 6 || received.length < 6 + received.readUInt32BE(2)) return;
      const type = received.readUInt8(0);
      socket.destroy();
      resolve(type === 3 ? { type, rj: { result: received.readUInt8(7), source: received.readUInt8(8), reason: received.readUInt8(9) } } : { type });
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed with no answer to ${callingAe} from ${localAddress}`)));
  });
}

describe('a configured AE title calls from its host only', () => {
  it('refuses MODALITY (host 127.0.0.3) calling from 127.0.0.1: permanent, calling AE not recognized; the log names AE, address and the expected address', async () => {
    const answer = await associateFrom('127.0.0.1', 'MODALITY');
    expect(answer).toEqual({ type: 3, rj: { result: 1, source: 1, reason: 3 } });
    const [line] = harness.logged('warn', 'association refused');
    expect(line).toMatchObject({ callingAe: 'MODALITY', reason: 'calling AE title "MODALITY" called from 127.0.0.1, but is configured for node "Modality" at 127.0.0.3' });
    expect(String(line!.remoteAddress)).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('accepts MODALITY calling from 127.0.0.3', async () => {
    expect(await associateFrom('127.0.0.3', 'MODALITY')).toEqual({ type: 2 });
  });

  it('a host name stands for the addresses it resolves to', async () => {
    expect(await associateFrom('127.0.0.1', 'WS')).toEqual({ type: 2 });
    expect(await associateFrom('127.0.0.3', 'WS')).toMatchObject({ type: 3, rj: { reason: 3 } });
    expect(harness.logged('warn', 'node \\"Workstation\\" at localhost (127.0.0.1')).toHaveLength(1);
  });

  it('an AE title no node has is still an unknown caller, from any address (acceptUnknownCallers)', async () => {
    expect(await associateFrom('127.0.0.3', 'STRANGER')).toEqual({ type: 2 });
  });
});
