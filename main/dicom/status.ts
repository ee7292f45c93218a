/**
 * The DIMSE status vocabulary (PS3.7 C, PS3.4 B.2.3 / C.4): every status the
 * node sends or reads, by name, per service; a status's class; and its
 * meaning in words for logs and errors. SCPs, SCUs and STOW-RS all speak it.
 */

/** Every code, once. Services that give one code two names alias it below. */
const Code = {
  success: 0x0000,
  attributeListError: 0x0001,
  pending: 0xff00,
  pendingOptionalKeysNotSupported: 0xff01,
  cancel: 0xfe00,
  subOperationsCompleteWithFailures: 0xb000,
  elementsDiscarded: 0xb006,
  dataSetDoesNotMatchSopClassWarning: 0xb007,
  processingFailure: 0x0110,
  duplicateSopInstance: 0x0111,
  noSuchObjectInstance: 0x0112,
  noSuchEventType: 0x0113,
  invalidArgumentValue: 0x0115,
  invalidObjectInstance: 0x0117,
  noSuchSopClass: 0x0118,
  classInstanceConflict: 0x0119,
  sopClassNotSupported: 0x0122,
  notAuthorized: 0x0124,
  duplicateTransactionUid: 0x0131,
  duplicateInvocation: 0x0210,
  unrecognizedOperation: 0x0211,
  mistypedArgument: 0x0212,
  resourceLimitation: 0x0213,
  outOfResources: 0xa700,
  unableToCalculateMatches: 0xa701,
  unableToPerformSubOperations: 0xa702,
  moveDestinationUnknown: 0xa801,
  doesNotMatchSopClass: 0xa900,
  unableToProcess: 0xc000,
  transferSyntaxNotSupported: 0xc122,
} as const;

/** C-ECHO (PS3.4 A.4). */
export const EchoStatus = { success: Code.success } as const;

/** C-STORE (PS3.4 B.2.3), and the STOW-RS failure reasons (PS3.18 10.5.3) that reuse it. */
export const StoreStatus = {
  success: Code.success,
  duplicateSopInstance: Code.duplicateSopInstance,
  processingFailure: Code.processingFailure,
  sopClassNotSupported: Code.sopClassNotSupported,
  unrecognizedOperation: Code.unrecognizedOperation,
  outOfResources: Code.outOfResources,
  dataSetDoesNotMatchSopClass: Code.doesNotMatchSopClass,
  cannotUnderstand: Code.unableToProcess,
  transferSyntaxNotSupported: Code.transferSyntaxNotSupported,
} as const;

/** C-FIND (PS3.4 C.4.1.1.4). */
export const QueryStatus = {
  success: Code.success,
  pending: Code.pending,
  cancel: Code.cancel,
  outOfResources: Code.outOfResources,
  identifierDoesNotMatchSopClass: Code.doesNotMatchSopClass,
  unableToProcess: Code.unableToProcess,
} as const;

/** C-MOVE and C-GET (PS3.4 C.4.2.1.5, C.4.3.1.4). */
export const RetrieveStatus = {
  success: Code.success,
  pending: Code.pending,
  cancel: Code.cancel,
  warning: Code.subOperationsCompleteWithFailures,
  unableToPerformSubOperations: Code.unableToPerformSubOperations,
  moveDestinationUnknown: Code.moveDestinationUnknown,
  identifierDoesNotMatchSopClass: Code.doesNotMatchSopClass,
  unableToProcess: Code.unableToProcess,
} as const;

/** N-EVENT-REPORT and N-ACTION (PS3.7 10.1.1.1.8, 10.1.4.1.10): what we answer, what we read. */
export const NotificationStatus = {
  success: Code.success,
  processingFailure: Code.processingFailure,
  noSuchSopInstance: Code.noSuchObjectInstance,
  noSuchEventType: Code.noSuchEventType,
  invalidArgumentValue: Code.invalidArgumentValue,
  noSuchSopClass: Code.noSuchSopClass,
} as const;

