/**
 * One association as the requestor (PS3.8 9.2 state machine, requestor side):
 * connect, A-ASSOCIATE-RQ, then DIMSE requests whose responses are matched by
 * Message ID Being Responded To, C-STORE sub-operations of a C-GET streamed
 * into an InstanceSink, C-CANCEL, release and abort. Any failure (reject,
 * abort, lost connection, silence beyond the timeout, a protocol violation)
 * ends the association and fails every operation waiting on it with an error
 * that names the node.
 */
import { connect, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import type { DicomLimits } from '../../../shared/config.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../../../shared/dicom/implementation.js';
import { errorMessage } from '../../../shared/error-message.js';
import type { Logger } from '../../log.js';
import { CommandField, CommandSetError, encodeCancelRequest, encodeResponse, Tag, type CommandSet } from '../ul/dimse-command.js';
import { writeMessage, type DatasetSource } from '../ul/message-writer.js';
import {
  AbortReason,
  APPLICATION_CONTEXT_NAME,
  ContextResult,
  decodeAbort,
  decodeAssociateAc,
  decodeAssociateRj,
  encodeAssociateRq,
  encodeReleaseRp,
  encodeReleaseRq,
  PduError,
  PduType,
  type RoleSelection,
} from '../ul/pdu-codec.js';
import { abortAndClose, AssociationTimer } from '../ul/association-timer.js';
import { DimseMessageReader, type CompleteDataset, type DatasetDestination } from '../ul/dimse-message-reader.js';
import { PduReader, type ReaderEvent } from '../ul/pdu-reader.js';
import { statusClass, StoreStatus, type DimseOutcome } from '../status.js';
import type { StoreOperation } from '../store-scp.js';
import type { CommitmentReports } from '../commitment-reports.js';
import { commitmentReportDestination, receiveCommitmentReport } from '../commitment-report-receipt.js';
import { describeTlsFailure } from '../tls/profile.js';
import { AssociationAbortedError, AssociationRejectedError, ScuConnectionError, ScuError, ScuTimeoutError, type NodeAddress } from './scu-error.js';
import { describeConnectFailure } from './connect-failure.js';

export type ScuLimits = Pick<DicomLimits, 'maxPduLength' | 'maxObjectBytes' | 'artimTimeoutSeconds' | 'idleTimeoutSeconds'>;

/** Who we talk to, as whom, within which limits. */
export interface ScuPeer {
  node: NodeAddress;
  /** Our AE title (the calling AE). */
  callingAe: string;
  /**
   * maxPduLength: what we announce and accept; artimTimeoutSeconds bounds the
   * connect + negotiation and the release; idleTimeoutSeconds is how long the
   * peer may stay silent while an operation waits on it.
   */
  limits: ScuLimits;
  logger: Logger;
  /** Call over DICOM TLS with these options (tls/scu-tls.ts: our certificate, our CAs, the BCP 195 profile). */
  tls?: ConnectionOptions;
}

export interface ContextProposal {
  abstractSyntax: string;
  transferSyntaxes: string[];
}

export interface AcceptedContext {
  id: number;
  abstractSyntax: string;
  transferSyntax: string;
}

export interface DimseResponse {
  command: CommandSet;
  status: number;
  dataset: Uint8Array | undefined;
}

/** Where C-STORE sub-operations that arrive on this association (C-GET) go. */
export interface IncomingStores {
  begin(request: CommandSet, context: AcceptedContext): StoreOperation;
  /** Called after the C-STORE-RSP was sent. */
  stored?(request: CommandSet, outcome: DimseOutcome): void;
}

const MAX_CONTEXTS = 128;
/** Response identifiers (C-FIND answers, failed SOP lists) are small; beyond this the peer is misbehaving. */
const MAX_RESPONSE_DATASET_BYTES = 16 * 1024 * 1024;

type State = 'connecting' | 'requesting' | 'open' | 'releasing' | 'closed';

/** The responses to one request, in order; the last one has a non-pending status. */
export class ResponseStream {
  private readonly queue: DimseResponse[] = [];
  private waiter: { resolve: (r: DimseResponse) => void; reject: (e: Error) => void } | undefined;
  private error: Error | undefined;

  constructor(readonly label: string) {}

  next(): Promise<DimseResponse> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  push(response: DimseResponse): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter.resolve(response);
    else this.queue.push(response);
  }

  fail(error: Error): void {
    this.error ??= error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(error);
  }
}

