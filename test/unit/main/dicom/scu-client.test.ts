/**
 * The requestor against a scripted acceptor on a local socket, for what real
 * peers do not do on demand: stay silent, abort, accept nothing, stream
 * C-FIND answers until a C-CANCEL. Plus the pure parts: context planning,
 * reasons and statuses in words.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeAbort, describeRejection } from '../../../../main/dicom/scu/association-reasons.js';
import { describeStatus, statusClass } from '../../../../main/dicom/status.js';
import { echo } from '../../../../main/dicom/scu/echo.js';
import { find } from '../../../../main/dicom/scu/find.js';
import { COMPRESSED_SYNTAXES, getStorageContexts, RADIOLOGY_STORAGE_CLASSES } from '../../../../main/dicom/scu/get-contexts.js';
import { AssociationAbortedError, ContextNotAcceptedError, ScuConnectionError, ScuTimeoutError } from '../../../../main/dicom/scu/scu-error.js';
import { planStoreBatches } from '../../../../main/dicom/scu/store-contexts.js';
import { CommandField, decodeCommandSet, encodeResponse, Tag, type CommandSet } from '../../../../main/dicom/ul/dimse-command.js';
import { writeMessage } from '../../../../main/dicom/ul/message-writer.js';
import { decodeAssociateRq, encodeAbort, encodeAssociateAc, encodeReleaseRp, PduType, type AssociateRq } from '../../../../main/dicom/ul/pdu-codec.js';
import { PduReader } from '../../../../main/dicom/ul/pdu-reader.js';
import { parseDataset } from '../../../../shared/dicom/dataset-parser.js';
import { encodeDataset } from '../../../../shared/dicom/dataset-writer.js';
import { EXPLICIT_VR_LE, isStorageSopClass, transferSyntax } from '../../../../shared/dicom/uid-registry.js';
import { freePort } from '../../../helpers/net.js';
import { testPeer } from '../../../integration/scu/scu-peer.js';

interface Script {
  /** Answer the A-ASSOCIATE-RQ (default: accept every context in its first syntax). */
  onAssociate?: (rq: AssociateRq, socket: Socket) => void;
  /** A whole DIMSE message arrived (command, and its dataset if any). */
  onMessage?: (message: { contextId: number; command: CommandSet; dataset?: Uint8Array }, socket: Socket) => void;
  /** Any PDU other than P-DATA. */
  onPdu?: (type: number) => void;
}

const servers: Server[] = [];
afterEach(async () => {
  while (servers.length) await new Promise((resolve) => servers.pop()!.close(resolve));
});

function acceptAll(rq: AssociateRq, socket: Socket): void {
  const contexts = rq.contexts.map((c) => ({ id: c.id, result: 0, transferSyntax: c.transferSyntaxes[0]! }));
  socket.write(encodeAssociateAc({ calledAe: rq.calledAe, callingAe: rq.callingAe, contexts, userInfo: { maxPduLength: 16384, roles: [] } }));
}