/** Failure Reason (0008,1197) of a storage commitment's Failed SOP Sequence (PS3.4 J.3.2.1.1.1, PS3.3 C.14.1.1). */
export const CommitmentFailureReason = {
  processingFailure: Code.processingFailure,
  noSuchObjectInstance: Code.noSuchObjectInstance,
  resourceLimitation: Code.resourceLimitation,
  referencedSopClassNotSupported: Code.sopClassNotSupported,
  classInstanceConflict: Code.classInstanceConflict,
  duplicateTransactionUid: Code.duplicateTransactionUid,
} as const;

/** What a response says: its status and, on failure, an Error Comment (0000,0902) saying why. */
export interface DimseOutcome {
  status: number;
  errorComment?: string;
}

export type StatusClass = 'success' | 'pending' | 'cancel' | 'warning' | 'failure';

/** Warnings are 0001 and the Bxxx family (PS3.7 C.3). */
const WARNING_FAMILY = 0xb000;

export function statusClass(status: number): StatusClass {
  if (status === Code.success) return 'success';
  if (status === Code.pending || status === Code.pendingOptionalKeysNotSupported) return 'pending';
  if (status === Code.cancel) return 'cancel';
  if (status === Code.attributeListError || (status & 0xf000) === WARNING_FAMILY) return 'warning';
  return 'failure';
}

const MEANINGS: Record<number, string> = {
  [Code.success]: 'success',
  [Code.pending]: 'pending',
  [Code.pendingOptionalKeysNotSupported]: 'pending (optional keys not supported)',
  [Code.cancel]: 'cancelled',
  [Code.attributeListError]: 'warning: attribute list error',
  [Code.subOperationsCompleteWithFailures]: 'warning: sub-operations complete, one or more failures',
  [Code.elementsDiscarded]: 'warning: elements discarded',
  [Code.dataSetDoesNotMatchSopClassWarning]: 'warning: data set does not match SOP class',
  [Code.processingFailure]: 'processing failure',
  [Code.duplicateSopInstance]: 'duplicate SOP instance',
  [Code.noSuchObjectInstance]: 'no such object instance',
  [Code.noSuchEventType]: 'no such event type',
  [Code.invalidArgumentValue]: 'invalid argument value',
  [Code.invalidObjectInstance]: 'invalid object instance',
  [Code.noSuchSopClass]: 'no such SOP class',
  [Code.classInstanceConflict]: 'class-instance conflict',
  [Code.duplicateTransactionUid]: 'duplicate transaction UID',
  [Code.sopClassNotSupported]: 'SOP class not supported',
  [Code.notAuthorized]: 'not authorised',
  [Code.duplicateInvocation]: 'duplicate invocation',
  [Code.unrecognizedOperation]: 'unrecognised operation',
  [Code.mistypedArgument]: 'mistyped argument',
  [Code.resourceLimitation]: 'resource limitation',
  [Code.outOfResources]: 'out of resources',
  [Code.unableToCalculateMatches]: 'out of resources: unable to calculate number of matches',
  [Code.unableToPerformSubOperations]: 'out of resources: unable to perform sub-operations',
  [Code.moveDestinationUnknown]: 'move destination unknown',
  [Code.doesNotMatchSopClass]: 'identifier does not match SOP class',
  [Code.unableToProcess]: 'unable to process',
};

/** "0xA801 (move destination unknown)"; an unnamed Axxx is a refusal, an unnamed Cxxx "unable to process". */
export function describeStatus(status: number): string {
  const hex = `0x${status.toString(16).toUpperCase().padStart(4, '0')}`;
  const meaning = MEANINGS[status] ?? ((status & 0xf000) === 0xa000 ? 'refused' : (status & 0xf000) === 0xc000 ? 'unable to process' : undefined);
  return meaning ? `${hex} (${meaning})` : hex;
}
