/**
 * Storage commitment when the PACS answers on the association of our
 * N-ACTION (PS3.4 J.3.3 allows it while the association is open), when it
 * never answers, and when it refuses the N-ACTION. The peer is a small
 * storage commitment SCP on a real loopback socket, scripted per test.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CommitmentReports } from '../../../main/dicom/commitment-reports.js';
import { requestStorageCommitment } from '../../../main/dicom/scu/storage-commitment.js';
import { DimseFailureError } from '../../../main/dicom/scu/scu-error.js';
import { CommitmentFailureReason } from '../../../main/dicom/status.js';
import {
  CommitmentEvent,
  decodeCommitmentReport,
  encodeCommitmentReport,
  STORAGE_COMMITMENT_PUSH_MODEL,
  STORAGE_COMMITMENT_PUSH_MODEL_INSTANCE,
} from '../../../main/dicom/storage-commitment-sop.js';
import { CommandField, decodeCommandSet, encodeEventReportRequest, encodeResponse, Tag, type CommandSet } from '../../../main/dicom/ul/dimse-command.js';
import { decodeAssociateRq, encodeAssociateAc, encodeReleaseRp, fragmentMessage, PduType } from '../../../main/dicom/ul/pdu-codec.js';
import { PduReader } from '../../../main/dicom/ul/pdu-reader.js';
import { encodeDataset } from '../../../shared/dicom/dataset-writer.js';
import { createLogger, silentLogger } from '../../../main/log.js';
import { waitFor } from '../../helpers/peers/wait.js';
import { testPeer } from './scu-peer.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const held = { sopClassUid: CT, sopInstanceUid: '1.2.826.0.1.3680043.8.498.1' };
const lost = { sopClassUid: CT, sopInstanceUid: '1.2.826.0.1.3680043.8.498.2' };

/** What the scripted SCP does after it received an N-ACTION. */
type Script = (action: { command: CommandSet; dataset: Uint8Array; transferSyntax: string }, send: (command: Uint8Array, dataset?: Uint8Array) => void) => void;

