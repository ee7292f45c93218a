/** A-ASSOCIATE-RJ and A-ABORT fields in words (PS3.8 9.3.4 and 9.3.8), for error messages a user can act on. */
import type { Abort, AssociateRj } from '../ul/pdu-codec.js';

const RJ_SOURCES: Record<number, string> = {
  1: 'the service user',
  2: 'the service provider (ACSE)',
  3: 'the service provider (presentation)',
};

const RJ_REASONS: Record<number, Record<number, string>> = {
  1: {
    1: 'no reason given',
    2: 'application context name not supported',
    3: 'calling AE title not recognised',
    7: 'called AE title not recognised',
  },
  2: { 1: 'no reason given', 2: 'protocol version not supported' },
  3: { 1: 'temporary congestion', 2: 'local limit exceeded' },
};

/** "rejected permanently by the service user: called AE title not recognised". */
export function describeRejection(rj: AssociateRj): string {
  const result = rj.result === 1 ? 'permanently' : rj.result === 2 ? 'transiently' : `(result ${rj.result})`;
  const source = RJ_SOURCES[rj.source] ?? `source ${rj.source}`;
  const reason = RJ_REASONS[rj.source]?.[rj.reason] ?? `reason ${rj.reason}`;
  return `rejected ${result} by ${source}: ${reason}`;
}

const ABORT_REASONS: Record<number, string> = {
  0: 'reason not specified',
  1: 'unrecognised PDU',
  2: 'unexpected PDU',
  4: 'unrecognised PDU parameter',
  5: 'unexpected PDU parameter',
  6: 'invalid PDU parameter value',
};

/** "aborted by the service provider: unexpected PDU". */
export function describeAbort(abort: Abort): string {
  if (abort.source === 0) return 'aborted by the peer (service user)';
  const reason = ABORT_REASONS[abort.reason] ?? `reason ${abort.reason}`;
  return `aborted by the ${abort.source === 2 ? 'service provider' : `source ${abort.source}`}: ${reason}`;
}
