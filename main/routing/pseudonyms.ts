/**
 * Deterministic replacements keyed by the node's secret: the same original
 * always gives the same replacement on this node (across files, exports and
 * restarts), and without the secret it can be neither reversed nor
 * recomputed from the original.
 */
import { createHmac } from 'node:crypto';

/** `2.25.<decimal of the first 16 bytes of HMAC-SHA256(secret, uid)>`: at most 44 characters (PS3.5 B.2). */
export function replacementUid(secret: Uint8Array, uid: string): string {
  const digest = createHmac('sha256', secret).update(uid, 'latin1').digest();
  return `2.25.${BigInt(`0x${digest.subarray(0, 16).toString('hex')}`).toString(10)}`;
}

/** Patient ID and Patient's Name of the copy, from the original Patient ID (an absent ID is the empty one). */
export function patientPseudonym(secret: Uint8Array, patientId: string): string {
  const digest = createHmac('sha256', secret).update(`patient-id\0${patientId}`, 'utf8').digest();
  return `ANON-${digest.subarray(0, 8).toString('hex').toUpperCase()}`;
}
