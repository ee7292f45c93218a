/**
 * One-time launch codes: the secret in a launch URL (`/?launch=CODE`). Each
 * is random, good for one session and for a few minutes, and is not the API
 * bearer token, so a launch URL left in a browser history or a log is worth
 * nothing once used or expired. The running node issues fresh ones on demand
 * (POST /api/launch, `viewbox open`).
 */
import { createHash, randomBytes } from 'node:crypto';

/** The query parameter of a launch URL. */
export const LAUNCH_PARAM = 'launch';
/** How long a launch URL may wait before it is opened. */
export const LAUNCH_CODE_TTL_MS = 5 * 60_000;
/** Codes outstanding at once; issuing more forgets the oldest (a loop calling POST /api/launch cannot grow memory). */
const MAX_OUTSTANDING = 64;

export type Redemption = 'ok' | 'unknown' | 'used' | 'expired';

export class LaunchCodes {
  // Keyed by the code's hash, so a lookup's timing says nothing about the codes held.
  private readonly codes = new Map<string, { expiresAt: number; used: boolean }>();

  constructor(
    private readonly ttlMs = LAUNCH_CODE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): { code: string; expiresAt: number } {
    this.prune();
    const code = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.codes.set(digest(code), { expiresAt, used: false });
    while (this.codes.size > MAX_OUTSTANDING) this.codes.delete(this.codes.keys().next().value!);
    return { code, expiresAt };
  }

  /** Spends a code: 'ok' once, then 'used'. */
  redeem(code: string): Redemption {
    const entry = this.codes.get(digest(code));
    if (!entry) return 'unknown';
    if (entry.used) return 'used';
    if (this.now() >= entry.expiresAt) return 'expired';
    entry.used = true;
    return 'ok';
  }

  private prune(): void {
    // Used codes are kept until they would have expired, so a second use says "used", not "invalid".
    const now = this.now();
    for (const [key, entry] of this.codes) if (now >= entry.expiresAt) this.codes.delete(key);
  }
}

function digest(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** The node's address (http://127.0.0.1:PORT/) with a launch code. */
export function launchUrlFor(base: string, code: string): string {
  const url = new URL(base);
  url.searchParams.set(LAUNCH_PARAM, code);
  return url.href;
}