export class ClientAssociation {
  readonly closed: Promise<void>;
  private state: State = 'connecting';
  private readonly socket: Socket;
  private readonly reader: PduReader;
  private readonly logger: Logger;
  private accepted = new Map<number, AcceptedContext>();
  private grantedRoles: RoleSelection[] = [];
  private peerMaxPduLength = 0;
  private failure: ScuError | undefined;
  private handshake: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private releaseDone: (() => void) | undefined;
  private readonly timer = new AssociationTimer();
  private watchdog: NodeJS.Timeout | undefined;
  private work: Promise<void> = Promise.resolve();
  private outgoing: Promise<void> = Promise.resolve();
  private readonly streams = new Map<number, ResponseStream>();
  private readonly messages = new DimseMessageReader({
    command: (contextId, command) => this.onCommand(contextId, command),
    dataset: (complete) => this.onDataset(complete),
  });
  private stores: IncomingStores | undefined;
  private commitmentReports: CommitmentReports | undefined;
  private lastMessageId = 0;
  private socketError: Error | undefined;

  private constructor(
    private readonly peer: ScuPeer,
    private readonly proposal: { contexts: ContextProposal[]; roles: RoleSelection[] },
  ) {
    const { node, limits } = peer;
    this.logger = peer.logger.child({ node: node.name, calledAe: node.aet, remote: `${node.host}:${node.port}` });
    this.reader = new PduReader({ maxPduLength: limits.maxPduLength });
    this.socket = peer.tls ? connectTls({ ...peer.tls, host: node.host, port: node.port }) : connect({ host: node.host, port: node.port });
    this.socket.setNoDelay(true);
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    // Over TLS the association is requested once the handshake (certificates verified) is done.
    this.socket.on(peer.tls ? 'secureConnect' : 'connect', () => {
      try {
        this.onConnect();
      } catch (error) {
        this.fail(new ScuError(node, `cannot request the association: ${errorMessage(error)}`, { cause: error }), false);
      }
    });
    this.socket.on('error', (error) => (this.socketError = tlsFailureOf(error) ?? error));
    this.socket.on('close', () => this.onClose());
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  /**
   * Connect and negotiate. Rejects with AssociationRejectedError (the reason in
   * words), ScuConnectionError, ScuTimeoutError or AssociationAbortedError.
   */
  static async open(peer: ScuPeer, proposal: { contexts: ContextProposal[]; roles?: RoleSelection[] }, signal?: AbortSignal): Promise<ClientAssociation> {
    if (proposal.contexts.length === 0 || proposal.contexts.length > MAX_CONTEXTS) {
      throw new ScuError(peer.node, `an association carries 1 to ${MAX_CONTEXTS} presentation contexts, not ${proposal.contexts.length}`);
    }
    if (signal?.aborted) throw new ScuError(peer.node, 'cancelled before the association was requested');
    const association = new ClientAssociation(peer, { contexts: proposal.contexts, roles: proposal.roles ?? [] });
    const onAbort = () => association.fail(new ScuError(peer.node, 'cancelled before the association was established'), true);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        association.handshake = { resolve, reject };
        association.timer.arm(peer.limits.artimTimeoutSeconds, () =>
          association.fail(new ScuTimeoutError(peer.node, `no A-ASSOCIATE-AC within ${peer.limits.artimTimeoutSeconds} s`), true),
        );
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return association;
  }

  get node(): NodeAddress {
    return this.peer.node;
  }

  /** Largest PDU the peer accepts (0 = no limit). */
  get peerMaxPdu(): number {
    return this.peerMaxPduLength;
  }

  get acceptedContexts(): AcceptedContext[] {
    return [...this.accepted.values()];
  }

  /** Role selections the peer answered (PS3.7 D.3.3.4). */
  get roles(): RoleSelection[] {
    return this.grantedRoles;
  }

  /** The first accepted context for `sopClassUid` in the first of `transferSyntaxUids` that has one. */
  contextFor(sopClassUid: string, transferSyntaxUids: readonly string[]): { contextId: number; transferSyntaxUid: string } | undefined {
    for (const uid of transferSyntaxUids) {
      for (const c of this.accepted.values()) if (c.abstractSyntax === sopClassUid && c.transferSyntax === uid) return { contextId: c.id, transferSyntaxUid: uid };
    }
    return undefined;
  }

  /** Any accepted context for `abstractSyntax`. */
  contextOf(abstractSyntax: string): AcceptedContext | undefined {
    return [...this.accepted.values()].find((c) => c.abstractSyntax === abstractSyntax);
  }

  /** Accept C-STORE sub-operations (C-GET) into `stores`. */
  receiveStores(stores: IncomingStores): void {
    this.stores = stores;
  }

  /** Take storage commitment reports (N-EVENT-REPORT) the peer sends on this association into `reports`. */
  receiveCommitmentReports(reports: CommitmentReports): void {
    this.commitmentReports = reports;
  }

  /**
   * Send a request (its command is built with the Message ID given) and
   * return its responses. A failure of the association fails the stream.
   */
  request(contextId: number, label: string, command: (messageId: number) => Uint8Array, dataset?: Uint8Array | DatasetSource): { messageId: number; responses: ResponseStream } {
    if (this.failure) throw this.failure;
    if (this.state !== 'open') throw new ScuError(this.peer.node, `cannot send ${label}: the association is ${this.state}`);
    const messageId = (this.lastMessageId = (this.lastMessageId % 0xffff) + 1);
    const responses = new ResponseStream(label);
    this.streams.set(messageId, responses);
    this.send(contextId, command(messageId), dataset).catch((error: unknown) => {
      // Part of a message may be out: the association cannot continue.
      const reason = errorMessage(error);
      this.fail(this.failure ?? new ScuConnectionError(this.peer.node, `sending ${label} failed: ${reason}`, { cause: error }), true);
    });
    return { messageId, responses };
  }

  /** Ask the peer to stop the operation `messageId` (C-CANCEL); its final response still follows. */
  cancel(contextId: number, messageId: number): void {
    if (this.state !== 'open' || !this.streams.has(messageId)) return;
    this.logger.info('sending C-CANCEL', { messageId });
    this.send(contextId, encodeCancelRequest(messageId)).catch(() => undefined);
  }

  /** A-RELEASE; resolves once the connection is closed (after A-RELEASE-RP, or the timeout). Never rejects. */
  async release(): Promise<void> {
    if (this.state !== 'open') return this.closed;
    this.state = 'releasing';
    this.stopWatchdog();
    const seconds = this.peer.limits.artimTimeoutSeconds;
    this.timer.arm(seconds, () => {
      this.logger.warn('no A-RELEASE-RP in time; closing', { seconds });
      this.socket.destroy();
    });
    this.releaseDone = () => this.socket.end();
    this.outgoing = this.outgoing.then(() => void this.socket.write(encodeReleaseRq()));
    await this.closed;
  }

  /** A-ABORT (service user) and close; operations still waiting fail with `reason`. */
  abort(reason: string): void {
    this.fail(new ScuError(this.peer.node, reason), true);
  }

  private onConnect(): void {
    if (this.state !== 'connecting') return;
    this.state = 'requesting';
    const contexts = this.proposal.contexts.map((c, i) => ({ id: 2 * i + 1, ...c }));
    this.socket.write(
      encodeAssociateRq({
        calledAe: this.peer.node.aet,
        callingAe: this.peer.callingAe,
        applicationContext: APPLICATION_CONTEXT_NAME,
        contexts,
        userInfo: {
          maxPduLength: this.peer.limits.maxPduLength,
          implementationClassUid: IMPLEMENTATION_CLASS_UID,
          implementationVersionName: IMPLEMENTATION_VERSION_NAME,
          roles: this.proposal.roles,
        },
      }),
    );
  }

  private onData(chunk: Buffer): void {
    this.socket.pause();
    this.work = this.work
      .then(() => this.handleChunk(chunk))
      .catch((error: unknown) => {
        if (error instanceof PduError) this.fail(new ScuError(this.peer.node, `protocol error: ${error.message}`), true, error.reason);
        else if (error instanceof CommandSetError) this.fail(new ScuError(this.peer.node, `protocol error: ${error.message}`), true, AbortReason.invalidPduParameterValue);
        else this.fail(new ScuError(this.peer.node, `internal error: ${errorMessage(error)}`, { cause: error }), true);
      })
      .then(() => {
        if (this.state !== 'closed' && !this.socket.destroyed) this.socket.resume();
      });
  }

  private async handleChunk(chunk: Buffer): Promise<void> {
    for (const event of this.reader.feed(chunk)) {
      if (this.state === 'closed') return;
      if (event.kind === 'pdu') this.onPdu(event.type, event.body);
      else await this.onPdv(event);
    }
  }

  private onPdu(type: number, body: Buffer): void {
    switch (type) {
      case PduType.associateAc:
        if (this.state !== 'requesting') throw new PduError(AbortReason.unexpectedPdu, `A-ASSOCIATE-AC in state ${this.state}`);
        return this.onAccepted(body);
      case PduType.associateRj:
        if (this.state !== 'requesting') throw new PduError(AbortReason.unexpectedPdu, `A-ASSOCIATE-RJ in state ${this.state}`);
        return this.fail(new AssociationRejectedError(this.peer.node, decodeAssociateRj(body), this.peer.callingAe), false);
      case PduType.abort:
        return this.fail(new AssociationAbortedError(this.peer.node, decodeAbort(body), this.activity()), false);
      case PduType.releaseRp:
        if (this.state !== 'releasing') throw new PduError(AbortReason.unexpectedPdu, `A-RELEASE-RP in state ${this.state}`);
        this.logger.debug('association released');
        this.releaseDone?.();
        return;
      case PduType.releaseRq:
        // An acceptor may not ask for release (PS3.8 7.2); answer it and stop rather than hang.
        this.socket.write(encodeReleaseRp());
        return this.fail(new ScuConnectionError(this.peer.node, `the peer released the association during ${this.activity()}`), false);
      default:
        throw new PduError(AbortReason.unexpectedPdu, `unexpected PDU type ${type} for a requestor`);
    }
  }

  private onAccepted(body: Buffer): void {
    const ac = decodeAssociateAc(body);
    const proposed = new Map(this.proposal.contexts.map((c, i) => [2 * i + 1, c]));
    for (const answer of ac.contexts) {
      const context = proposed.get(answer.id);
      if (answer.result !== ContextResult.acceptance || !context) continue;
      if (!context.transferSyntaxes.includes(answer.transferSyntax)) {
        throw new PduError(AbortReason.invalidPduParameterValue, `context ${answer.id} accepted with ${answer.transferSyntax}, which we did not propose`);
      }
      this.accepted.set(answer.id, { id: answer.id, abstractSyntax: context.abstractSyntax, transferSyntax: answer.transferSyntax });
    }
    this.grantedRoles = ac.userInfo.roles;
    this.peerMaxPduLength = ac.userInfo.maxPduLength;
    this.state = 'open';
    this.timer.clear();
    this.startWatchdog();
    this.logger.debug('association accepted', { proposed: this.proposal.contexts.length, accepted: this.accepted.size, peerMaxPdu: this.peerMaxPduLength });
    const handshake = this.handshake;
    this.handshake = undefined;
    handshake?.resolve();
  }

  private async onPdv(pdv: Extract<ReaderEvent, { kind: 'pdv' }>): Promise<void> {
    if (this.state !== 'open' && this.state !== 'releasing') throw new PduError(AbortReason.unexpectedPdu, `P-DATA-TF in state ${this.state}`);
    if (!this.accepted.has(pdv.contextId)) throw new PduError(AbortReason.invalidPduParameterValue, `PDV on presentation context ${pdv.contextId}, which was not accepted`);
    await this.messages.pdv(pdv);
  }

  private async onDataset(complete: CompleteDataset): Promise<void> {
    const reports = this.commitmentReports;
    if (complete.kind === 'collect' && complete.request.commandField === CommandField.nEventReportRq && reports) {
      const { transferSyntax } = this.accepted.get(complete.contextId)!;
      return this.respond(complete.contextId, complete.request, receiveCommitmentReport(complete.bytes, transferSyntax, this.peer.node.aet, reports, this.logger));
    }
    if (complete.kind === 'collect') return this.deliver(complete.request, complete.bytes);
    const outcome = complete.kind === 'store' ? await complete.operation.finish() : complete.outcome;
    this.respond(complete.contextId, complete.request, outcome);
    if (complete.kind === 'store') this.stores?.stored?.(complete.request, outcome);
  }

  /** A command arrived: a response goes to its request's stream; a C-STORE (C-GET) to the sink. */
  private onCommand(contextId: number, command: CommandSet): DatasetDestination | undefined {
    const field = command.commandField ?? 0;
    if (field & 0x8000) {
      const messageId = command.us(Tag.messageIdBeingRespondedTo) ?? -1;
      if (!this.streams.has(messageId)) throw new PduError(AbortReason.unexpectedPduParameter, `response to message ${messageId}, which is not waiting for one`);
      if (command.hasDataset) return { kind: 'collect', limit: MAX_RESPONSE_DATASET_BYTES, what: 'response identifier' };
      this.deliver(command, undefined);
      return undefined;
    }
    const context = this.accepted.get(contextId)!;
    let refusal: DimseOutcome;
    if (field === CommandField.cStoreRq && command.hasDataset) {
      const sopClassUid = command.ui(Tag.affectedSopClassUid) ?? '';
      if (!this.stores) refusal = { status: StoreStatus.unrecognizedOperation, errorComment: 'no C-GET is waiting for instances' };
      else if (sopClassUid !== context.abstractSyntax) refusal = { status: StoreStatus.sopClassNotSupported, errorComment: `SOP class ${sopClassUid} not the one of context ${contextId}` };
      else return { kind: 'store', operation: this.stores.begin(command, context) };
    } else if (field === CommandField.nEventReportRq && command.hasDataset && this.commitmentReports) {
      return commitmentReportDestination(command, context.abstractSyntax, this.commitmentReports);
    } else {
      refusal = { status: StoreStatus.unrecognizedOperation, errorComment: `unexpected operation 0x${field.toString(16).padStart(4, '0')} from the peer` };
    }
    if (command.hasDataset) return { kind: 'discard', outcome: refusal };
    this.respond(contextId, command, refusal);
    return undefined;
  }

  private deliver(command: CommandSet, dataset: Uint8Array | undefined): void {
    const messageId = command.us(Tag.messageIdBeingRespondedTo) ?? -1;
    const stream = this.streams.get(messageId);
    if (!stream) return;
    const status = command.us(Tag.status) ?? 0xffff;
    if (statusClass(status) !== 'pending') this.streams.delete(messageId);
    stream.push({ command, status, dataset });
  }

  private respond(contextId: number, request: CommandSet, outcome: DimseOutcome): void {
    this.send(contextId, encodeResponse(request, outcome.status, outcome.errorComment)).catch((error: unknown) => this.logger.debug('response not sent', { error }));
  }

  /** Messages go out one after another: fragments of two messages never interleave. */
  private send(contextId: number, command: Uint8Array, dataset?: Uint8Array | DatasetSource): Promise<void> {
    const next = this.outgoing.then(async () => {
      if (this.failure) throw this.failure;
      await writeMessage(this.socket, contextId, this.peerMaxPduLength, command, dataset);
    });
    this.outgoing = next.catch(() => undefined);
    return next;
  }

  /** What the association is doing, for error messages. */
  private activity(): string {
    if (this.state === 'requesting' || this.state === 'connecting') return 'association negotiation';
    if (this.state === 'releasing') return 'release';
    const labels = [...new Set([...this.streams.values()].map((s) => s.label))];
    return labels.length > 0 ? labels.join(', ') : 'an idle association';
  }

  /** End the association: everything waiting fails with `error`. `sendAbort`: tell the peer first (A-ABORT). */
  private fail(error: ScuError, sendAbort: boolean, reason: number = AbortReason.notSpecified): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open' || this.state === 'releasing';
    this.state = 'closed';
    this.failure = error;
    this.timer.clear();
    this.stopWatchdog();
    const level = error instanceof AssociationRejectedError ? 'warn' : wasOpen && this.streams.size === 0 ? 'debug' : 'warn';
    this.logger[level]('association ended', { reason: error.message });
    this.handshake?.reject(error);
    this.handshake = undefined;
    for (const stream of this.streams.values()) stream.fail(error);
    this.streams.clear();
    const unfinished = this.messages.takeUnfinishedStore();
    if (unfinished) {
      // After the chunk being handled settles, so the writer is not used after its abort; a committed instance stays.
      this.work = this.work.then(() => unfinished.abort('association ended before the dataset was complete'));
    }
    if (sendAbort && wasOpen && !this.socket.destroyed) {
      abortAndClose(this.socket, { source: 0, reason });
    } else {
      this.socket.destroy();
    }
  }

