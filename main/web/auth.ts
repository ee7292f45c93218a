/**
 * Access to the HTTP face: a launch token (random per start) is exchanged,
 * once only, for an HttpOnly, SameSite=Strict session cookie; API clients may send
 * it as a bearer token instead. The Host header must name this machine's
 * loopback on our port, so a hostile page cannot reach us through DNS
 * rebinding. No CORS headers are ever sent.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export function newLaunchToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface AuthOptions {
  token: string;
  /** The bound HTTP port (known only after listen when port 0 was asked for). */
  port: () => number;
}

export function sessionCookieName(port: number): string {
  // Cookies ignore ports: one name per port keeps two nodes on one machine apart.
  return `viewbox_session_${port}`;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

export function authMiddleware(options: AuthOptions): MiddlewareHandler {
  const sessions = new Set<string>();
  // The launch URL opens one session: a copy of it in a history or a log is worth nothing afterwards.
  let launchUsed = false;
  return async (c, next) => {
    const port = options.port();
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (!allowedHosts(port).includes(host)) {
      return c.json({ error: `Host "${host}" is not this node (expected 127.0.0.1:${port}, localhost:${port} or [::1]:${port})` }, 403);
    }
    const launch = c.req.query('token');
    if (launch !== undefined && c.req.method === 'GET') {
      if (!sameSecret(launch, options.token)) return c.json({ error: 'invalid launch token' }, 401);
      if (launchUsed) return c.json({ error: 'this launch URL has already been used; start the app again, or send Authorization: Bearer <token>' }, 401);
      launchUsed = true;
      const session = randomBytes(32).toString('base64url');
      sessions.add(session);
      setCookie(c, sessionCookieName(port), session, { httpOnly: true, sameSite: 'Strict', path: '/' });
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      c.header('Cache-Control', 'no-store');
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const cookie = getCookie(c, sessionCookieName(port));
    const authorised = (bearer !== undefined && sameSecret(bearer, options.token)) || (cookie !== undefined && sessions.has(cookie));
    if (!authorised) return c.json({ error: 'authentication required: open the launch URL or send Authorization: Bearer <token>' }, 401);
    await next();
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
