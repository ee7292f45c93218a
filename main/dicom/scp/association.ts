/**
 * One TCP connection as a DICOM association acceptor (PS3.8 9.2 state
 * machine, acceptor side). Chunks are framed by PduReader and handled in
 * order; the socket stays paused while a chunk's work (a sink write, a commit)
 * is pending, which is the backpressure. Every failure ends in A-ABORT or a
 * close of this connection only.
 */
import type { Socket } from 'node:net';
import type { DicomLimits } from '../../../shared/config.js';
import { parseDataset } from '../../../shared/dicom/dataset-parser.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../../../shared/dicom/implementation.js';
import { errorMessage } from '../../../shared/error-message.js';
import type { Logger } from '../../log.js';
import type { InstanceSink } from '../../store/instance-sink.js';
import { CommandField, CommandSetError, encodeResponse, Tag, type CommandSet } from '../ul/dimse-command.js';
import { echoResponse } from './echo-scp.js';
import { decideAssociation, type AssociationPolicy, type ContextDecision } from '../ul/negotiation.js';
import {
  AbortReason,
  ContextResult,
  decodeAbort,
  decodeAssociateRq,
  encodeAssociateAc,
  encodeAssociateRj,
  encodeReleaseRp,
  PduError,
  PduType,
} from '../ul/pdu-codec.js';
import { abortAndClose, AssociationTimer } from '../ul/association-timer.js';
import { DimseMessageReader, type CompleteDataset, type DatasetDestination } from '../ul/dimse-message-reader.js';
import { PduReader, type ReaderEvent } from '../ul/pdu-reader.js';
import { receivePaceOf, ReceiveWatchdog } from '../ul/receive-watchdog.js';
import { PeerStalledError, writeMessage, type DatasetSource } from '../ul/message-writer.js';
import type { QueryRetrieveOperation, ResponseChannel, SubOperationChannel } from './operation-channels.js';
import type { QueryRetrieveServices } from './query-retrieve-scp.js';
import { QueryStatus, StoreStatus, type DimseOutcome } from '../status.js';
import { StoreOperation } from '../store-scp.js';
import type { CommitmentReports } from '../commitment-reports.js';
import { commitmentReportDestination, receiveCommitmentReport } from '../commitment-report-receipt.js';

export interface AssociationOptions {
  socket: Socket;
  policy: AssociationPolicy;
  limits: DicomLimits;
  sink: InstanceSink;
  /** Answers C-FIND, C-MOVE and C-GET; a listener without it (a bare store SCP) refuses them. */
  queryRetrieve?: QueryRetrieveServices;
  /** Takes storage commitment reports (N-EVENT-REPORT) a PACS brings on its own association; without it they are refused. */
  commitmentReports?: CommitmentReports;
  logger: Logger;
  /** Asked when the A-ASSOCIATE-RQ arrives: would accepting exceed maxAssociations? */
  overLimit: () => boolean;
}

type State = 'awaiting-request' | 'open' | 'closing' | 'closed';

/** A query identifier is a handful of keys; anything this large is not one. */
const MAX_IDENTIFIER_BYTES = 1024 * 1024;
/** How often a sender's pace is judged while it is part-way through a PDU or message. */
const PACE_CHECK_MS = 500;

export class Association {
  readonly closed: Promise<void>;
  private state: State = 'awaiting-request';
  private readonly reader: PduReader;
  private readonly socket: Socket;
  private readonly remoteAddress: string;
  private logger: Logger;
  private contexts = new Map<number, ContextDecision>();
  private callingAe = '';
  private calledAe = '';
  private peerMaxPdu = 0;
  private readonly messages = new DimseMessageReader({
    command: (contextId, command) => this.onCommand(contextId, command),
    dataset: (complete) => this.onDataset(complete),
  });
  private readonly timer = new AssociationTimer();
  private readonly watchdog: ReceiveWatchdog;
  private paceTimer: NodeJS.Timeout | undefined;
  /** The chunk last handled began a PDU (for the per-PDU deadline). */
  private pduBeganInChunk = false;
  /** Settles when the peer will send nothing more: it half-closed, or the connection closed. */
  private readonly peerDone: Promise<void>;
  private work: Promise<void> = Promise.resolve();
  /** Outgoing messages, one after another: fragments of two messages never interleave. */
  private outgoing: Promise<void> = Promise.resolve();
  /** C-FIND / C-MOVE / C-GET under way, by the Message ID of their request (for C-CANCEL). */
  private readonly operations = new Map<number, QueryRetrieveOperation>();
  /** Those operations' runs, to let them finish before we close after a half-close. */
  private readonly runs = new Set<Promise<void>>();
  /** C-STORE sub-operations of a C-GET waiting for their response, by Message ID. */
  private readonly storeResponses = new Map<number, (response: CommandSet) => void>();
  private nextMessageId = 1;