  private onClose(): void {
    this.timer.clear();
    this.stopWatchdog();
    if (this.state === 'releasing' && this.streams.size === 0) {
      this.state = 'closed';
      return;
    }
    if (this.state === 'closed') return;
    const reason = this.state === 'connecting' ? describeConnectFailure(this.socketError) : this.socketError?.message;
    const message =
      this.state === 'connecting'
        ? `cannot connect${reason ? `: ${reason}` : ''}`
        : `connection closed by the peer during ${this.activity()}${reason ? ` (${reason})` : ''}`;
    this.fail(new ScuConnectionError(this.peer.node, message), false);
  }

  /** While an operation waits on the peer, traffic either way must not stop for longer than idleTimeoutSeconds. */
  private startWatchdog(): void {
    const limitMs = this.peer.limits.idleTimeoutSeconds * 1000;
    const traffic = () => this.socket.bytesRead + this.socket.bytesWritten;
    let seen = traffic();
    let since = Date.now();
    this.watchdog = setInterval(() => {
      const now = traffic();
      if (now !== seen || (this.streams.size === 0 && !this.messages.expectingDataset)) {
        seen = now;
        since = Date.now();
        return;
      }
      if (Date.now() - since >= limitMs) {
        this.fail(new ScuTimeoutError(this.peer.node, `no data from the peer for ${this.peer.limits.idleTimeoutSeconds} s during ${this.activity()}`), true);
      }
    }, Math.min(1000, Math.max(limitMs / 4, 10)));
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

}

/** A TLS failure as an error whose message says so (certificate verification, handshake), or undefined. */
function tlsFailureOf(error: Error): Error | undefined {
  const described = describeTlsFailure(error);
  return described === undefined ? undefined : new Error(described, { cause: error });
}
