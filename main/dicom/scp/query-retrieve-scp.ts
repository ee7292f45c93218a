/**
 * The Query/Retrieve SCP: turns a C-FIND, C-MOVE or C-GET request into the
 * operation that answers it. The association runs the operation and keeps
 * reading meanwhile, so C-CANCEL and C-GET's C-STORE responses get through.
 */
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import type { Logger } from '../../log.js';
import type { ArchiveReader } from '../../store/archive-reader.js';
import type { CommandSet } from '../ul/dimse-command.js';
import { FindOperation } from './find-scp.js';
import { GetOperation } from './get-scp.js';
import { MoveOperation, type MoveDestinations } from './move-scp.js';
import type { QueryRetrieveOperation, SubOperationChannel } from './operation-channels.js';
import { QUERY_RETRIEVE_CLASSES } from '../query-retrieve-classes.js';
import type { Transcode } from '../stored-instance.js';

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