/** A scripted acceptor; returns its port. */
async function scriptedPeer(script: Script): Promise<number> {
  const server = createServer((socket) => {
    const reader = new PduReader({ maxPduLength: 0 });
    let command: Uint8Array[] = [];
    let dataset: Uint8Array[] = [];
    let pending: { contextId: number; command: CommandSet } | undefined;
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const event of reader.feed(chunk)) {
        if (event.kind === 'pdu') {
          script.onPdu?.(event.type);
          if (event.type === PduType.associateRq) (script.onAssociate ?? acceptAll)(decodeAssociateRq(event.body), socket);
          if (event.type === PduType.releaseRq) socket.end(encodeReleaseRp());
          continue;
        }
        (event.command ? command : dataset).push(Buffer.from(event.data));
        if (!event.final) continue;
        if (event.command) {
          const decoded = decodeCommandSet(Buffer.concat(command));
          command = [];
          if (decoded.hasDataset) pending = { contextId: event.contextId, command: decoded };
          else script.onMessage?.({ contextId: event.contextId, command: decoded }, socket);
        } else {
          script.onMessage?.({ ...pending!, dataset: Buffer.concat(dataset) }, socket);
          dataset = [];
          pending = undefined;
        }
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('association failures', () => {
  it('says it cannot connect when nothing listens', async () => {
    const error = await echo(testPeer({ aet: 'NOBODY', port: await freePort() })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScuConnectionError);
    expect((error as Error).message).toMatch(/NOBODY at 127\.0\.0\.1:\d+\): cannot connect: connection refused: nothing listens at that address and port .*\[ECONNREFUSED\]/);
  });

  it('times out when the A-ASSOCIATE-AC never comes', async () => {
    const port = await scriptedPeer({ onAssociate: () => undefined });
    const error = await echo(testPeer({ aet: 'MUTE', port }, { limits: { artimTimeoutSeconds: 0.2 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScuTimeoutError);
    expect((error as Error).message).toMatch(/no A-ASSOCIATE-AC within 0\.2 s/);
  });

  it('times out and aborts when the peer stays silent after a request', async () => {
    const seen: number[] = [];
    const port = await scriptedPeer({ onPdu: (type) => seen.push(type) });
    const error = await echo(testPeer({ aet: 'SILENT', port }, { limits: { idleTimeoutSeconds: 0.3 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScuTimeoutError);
    expect((error as Error).message).toMatch(/"silent" \(SILENT at 127\.0\.0\.1:\d+\): no data from the peer for 0\.3 s during C-ECHO/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toContain(PduType.abort);
  });

  it('reports an A-ABORT from the peer with its reason and what was under way', async () => {
    const port = await scriptedPeer({ onMessage: (_m, socket) => socket.end(encodeAbort({ source: 2, reason: 2 })) });
    const error = await echo(testPeer({ aet: 'ABORTER', port })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssociationAbortedError);
    expect((error as Error).message).toMatch(/association aborted by the service provider: unexpected PDU during C-ECHO/);
  });

  it('reports a peer that closes the connection mid-operation', async () => {
    const port = await scriptedPeer({ onMessage: (_m, socket) => socket.destroy() });
    const error = await echo(testPeer({ aet: 'CLOSER', port })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScuConnectionError);
    expect((error as Error).message).toMatch(/connection closed by the peer during C-ECHO/);
  });

  it('says which service the peer did not accept', async () => {
    const port = await scriptedPeer({
      onAssociate: (rq, socket) =>
        socket.write(encodeAssociateAc({ calledAe: rq.calledAe, callingAe: rq.callingAe, contexts: rq.contexts.map((c) => ({ id: c.id, result: 3, transferSyntax: '' })), userInfo: { maxPduLength: 0, roles: [] } })),
    });
    const error = await find(testPeer({ aet: 'PICKY', port }), { level: 'STUDY', keys: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContextNotAcceptedError);
    expect((error as Error).message).toMatch(/does not accept Study Root Query\/Retrieve Information Model - FIND/);
  });
});

describe('C-FIND with C-CANCEL', () => {
  it('sends C-CANCEL for the running query, keeps the answers so far and ends on the final response', async () => {
    const log: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    const port = await scriptedPeer({
      onMessage: ({ contextId, command, dataset }, socket) => {
        if (command.commandField === CommandField.cFindRq) {
          const identifier = parseDataset(dataset!, { transferSyntaxUid: EXPLICIT_VR_LE });
          log.push(`find ${String(identifier['00080052']?.Value?.[0])} ${JSON.stringify(identifier['00100010']?.Value ?? null)}`);
          let n = 0;
          // One answer every 10 ms, endlessly, until cancelled.
          timer = setInterval(() => {
            const answer = encodeDataset({ '00100020': { vr: 'LO', Value: [`PID-${++n}`] }, '00080052': { vr: 'CS', Value: ['PATIENT'] } }, { explicitVr: true });
            void writeMessage(socket, contextId, 16384, encodeResponse(command, 0xff00, { hasDataset: true }), answer).catch(() => undefined);
          }, 10);
          socket.once('close', () => clearInterval(timer));
          (socket as Socket & { request?: CommandSet }).request = command;
        } else if (command.commandField === CommandField.cCancelRq) {
          clearInterval(timer);
          const request = (socket as Socket & { request?: CommandSet }).request!;
          log.push(`cancel ${command.us(Tag.messageIdBeingRespondedTo)} of ${request.us(Tag.messageId)}`);
          void writeMessage(socket, contextId, 16384, encodeResponse(request, 0xfe00));
        }
      },
    });
    const controller = new AbortController();
    const answers = await find(testPeer({ aet: 'ENDLESS', port }), {
      level: 'PATIENT',
      keys: { '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe*' }] }, '00100020': { vr: 'LO' } },
      signal: controller.signal,
      onAnswer: (answer) => {
        if (answer['00100020']?.Value?.[0] === 'PID-3') controller.abort();
      },
    });
    expect(log).toEqual(['find PATIENT [{"Alphabetic":"Doe*"}]', 'cancel 1 of 1']);
    expect(answers.length).toBeGreaterThanOrEqual(3);
    expect(answers.slice(0, 3).map((a) => a['00100020']?.Value?.[0])).toEqual(['PID-1', 'PID-2', 'PID-3']);
  });
});

describe('presentation contexts', () => {
  it('C-GET: the radiology storage classes fit one association, each with the SCP role, images in every syntax', () => {
    const { contexts, roles } = getStorageContexts();
    expect(contexts.length).toBeLessThanOrEqual(127);
    expect(roles).toHaveLength(RADIOLOGY_STORAGE_CLASSES.length);
    expect(roles.every((r) => r.scp && !r.scu)).toBe(true);
    for (const c of RADIOLOGY_STORAGE_CLASSES) {
      expect(isStorageSopClass(c.uid), c.name).toBe(true);
      const syntaxes = contexts.filter((x) => x.abstractSyntax === c.uid).flatMap((x) => x.transferSyntaxes);
      expect(syntaxes.slice(0, 2), c.name).toEqual([EXPLICIT_VR_LE, '1.2.840.10008.1.2']);
      expect(syntaxes.length, c.name).toBe(c.image ? 2 + COMPRESSED_SYNTAXES.length : 2);
    }
    for (const ts of COMPRESSED_SYNTAXES) expect(transferSyntax(ts), ts).toBeDefined();
    // With few classes, every compressed syntax gets a context of its own.
    const ct = getStorageContexts(['1.2.840.10008.5.1.4.1.1.2']).contexts;
    expect(ct.map((c) => c.transferSyntaxes.length)).toEqual([2, ...COMPRESSED_SYNTAXES.map(() => 1)]);
    expect(() => getStorageContexts(Array.from({ length: 130 }, (_, i) => `1.2.3.${i}`))).toThrow(/130 storage classes do not fit the 127/);
  });

  it('C-STORE: stored syntax alone plus Explicit VR LE, split over associations of at most 128 contexts, order kept', () => {
    const instance = (i: number, ts: string) => ({ path: `/x/${i}`, sopClassUid: `1.2.3.${i % 100}`, sopInstanceUid: `9.${i}`, transferSyntaxUid: ts });
    const jpeg = '1.2.840.10008.1.2.4.70';
    const [one] = planStoreBatches([instance(0, jpeg), instance(100, jpeg), instance(1, EXPLICIT_VR_LE)]);
    expect(one!.contexts).toEqual([
      { abstractSyntax: '1.2.3.0', transferSyntaxes: [jpeg] },
      { abstractSyntax: '1.2.3.0', transferSyntaxes: [EXPLICIT_VR_LE] },
      { abstractSyntax: '1.2.3.1', transferSyntaxes: [EXPLICIT_VR_LE] },
    ]);
    const many = Array.from({ length: 200 }, (_, i) => instance(i, jpeg));
    const batches = planStoreBatches(many);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.every((b) => b.contexts.length <= 128)).toBe(true);
    expect(batches.flatMap((b) => b.instances)).toEqual(many);
  });
});

describe('reasons and statuses in words', () => {
  it('names PS3.8 rejection and abort reasons and DIMSE statuses', () => {
    expect(describeRejection({ result: 1, source: 1, reason: 3 })).toBe('rejected permanently by the service user: calling AE title not recognised');
    expect(describeRejection({ result: 2, source: 3, reason: 2 })).toBe('rejected transiently by the service provider (presentation): local limit exceeded');
    expect(describeAbort({ source: 2, reason: 6 })).toBe('aborted by the service provider: invalid PDU parameter value');
    expect(describeStatus(0xa801)).toBe('0xA801 (move destination unknown)');
    expect(describeStatus(0xa7ff)).toBe('0xA7FF (refused)');
    expect([0x0000, 0xff01, 0xfe00, 0xb000, 0x0001, 0xc123].map(statusClass)).toEqual(['success', 'pending', 'cancel', 'warning', 'warning', 'failure']);
  });
});
