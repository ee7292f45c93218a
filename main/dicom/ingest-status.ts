/**
 * The status that answers an instance the archive would not take (PS3.4
 * B.2.3): C-STORE and STOW-RS report the sink's refusals the same way.
 */
import { DicomParseError } from '../../shared/dicom/dicom-parse-error.js';
import { errorMessage } from '../../shared/error-message.js';
import { IngestError } from '../store/instance-sink.js';
import { StoreStatus, type DimseOutcome } from './status.js';

/** The DIMSE status for an error from the sink. */
export function statusOfIngestError(error: unknown): DimseOutcome {
  if (!(error instanceof IngestError)) {
    return { status: StoreStatus.processingFailure, errorComment: `processing failure: ${errorMessage(error)}` };
  }
  const status = {
    'disk-full': StoreStatus.outOfResources,
    io: StoreStatus.outOfResources,
    'too-large': StoreStatus.outOfResources,
    aborted: StoreStatus.outOfResources,
    malformed: StoreStatus.cannotUnderstand,
    'uid-mismatch': StoreStatus.dataSetDoesNotMatchSopClass,
    'duplicate-rejected': StoreStatus.duplicateSopInstance,
  }[error.code];
  // An Error Comment holds 64 characters: for a parse error, the tag and the reason (the log keeps the whole message).
  const parse = error.code === 'malformed' && error.cause instanceof DicomParseError ? error.cause : undefined;
  return { status, errorComment: parse ? `${parse.tag ? `${parse.tag} ` : ''}${parse.reason}` : error.message };
}
