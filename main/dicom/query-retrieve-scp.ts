/**
 * The Query/Retrieve SCP: turns a C-FIND, C-MOVE or C-GET request into the
 * operation that answers it. The association runs the operation and keeps
 * reading meanwhile, so C-CANCEL and C-GET's C-STORE responses get through.
 */
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import type { Logger } from '../log.js';
import type { ArchiveReader } from '../store/archive-reader.js';
import type { CommandSet } from './dimse-command.js';
import { FindOperation, type ResponseChannel } from './find-scp.js';
import { GetOperation } from './get-scp.js';
import type { DatasetSource } from './message-writer.js';
import { MoveOperation, type MoveDestinations } from './move-scp.js';
import { QUERY_RETRIEVE_CLASSES } from './query-retrieve-classes.js';
import type { Transcode } from './stored-instance.js';

export interface QueryRetrieveOperation {
  run(channel: ResponseChannel): Promise<void>;
  cancel(): void;
}

/** C-STORE sub-operations on the requesting association (C-GET). */
export interface SubOperationChannel {
  /** The accepted context for a SOP class in the first of these syntaxes that has one. */
  contextFor(sopClassUid: string, transferSyntaxUids: readonly string[]): { contextId: number; transferSyntaxUid: string } | undefined;
  /** Send a C-STORE-RQ built for its Message ID; `response` settles with the peer's C-STORE-RSP. */
  store(contextId: number, command: (messageId: number) => Uint8Array, dataset: Uint8Array | DatasetSource): { messageId: number; response: Promise<CommandSet> };
}

export interface OperationRequest {
  request: CommandSet;
  abstractSyntax: string;
  transferSyntaxUid: string;
  identifier: DicomJsonDataset;
  callingAe: string;
  logger: Logger;
  subOperations: SubOperationChannel;
}

export interface QueryRetrieveServices {
  begin(request: OperationRequest): QueryRetrieveOperation;
}

export interface QueryRetrieveDeps {
  /** The archive's read door. */
  archive: ArchiveReader;
  destinations: MoveDestinations;
  transcode?: Transcode;
}

export function queryRetrieveServices(deps: QueryRetrieveDeps): QueryRetrieveServices {
  return {
    begin(op) {
      const served = QUERY_RETRIEVE_CLASSES.get(op.abstractSyntax);
      if (!served) throw new Error(`${op.abstractSyntax} is not a Query/Retrieve SOP class`);
      const common = { model: served.model, transferSyntaxUid: op.transferSyntaxUid, logger: op.logger };
      if (served.service === 'find') return new FindOperation(op.request, op.identifier, { ...common, index: deps.archive });
      const retrieve = { ...common, archive: deps.archive, transcode: deps.transcode };
      if (served.service === 'get') return new GetOperation(op.request, op.identifier, retrieve, op.subOperations);
      return new MoveOperation(op.request, op.identifier, { ...retrieve, callingAe: op.callingAe, destinations: deps.destinations });
    },
  };
}
