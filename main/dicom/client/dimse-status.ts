/** DIMSE status codes of the C-services in words (PS3.7 C, PS3.4 B.2.3 / C.4), and their class. */

export type StatusClass = 'success' | 'pending' | 'cancel' | 'warning' | 'failure';

export function statusClass(status: number): StatusClass {
  if (status === 0x0000) return 'success';
  if (status === 0xff00 || status === 0xff01) return 'pending';
  if (status === 0xfe00) return 'cancel';
  if (status === 0x0001 || (status & 0xf000) === 0xb000) return 'warning';
  return 'failure';
}

const MEANINGS: Record<number, string> = {
  0x0000: 'success',
  0xff00: 'pending',
  0xff01: 'pending (optional keys not supported)',
  0xfe00: 'cancelled',
  0x0001: 'warning: attribute list error',
  0xb000: 'warning: sub-operations complete, one or more failures',
  0xb006: 'warning: elements discarded',
  0xb007: 'warning: data set does not match SOP class',
  0x0110: 'processing failure',
  0x0111: 'duplicate SOP instance',
  0x0117: 'invalid object instance',
  0x0122: 'SOP class not supported',
  0x0124: 'not authorised',
  0x0210: 'duplicate invocation',
  0x0211: 'unrecognised operation',
  0x0212: 'mistyped argument',
  0xa700: 'out of resources',
  0xa701: 'out of resources: unable to calculate number of matches',
  0xa702: 'out of resources: unable to perform sub-operations',
  0xa801: 'move destination unknown',
  0xa900: 'identifier does not match SOP class',
  0xc000: 'unable to process',
};

/** "0xA801 (move destination unknown)". */
export function describeStatus(status: number): string {
  const hex = `0x${status.toString(16).toUpperCase().padStart(4, '0')}`;
  const meaning = MEANINGS[status] ?? ((status & 0xf000) === 0xa000 ? 'refused' : (status & 0xf000) === 0xc000 ? 'unable to process' : undefined);
  return meaning ? `${hex} (${meaning})` : hex;
}