interface ScriptedScp {
  port: number;
  /** The N-EVENT-REPORT-RSPs it received. */
  responses: CommandSet[];
  actions: number;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function scriptedScp(script: Script): Promise<ScriptedScp> {
  const scp: ScriptedScp = { port: 0, responses: [], actions: 0 };
  const server = createServer((socket: Socket) => {
    const reader = new PduReader({ maxPduLength: 65536 });
    let transferSyntax = '';
    let parts: Uint8Array[] = [];
    let command: CommandSet | undefined;
    const send = (contextId: number) => (cmd: Uint8Array, dataset?: Uint8Array) => {
      for (const pdu of fragmentMessage(contextId, true, cmd, 16384)) socket.write(pdu);
      if (dataset) for (const pdu of fragmentMessage(contextId, false, dataset, 16384)) socket.write(pdu);
    };
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const event of reader.feed(chunk)) {
        if (event.kind === 'pdu' && event.type === PduType.associateRq) {
          const rq = decodeAssociateRq(event.body);
          transferSyntax = rq.contexts[0]!.transferSyntaxes[0]!;
          socket.write(encodeAssociateAc({ calledAe: rq.calledAe, callingAe: rq.callingAe, contexts: rq.contexts.map((c) => ({ id: c.id, result: 0, transferSyntax })), userInfo: { maxPduLength: 16384, roles: [] } }));
        } else if (event.kind === 'pdu' && event.type === PduType.releaseRq) {
          socket.end(encodeReleaseRp());
        } else if (event.kind === 'pdv') {
          parts.push(Buffer.from(event.data));
          if (!event.final) continue;
          const bytes = Buffer.concat(parts);
          parts = [];
          if (event.command) {
            const decoded = decodeCommandSet(bytes);
            if (decoded.commandField === CommandField.nEventReportRsp) scp.responses.push(decoded);
            else command = decoded;
          } else if (command?.commandField === CommandField.nActionRq) {
            scp.actions++;
            script({ command, dataset: bytes, transferSyntax }, send(event.contextId));
          }
        }
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  scp.port = (server.address() as AddressInfo).port;
  return scp;
}

/** Answer the N-ACTION with Success, then report on the same association: committed what it asked except `lost`. */
const reportOnSameAssociation: Script = ({ command, dataset, transferSyntax }, send) => {
  send(encodeResponse(command, 0));
  const asked = decodeCommitmentReport(dataset, transferSyntax, 'requestor');
  const report = {
    transactionUid: asked.transactionUid,
    committed: asked.committed.filter((r) => r.sopInstanceUid !== lost.sopInstanceUid),
    failed: asked.committed.filter((r) => r.sopInstanceUid === lost.sopInstanceUid).map((r) => ({ ...r, reason: CommitmentFailureReason.noSuchObjectInstance })),
  };
  send(encodeEventReportRequest(7, STORAGE_COMMITMENT_PUSH_MODEL, STORAGE_COMMITMENT_PUSH_MODEL_INSTANCE, CommitmentEvent.someFailed), encodeCommitmentReport(report, transferSyntax));
};

describe('storage commitment on the N-ACTION association', () => {
  it('takes a report sent on the same association, answers it Success, and returns it', async () => {
    const scp = await scriptedScp(reportOnSameAssociation);
    const lines: Array<Record<string, unknown>> = [];
    const reports = new CommitmentReports({ logger: createLogger({ level: 'info', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }) });
    const started = Date.now();

    const result = await requestStorageCommitment(testPeer({ aet: 'PACS', port: scp.port }), { transactionUid: '1.2.3.4.5', instances: [held, lost] }, { waitSeconds: 20, reports, holdSeconds: 10 });

    expect(result).toEqual({ transactionUid: '1.2.3.4.5', committed: [held], failed: [{ ...lost, reason: 0x0112 }] });
    // The report ended the hold at once rather than after holdSeconds.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(scp.responses).toHaveLength(1);
    expect(scp.responses[0]!.us(Tag.status)).toBe(0);
    expect(scp.responses[0]!.us(Tag.messageIdBeingRespondedTo)).toBe(7);
    expect(scp.responses[0]!.us(Tag.eventTypeId)).toBe(CommitmentEvent.someFailed);
    expect(scp.responses[0]!.ui(Tag.affectedSopInstanceUid)).toBe(STORAGE_COMMITMENT_PUSH_MODEL_INSTANCE);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'storage commitment report received', transactionUid: '1.2.3.4.5', reporterAe: 'PACS' }));
  });

  it('a PACS that never reports: timed out after waitSeconds, nothing confirmed, nothing left waiting', async () => {
    const scp = await scriptedScp(({ command }, send) => send(encodeResponse(command, 0)));
    const reports = new CommitmentReports({ logger: silentLogger });
    const started = Date.now();

    const result = await requestStorageCommitment(testPeer({ aet: 'PACS', port: scp.port }), { instances: [held] }, { waitSeconds: 1, reports, holdSeconds: 0.2 });

    expect(result).toMatchObject({ committed: [], failed: [], timedOut: true });
    expect(result.transactionUid).toMatch(/^2\.25\.\d+$/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(reports.pending).toBe(0);
  });

  it('a report it cannot match (no Transaction UID) is answered 0115 with the reason, and the request keeps waiting', async () => {
    const scp = await scriptedScp(({ command }, send) => {
      send(encodeResponse(command, 0));
      send(encodeEventReportRequest(3, STORAGE_COMMITMENT_PUSH_MODEL, STORAGE_COMMITMENT_PUSH_MODEL_INSTANCE, CommitmentEvent.allCommitted), encodeDataset({ '00081199': { vr: 'SQ', Value: [] } }, { explicitVr: false }));
    });
    const reports = new CommitmentReports({ logger: silentLogger });

    const result = await requestStorageCommitment(testPeer({ aet: 'PACS', port: scp.port }), { instances: [held] }, { waitSeconds: 1, reports, holdSeconds: 1 });

    expect(result.timedOut).toBe(true);
    expect(scp.responses.map((r) => [r.us(Tag.status), r.text(Tag.errorComment)])).toEqual([[0x0115, expect.stringContaining('no Transaction UID')]]);
  });

  it('cancelled while waiting for the report: rejects at once, naming the transaction, and stops waiting', async () => {
    const scp = await scriptedScp(({ command }, send) => send(encodeResponse(command, 0)));
    const reports = new CommitmentReports({ logger: silentLogger });
    const cancel = new AbortController();
    const started = Date.now();
    const pending = requestStorageCommitment(testPeer({ aet: 'PACS', port: scp.port }), { transactionUid: '1.2.3.9', instances: [held] }, { waitSeconds: 60, reports, holdSeconds: 0, signal: cancel.signal });
    await waitFor('the N-ACTION to arrive', () => scp.actions === 1, 5000, 10);
    cancel.abort();

    await expect(pending).rejects.toThrow(/transaction 1\.2\.3\.9: cancelled while waiting for the report/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(reports.pending).toBe(0);
  });

  it('a refused N-ACTION fails with the status, the comment and the node', async () => {
    const scp = await scriptedScp(({ command }, send) => send(encodeResponse(command, 0x0213, 'commitment queue full')));
    const reports = new CommitmentReports({ logger: silentLogger });

    const failure = await requestStorageCommitment(testPeer({ aet: 'PACS', port: scp.port, name: 'pacs' }), { instances: [held] }, { waitSeconds: 5, reports }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(DimseFailureError);
    expect(String(failure)).toMatch(/node "pacs" \(PACS at 127\.0\.0\.1:\d+\).*0x0213 \(resource limitation\): commitment queue full/);
    expect(reports.pending).toBe(0);
    expect(scp.actions).toBe(1);
  });
});