  constructor(private readonly options: AssociationOptions) {
    this.socket = options.socket;
    this.remoteAddress = `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
    this.logger = options.logger.child({ remote: this.remoteAddress });
    this.reader = new PduReader({ maxPduLength: options.limits.maxPduLength });
    this.watchdog = new ReceiveWatchdog(receivePaceOf(options.limits));
    this.socket.setNoDelay(true);
    this.closed = new Promise((resolve) => this.socket.once('close', () => this.onClose().then(resolve)));
    this.peerDone = new Promise((resolve) => {
      this.socket.once('end', resolve);
      this.socket.once('close', resolve);
    });
    this.socket.on('error', (error) => this.logger.debug('socket error', { error }));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.once('end', () => void this.onPeerEnd());
    this.timer.arm(options.limits.artimTimeoutSeconds, () => {
      this.logger.warn('no A-ASSOCIATE-RQ within the ARTIM timeout; closing', { seconds: options.limits.artimTimeoutSeconds });
      this.socket.destroy();
    });
  }

  /** Associated and not yet released or aborted: counts against maxAssociations. */
  get open(): boolean {
    return this.state === 'open';
  }

  /** True when no DIMSE operation is half-way (a release or abort loses nothing). */
  get idle(): boolean {
    return this.messages.idle && this.operations.size === 0;
  }

  /** A-ABORT (service provider) and close; `why` is logged. */
  abort(why: string, reason: number = AbortReason.notSpecified): void {
    if (this.state === 'closed') return;
    this.logger.warn('association aborted', { callingAe: this.callingAe, calledAe: this.calledAe, reason: why });
    this.state = 'closed';
    this.timer.clear();
    this.stopPaceChecks();
    this.socket.pause();
    abortAndClose(this.socket, { source: 2, reason });
  }

  private onData(chunk: Buffer): void {
    // ARTIM (awaiting the request, or the close after release) keeps running; only idle time resets.
    if (this.state === 'open') this.timer.clear();
    this.socket.pause();
    this.watchdog.received(chunk.length, Date.now());
    this.work = this.work
      .then(() => this.handleChunk(chunk))
      .catch((error: unknown) => {
        if (error instanceof PduError) this.abort(error.message, error.reason);
        else if (error instanceof CommandSetError) this.abort(error.message, AbortReason.invalidPduParameterValue);
        else this.abort(`internal error: ${errorMessage(error)}`);
      })
      .then(() => {
        if (this.state === 'closed' || this.socket.destroyed) return;
        this.socket.resume();
        this.watchPace();
        if (this.state === 'open') this.armIdle();
      });
  }

  private async handleChunk(chunk: Buffer): Promise<void> {
    const begun = this.reader.pdusBegun;
    const events = this.reader.feed(chunk);
    this.pduBeganInChunk = this.reader.pdusBegun !== begun;
    for (const event of events) {
      if (this.isClosed()) return;
      if (event.kind === 'pdu') await this.onPdu(event.type, event.body);
      else await this.onPdv(event);
    }
  }

  /**
   * While a PDU or message is part-received, judge the sender's pace
   * (receive-watchdog.ts): a slow sender resets the idle timer with every byte.
   */
  private watchPace(): void {
    this.watchdog.resumed({ inPdu: !this.reader.idle, pduBegan: this.pduBeganInChunk, inMessage: !this.messages.idle }, Date.now());
    if (!this.watchdog.active) return this.stopPaceChecks();
    this.paceTimer ??= setInterval(() => {
      const why = this.watchdog.verdict(Date.now());
      if (why) this.abort(`slow sender: ${why}`);
    }, PACE_CHECK_MS);
  }

  private stopPaceChecks(): void {
    clearInterval(this.paceTimer);
    this.paceTimer = undefined;
  }

  /**
   * The peer shut its write side, e.g. right after its last PDU. The socket is
   * half-open (the listener allows it), so what we still owe (the response to
   * a C-STORE being committed, an operation's responses) is sent; then we
   * close our side too. Data cut off mid-message is discarded by onClose.
   */
  private async onPeerEnd(): Promise<void> {
    this.logger.debug('peer half-closed the connection', { callingAe: this.callingAe, state: this.state });
    await this.work;
    await Promise.all(this.runs);
    await this.outgoing;
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.end();
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private async onPdu(type: number, body: Buffer): Promise<void> {
    switch (type) {
      case PduType.associateRq:
        if (this.state !== 'awaiting-request') throw new PduError(AbortReason.unexpectedPdu, 'A-ASSOCIATE-RQ on an open association');
        return this.onAssociateRq(body);
      case PduType.releaseRq:
        if (this.state !== 'open') throw new PduError(AbortReason.unexpectedPdu, `A-RELEASE-RQ in state ${this.state}`);
        if (!this.idle) throw new PduError(AbortReason.unexpectedPdu, 'A-RELEASE-RQ in the middle of a DIMSE message');
        this.socket.write(encodeReleaseRp());
        this.state = 'closing';
        this.logger.debug('association released', { callingAe: this.callingAe });
        this.waitForPeerClose();
        return;
      case PduType.abort: {
        const { source, reason } = decodeAbort(body);
        this.logger.info('peer aborted the association', { callingAe: this.callingAe, source, reason });
        this.state = 'closed';
        this.socket.destroy();
        return;
      }
      default:
        throw new PduError(AbortReason.unexpectedPdu, `unexpected PDU type ${type} for an acceptor`);
    }
  }

  private onAssociateRq(body: Buffer): void {
    const rq = decodeAssociateRq(body);
    this.callingAe = rq.callingAe;
    this.calledAe = rq.calledAe;
    this.logger = this.logger.child({ callingAe: rq.callingAe });
    const decision = decideAssociation(rq, this.options.policy, this.options.overLimit());
    if (decision.kind === 'reject') {
      this.logger.warn('association refused', { callingAe: rq.callingAe, calledAe: rq.calledAe, remoteAddress: this.remoteAddress, reason: decision.why });
      // Half-close after the RJ: the requestor should close too; ARTIM bounds the wait if it does not.
      this.socket.end(encodeAssociateRj(decision.rj));
      this.state = 'closing';
      this.waitForPeerClose();
      return;
    }
    for (const note of decision.notes) this.logger.warn(note, { callingAe: rq.callingAe, remoteAddress: this.remoteAddress });
    this.contexts = new Map(decision.contexts.filter((c) => c.result === ContextResult.acceptance).map((c) => [c.id, c]));
    this.peerMaxPdu = rq.userInfo.maxPduLength;
    this.socket.write(
      encodeAssociateAc({
        calledAe: rq.calledAe,
        callingAe: rq.callingAe,
        contexts: decision.contexts,
        userInfo: {
          maxPduLength: this.options.limits.maxPduLength,
          implementationClassUid: IMPLEMENTATION_CLASS_UID,
          implementationVersionName: IMPLEMENTATION_VERSION_NAME,
          roles: decision.roles,
          ...(decision.asyncOps ? { asyncOps: decision.asyncOps } : {}),
        },
      }),
    );
    this.state = 'open';
    // The classes whose SCP role the caller took: C-GET storage, a storage commitment report.
    const scpRoles = decision.roles.filter((r) => r.scp).map((r) => r.sopClassUid);
    this.logger.info('association accepted', { calledAe: rq.calledAe, contexts: this.contexts.size, proposed: rq.contexts.length, ...(scpRoles.length > 0 ? { scpRoles } : {}) });
  }

  private async onPdv(pdv: Extract<ReaderEvent, { kind: 'pdv' }>): Promise<void> {
    if (this.state !== 'open') throw new PduError(AbortReason.unexpectedPdu, `P-DATA-TF in state ${this.state}`);
    if (!this.contexts.has(pdv.contextId)) {
      throw new PduError(AbortReason.invalidPduParameterValue, `PDV for presentation context ${pdv.contextId}, which was not accepted`);
    }
    await this.messages.pdv(pdv);
  }

  private async onDataset(complete: CompleteDataset): Promise<void> {
    const reports = this.options.commitmentReports;
    if (complete.kind === 'collect' && complete.request.commandField === CommandField.nEventReportRq && reports) {
      const { transferSyntax } = this.contexts.get(complete.contextId)!;
      return this.respond(complete.contextId, complete.request, receiveCommitmentReport(complete.bytes, transferSyntax, this.callingAe, reports, this.logger));
    }
    if (complete.kind === 'collect') return this.startOperation(complete.contextId, complete.request, complete.bytes);
    const outcome = complete.kind === 'store' ? await complete.operation.finish() : complete.outcome;
    this.respond(complete.contextId, complete.request, outcome);
  }

  /** Start a C-FIND / C-MOVE / C-GET; it runs while we keep reading (for C-CANCEL and C-STORE responses). */
  private startOperation(contextId: number, request: CommandSet, identifierBytes: Uint8Array): void {
    const context = this.contexts.get(contextId)!;
    const messageId = request.us(Tag.messageId) ?? 0;
    const channel: ResponseChannel = { send: (command, dataset) => this.sendMessage(contextId, command, dataset) };
    let operation: QueryRetrieveOperation;
    try {
      if (!this.options.queryRetrieve) throw new Error('this listener has no archive to query');
      operation = this.options.queryRetrieve.begin({
        request,
        abstractSyntax: context.abstractSyntax,
        transferSyntaxUid: context.transferSyntax,
        identifier: parseDataset(identifierBytes, { transferSyntaxUid: context.transferSyntax }),
        callingAe: this.callingAe,
        logger: this.logger,
        subOperations: this.subOperationChannel(),
      });
    } catch (error) {
      const message = `cannot answer: ${errorMessage(error)}`;
      this.logger.warn('query/retrieve request refused', { reason: message });
      void channel.send(encodeResponse(request, QueryStatus.unableToProcess, message));
      return;
    }
    this.operations.set(messageId, operation);
    const run = operation
      .run(channel)
      .catch((error: unknown) => this.abort(`${context.abstractSyntax} operation failed: ${errorMessage(error)}`))
      .finally(() => {
        this.operations.delete(messageId);
        this.runs.delete(run);
        if (this.state === 'open') this.armIdle();
      });
    this.runs.add(run);
  }

  /** C-STORE sub-operations on this association (C-GET): send, then wait for the peer's response. */
  private subOperationChannel(): SubOperationChannel {
    return {
      contextFor: (sopClassUid, transferSyntaxUids) => {
        for (const uid of transferSyntaxUids) {
          for (const c of this.contexts.values()) if (c.abstractSyntax === sopClassUid && c.transferSyntax === uid) return { contextId: c.id, transferSyntaxUid: uid };
        }
        return undefined;
      },
      store: (contextId, command, dataset) => {
        const messageId = this.nextMessageId++ & 0xffff;
        const response = new Promise<CommandSet>((resolve, reject) => {
          this.storeResponses.set(messageId, resolve);
          void this.peerDone.then(() => reject(new Error('the peer closed its side before the C-STORE response')));
        });
        return { messageId, response: this.sendMessage(contextId, command(messageId), dataset).then(() => this.withinIdleTimeout(messageId, response)) };
      },
    };
  }

  /** A peer that stops answering its sub-operations (a C-GET requestor that stopped reading) is as idle as one that stops sending. */
  private withinIdleTimeout(messageId: number, response: Promise<CommandSet>): Promise<CommandSet> {
    const seconds = this.options.limits.idleTimeoutSeconds;
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const why = `the peer answered nothing for ${seconds} s (no response to C-STORE sub-operation ${messageId})`;
        this.abort(why);
        reject(new Error(why));
      }, seconds * 1000);
    });
    return Promise.race([response, silent]).finally(() => clearTimeout(timer));
  }

  private sendMessage(contextId: number, command: Uint8Array, dataset?: Uint8Array | DatasetSource): Promise<void> {
    const send = async () => {
      if (this.state !== 'open') throw new Error('association is no longer open');
      try {
        // A peer that stops reading (a C-GET requestor that never takes its instances) is as idle as one that stops sending.
        await writeMessage(this.socket, contextId, this.peerMaxPdu, command, dataset, this.options.limits.idleTimeoutSeconds);
      } catch (error) {
        if (error instanceof PeerStalledError) this.abort(error.message);
        throw error;
      }
    };
    const next = this.outgoing.then(send);
    this.outgoing = next.catch(() => undefined);
    return next;
  }

  /** A command arrived: act on it, and say where the dataset it announces goes. */
  private onCommand(contextId: number, command: CommandSet): DatasetDestination | undefined {
    const context = this.contexts.get(contextId)!;
    const field = command.commandField;
    if (field === CommandField.cCancelRq) {
      const operation = this.operations.get(command.us(Tag.messageIdBeingRespondedTo) ?? -1);
      this.logger.info('C-CANCEL received', { messageId: command.us(Tag.messageIdBeingRespondedTo), running: !!operation });
      operation?.cancel();
      return undefined;
    }
    if (field === CommandField.cStoreRsp) {
      const messageId = command.us(Tag.messageIdBeingRespondedTo) ?? -1;
      const waiting = this.storeResponses.get(messageId);
      if (!waiting) throw new PduError(AbortReason.unexpectedPduParameter, `C-STORE-RSP for message ${messageId}, which we did not send`);
      this.storeResponses.delete(messageId);
      waiting(command);
      return undefined;
    }
    if ((field === CommandField.cFindRq || field === CommandField.cMoveRq || field === CommandField.cGetRq) && command.hasDataset) {
      const sopClassUid = command.ui(Tag.affectedSopClassUid) ?? '';
      if (sopClassUid !== context.abstractSyntax) return { kind: 'discard', outcome: { status: QueryStatus.identifierDoesNotMatchSopClass, errorComment: `SOP class ${sopClassUid} not the one of context ${contextId}` } };
      return { kind: 'collect', limit: MAX_IDENTIFIER_BYTES, what: 'query identifier' };
    }
    if (field === CommandField.nEventReportRq && command.hasDataset) return commitmentReportDestination(command, context.abstractSyntax, this.options.commitmentReports);
    if (field === CommandField.cStoreRq && command.hasDataset) {
      const sopClassUid = command.ui(Tag.affectedSopClassUid) ?? '';
      if (sopClassUid !== context.abstractSyntax) return { kind: 'discard', outcome: { status: StoreStatus.sopClassNotSupported, errorComment: `SOP class ${sopClassUid} not the one of context ${contextId}` } };
      const operation = new StoreOperation(
        {
          sopClassUid,
          sopInstanceUid: command.ui(Tag.affectedSopInstanceUid) ?? '',
          transferSyntaxUid: context.transferSyntax,
          source: { kind: 'dimse', callingAe: this.callingAe, calledAe: this.calledAe, remoteAddress: this.socket.remoteAddress ?? '' },
        },
        this.options.sink,
        this.options.limits.maxObjectBytes,
        this.logger,
      );
      return { kind: 'store', operation };
    }
    const unsupported: DimseOutcome = { status: StoreStatus.unrecognizedOperation, errorComment: `unrecognised operation 0x${(field ?? 0).toString(16).padStart(4, '0')}` };
    if (command.hasDataset) return { kind: 'discard', outcome: unsupported };
    if (field === CommandField.cEchoRq) this.send(contextId, echoResponse(command));
    else this.respond(contextId, command, field === CommandField.cStoreRq ? { status: StoreStatus.cannotUnderstand, errorComment: 'C-STORE-RQ without a dataset' } : unsupported);
    return undefined;
  }

  private respond(contextId: number, request: CommandSet, outcome: DimseOutcome): void {
    this.send(contextId, encodeResponse(request, outcome.status, outcome.errorComment));
  }

  private send(contextId: number, command: Uint8Array): void {
    void this.sendMessage(contextId, command).catch((error: unknown) => this.logger.debug('response not sent', { error }));
  }

  /** After A-RELEASE-RP or A-ASSOCIATE-RJ the peer closes; ARTIM bounds the wait. */
  private waitForPeerClose(): void {
    this.timer.arm(this.options.limits.artimTimeoutSeconds, () => this.socket.destroy());
  }

  private armIdle(): void {
    // A running operation (a long C-MOVE) keeps the association busy, not idle.
    if (this.operations.size > 0) return this.timer.clear();
    const seconds = this.options.limits.idleTimeoutSeconds;
    this.timer.arm(seconds, () => this.abort(`idle for ${seconds} s`));
  }


  private async onClose(): Promise<void> {
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.timer.clear();
    this.stopPaceChecks();
    const wasIdle = this.idle;
    const unfinished = this.messages.takeUnfinishedStore();
    for (const operation of this.operations.values()) operation.cancel();
    // Let a chunk being handled settle first, so its writer is not used after abort.
    await this.work;
    if (unfinished) {
      this.logger.warn('connection lost in the middle of an instance; discarding it', { callingAe: this.callingAe });
      await unfinished.abort('association ended before the dataset was complete');
    } else if (wasOpen && !wasIdle) {
      this.logger.warn('connection lost in the middle of a DIMSE message', { callingAe: this.callingAe });
    }
  }
}
