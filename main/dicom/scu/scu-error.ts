/**
 * Errors of the SCU side. Each names the node, its AE title and address, so
 * that a log line or a failed job says which PACS did what.
 */
import type { RemoteNode } from '../../../shared/config.js';
import type { Abort, AssociateRj } from '../ul/pdu-codec.js';
import { describeAbort, describeRejection } from './association-reasons.js';
import { describeStatus } from '../status.js';

export type NodeAddress = Pick<RemoteNode, 'name' | 'aet' | 'host' | 'port'>;

/** `node "pacs" (PACS at 10.0.0.5:104)`. */
export function describeNode(node: NodeAddress): string {
  return `node "${node.name}" (${node.aet} at ${node.host}:${node.port})`;
}

export class ScuError extends Error {
  readonly node: NodeAddress;

  constructor(node: NodeAddress, message: string, options?: { cause?: unknown }) {
    super(`${describeNode(node)}: ${message}`, options);
    this.name = 'ScuError';
    this.node = { name: node.name, aet: node.aet, host: node.host, port: node.port };
  }
}

/** No TCP connection, or it was lost before the operation ended. */
export class ScuConnectionError extends ScuError {
  override name = 'ScuConnectionError';
}

/** The peer did not answer within the configured time. */
export class ScuTimeoutError extends ScuError {
  override name = 'ScuTimeoutError';
}

/** A-ASSOCIATE-RJ, with the PS3.8 reason in words. */
export class AssociationRejectedError extends ScuError {
  override name = 'AssociationRejectedError';

  constructor(
    node: NodeAddress,
    readonly rejection: AssociateRj,
    callingAe: string,
  ) {
    super(node, `association ${describeRejection(rejection)} (we called "${node.aet}" as "${callingAe}")`);
  }
}

/** The peer sent A-ABORT. */
export class AssociationAbortedError extends ScuError {
  override name = 'AssociationAbortedError';

  constructor(
    node: NodeAddress,
    readonly abort: Abort,
    during: string,
  ) {
    super(node, `association ${describeAbort(abort)} during ${during}`);
  }
}

/** The peer accepted none of the presentation contexts an operation needs. */
export class ContextNotAcceptedError extends ScuError {
  override name = 'ContextNotAcceptedError';
}

/** A final response with a failure status (C-ECHO, C-FIND). */
export class DimseFailureError extends ScuError {
  override name = 'DimseFailureError';

  constructor(
    node: NodeAddress,
    readonly operation: string,
    readonly status: number,
    readonly errorComment: string | undefined,
  ) {
    super(node, `${operation} failed with status ${describeStatus(status)}${errorComment ? `: ${errorComment}` : ''}`);
  }
}
