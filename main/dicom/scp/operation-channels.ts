/**
 * What a Query/Retrieve operation talks through: the association hands each
 * operation a channel for its responses and, for C-GET, one for its C-STORE
 * sub-operations. The handlers and the association both depend on these, not
 * on each other.
 */
import type { CommandSet } from '../ul/dimse-command.js';
import type { DatasetSource } from '../ul/message-writer.js';

/** Where an operation's responses go: one message at a time, in order. */
export interface ResponseChannel {
  send(command: Uint8Array, dataset?: Uint8Array): Promise<void>;
}

/** C-STORE sub-operations on the requesting association (C-GET). */
export interface SubOperationChannel {
  /** The accepted context for a SOP class in the first of these syntaxes that has one. */
  contextFor(sopClassUid: string, transferSyntaxUids: readonly string[]): { contextId: number; transferSyntaxUid: string } | undefined;
  /** Send a C-STORE-RQ built for its Message ID; `response` settles with the peer's C-STORE-RSP. */
  store(contextId: number, command: (messageId: number) => Uint8Array, dataset: Uint8Array | DatasetSource): { messageId: number; response: Promise<CommandSet> };
}

/** A running C-FIND, C-MOVE or C-GET. */
export interface QueryRetrieveOperation {
  run(channel: ResponseChannel): Promise<void>;
  cancel(): void;
}
