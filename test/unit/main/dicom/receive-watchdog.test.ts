import { describe, expect, it } from 'vitest';
import { ReceiveWatchdog } from '../../../../main/dicom/ul/receive-watchdog.js';

const pace = { minBytesPerSecond: 100, windowSeconds: 10, pduSeconds: 30 };
const inPdu = (pduBegan = false) => ({ inPdu: true, pduBegan, inMessage: true });

/**
 * Feed `bytes` every `everyMs` from `from` to `to`, each chunk handled at once,
 * all inside one PDU (begun at `from` when `newPdu`); returns the first verdict.
 */
function drip(w: ReceiveWatchdog, bytes: number, everyMs: number, from: number, to: number, newPdu = true): { at: number; why: string } | undefined {
  for (let t = from; t <= to; t += everyMs) {
    w.received(bytes, t);
    w.resumed(inPdu(newPdu && t === from), t);
    const why = w.verdict(t);
    if (why) return { at: t, why };
  }
  return undefined;
}

describe('ReceiveWatchdog', () => {
  it('lets a sender at the minimum rate or above go on, window after window', () => {
    const w = new ReceiveWatchdog({ ...pace, pduSeconds: 1e6 });
    expect(drip(w, 100, 1000, 0, 120_000)).toBeUndefined();
  });

  it('judges a drip once a whole window has passed, not before', () => {
    const w = new ReceiveWatchdog(pace);
    const tripped = drip(w, 1, 1000, 0, 60_000);
    expect(tripped?.at).toBe(10_000);
    expect(tripped?.why).toMatch(/bytes\/s over 10\.0 s.*minimum 100 bytes\/s/);
  });

  it('catches a fast start followed by a drip in the next window', () => {
    const w = new ReceiveWatchdog({ ...pace, pduSeconds: 1e6 });
    expect(drip(w, 100_000, 1000, 0, 10_000)).toBeUndefined();
    expect(drip(w, 1, 1000, 11_000, 60_000, false)?.at).toBe(20_000);
  });

  it('does not count time the socket is paused by us (a slow disk)', () => {
    const w = new ReceiveWatchdog(pace);
    w.received(10, 0);
    w.resumed(inPdu(true), 0);
    w.received(10, 1000);
    // Our write takes 60 s with the socket paused: the sender is not to blame.
    expect(w.verdict(61_000)).toBeUndefined();
    w.resumed(inPdu(), 61_000);
    expect(w.verdict(62_000)).toBeUndefined();
  });

  it('sets the per-PDU deadline from the PDU first byte, whatever the rate', () => {
    const w = new ReceiveWatchdog(pace);
    expect(drip(w, 1000, 1000, 0, 29_000)).toBeUndefined();
    expect(drip(w, 1000, 1000, 30_000, 40_000, false)).toEqual({ at: 31_000, why: 'PDU not complete 30 s after its first byte' });
  });

  it('starts afresh after each transfer, and says nothing between them', () => {
    const w = new ReceiveWatchdog({ ...pace, pduSeconds: 1e6 });
    w.received(5, 0);
    w.resumed(inPdu(true), 0);
    w.received(5, 500);
    w.resumed({ inPdu: false, pduBegan: false, inMessage: false }, 500);
    expect(w.active).toBe(false);
    expect(w.verdict(100_000)).toBeUndefined();
    expect(drip(w, 100, 1000, 100_000, 200_000)).toBeUndefined();
  });

  it('a minimum of 0 turns the rate rule off', () => {
    const w = new ReceiveWatchdog({ ...pace, minBytesPerSecond: 0, pduSeconds: 1e6 });
    expect(drip(w, 0, 1000, 0, 100_000)).toBeUndefined();
  });
});
