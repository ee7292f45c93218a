/**
 * Access to the HTTP face. A one-time launch code (launch-codes.ts) is
 * exchanged for an HttpOnly, SameSite=Strict session cookie; scripts send the
 * node's bearer token (random per start) instead. Writes made with the cookie
 * must come from this node's own origin (same-origin.ts). The Host header must
 * name this machine's loopback on our port, so a hostile page cannot reach us
 * through DNS rebinding. No CORS headers are ever sent.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { LAUNCH_PARAM, type LaunchCodes, type Redemption } from './launch-codes.js';
import { crossSiteRefusal } from './same-origin.js';

export function newBearerToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface AuthOptions {
  /** The API bearer token of this start. */
  token: string;
  /** The bound HTTP port (known only after listen when port 0 was asked for). */
  port: () => number;
  /** Where launch codes come from; absent, a private set (codes then come only from POST /api/launch). */
  launchCodes?: LaunchCodes;
}

/** How a request proved itself; routes that only scripts may call check it. */
export type AuthEnv = { Variables: { authenticatedBy: 'bearer' | 'session' } };

export function sessionCookieName(port: number): string {
  // Cookies ignore ports: one name per port keeps two nodes on one machine apart.
  return `viewbox_session_${port}`;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

const LAUNCH_REFUSALS: Record<Exclude<Redemption, 'ok'>, string> = {
  unknown: 'invalid launch code',
  used: 'this launch URL has already been used',
  expired: 'this launch URL has expired (a launch URL is good for 5 minutes)',
};
const FRESH_LAUNCH_HINT = 'get a fresh one with `viewbox open`, or send Authorization: Bearer <token>';

export function authMiddleware(options: AuthOptions, launchCodes: LaunchCodes): MiddlewareHandler<AuthEnv> {
  const sessions = new Set<string>();
  return async (c, next) => {
    const port = options.port();
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (!allowedHosts(port).includes(host)) {
      return c.json({ error: `Host "${host}" is not this node (expected 127.0.0.1:${port}, localhost:${port} or [::1]:${port})` }, 403);
    }
    const launch = c.req.query(LAUNCH_PARAM);
    if (launch !== undefined && c.req.method === 'GET') {
      const redeemed = launchCodes.redeem(launch);
      if (redeemed !== 'ok') return c.json({ error: `${LAUNCH_REFUSALS[redeemed]}; ${FRESH_LAUNCH_HINT}` }, 401);
      const session = randomBytes(32).toString('base64url');
      sessions.add(session);
      setCookie(c, sessionCookieName(port), session, { httpOnly: true, sameSite: 'Strict', path: '/' });
      const url = new URL(c.req.url);
      url.searchParams.delete(LAUNCH_PARAM);
      c.header('Cache-Control', 'no-store');
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (bearer !== undefined && sameSecret(bearer, options.token)) {
      c.set('authenticatedBy', 'bearer');
      return next();
    }
    const cookie = getCookie(c, sessionCookieName(port));
    if (cookie === undefined || !sessions.has(cookie)) {
      return c.json({ error: 'authentication required: open a launch URL (`viewbox open` gives one) or send Authorization: Bearer <token>' }, 401);
    }
    const refusal = crossSiteRefusal({
      method: c.req.method,
      path: c.req.path,
      host,
      origin: c.req.header('origin'),
      contentType: c.req.header('content-type'),
      contentLength: c.req.header('content-length'),
      transferEncoding: c.req.header('transfer-encoding'),
    });
    if (refusal !== undefined) return c.json({ error: refusal }, 403);
    c.set('authenticatedBy', 'session');
    return next();
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
