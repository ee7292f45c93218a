import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebApp } from '../../../main/web/app.js';
import { newBearerToken, sessionCookieName } from '../../../main/web/auth.js';
import { startHttpServer, type RunningHttpServer } from '../../../main/web/http-server.js';
import { LAUNCH_CODE_TTL_MS, LaunchCodes, launchUrlFor } from '../../../main/web/launch-codes.js';
import { httpGet, httpRequest } from './http-get.js';

// The HTTP face on a real socket; `serve` end to end is in serve.test.ts, cross-site-writes.test.ts and open.test.ts.
let server: RunningHttpServer;
let port = 0;
let now = Date.now();
const launchCodes = new LaunchCodes(LAUNCH_CODE_TTL_MS, () => now);
const token = newBearerToken();
const status = { aet: 'TEST_AE', dicomPort: 11112, version: '0.0.0-test', counts: { studies: 2 } };
const bearer = { authorization: `Bearer ${token}` };

beforeAll(async () => {
  const app = createWebApp({ token, port: () => port, launchCodes, status: () => status });
  server = await startHttpServer(app.fetch, '127.0.0.1', 0);
  port = server.port;
});
afterAll(() => server.close());

/** A fresh launch URL from the node, as `viewbox open` asks for one. */
async function freshLaunchUrl(): Promise<{ launchUrl: string; expiresAt: string }> {
  const reply = await httpRequest(port, 'POST', '/api/launch', bearer);
  expect(reply.status, reply.body).toBe(200);
  return JSON.parse(reply.body) as { launchUrl: string; expiresAt: string };
}

/** Opens a launch URL; the session cookie it sets (name=value). */
async function openLaunchUrl(launchUrl: string): Promise<string> {
  const url = new URL(launchUrl);
  const reply = await httpGet(port, `${url.pathname}${url.search}`);
  expect(reply.status, reply.body).toBe(303);
  return String(reply.headers['set-cookie']).split(';')[0]!;
}

describe('HTTP access', () => {
  it('issues a 32-byte base64url bearer token, different each start', () => {
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newBearerToken()).not.toBe(token);
  });

  it('refuses a request without token or cookie', async () => {
    const reply = await httpGet(port, '/api/status');
    expect(reply.status).toBe(401);
    expect(reply.body).not.toContain('TEST_AE');
  });

  it('answers a bearer token', async () => {
    const reply = await httpGet(port, '/api/status', bearer);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual(status);
    expect(Object.keys(reply.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('refuses a wrong bearer token', async () => {
    expect((await httpGet(port, '/api/status', { authorization: `Bearer ${newBearerToken()}` })).status).toBe(401);
  });

  it('exchanges a one-time launch code, not the bearer token, for a session cookie and drops it from the address', async () => {
    const { launchUrl, expiresAt } = await freshLaunchUrl();
    expect(launchUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?launch=[A-Za-z0-9_-]{43}$`));
    expect(launchUrl).not.toContain(token);
    expect(Date.parse(expiresAt) - now).toBe(LAUNCH_CODE_TTL_MS);
    const url = new URL(launchUrl);
    const launch = await httpGet(port, `${url.pathname}${url.search}`);
    expect(launch.status).toBe(303);
    expect(launch.headers.location).toBe('/');
    const setCookie = String(launch.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${sessionCookieName(port)}=`));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toContain(url.searchParams.get('launch'));
    const cookie = setCookie.split(';')[0]!;
    expect((await httpGet(port, '/', { cookie })).status).toBe(200);
    expect(JSON.parse((await httpGet(port, '/api/status', { cookie })).body)).toEqual(status);
    // A made-up session is not a session.
    expect((await httpGet(port, '/api/status', { cookie: `${sessionCookieName(port)}=${newBearerToken()}` })).status).toBe(401);
    // The launch URL is good for one session only; the bearer token keeps working.
    const again = await httpGet(port, `${url.pathname}${url.search}`);
    expect(again.status).toBe(401);
    expect(again.body).toContain('already been used');
    expect(again.body).toContain('viewbox open');
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await httpGet(port, '/api/status', bearer)).status).toBe(200);
  });

  it('opens no session with the bearer token in the address (it is not a launch code)', async () => {
    for (const path of [`/?launch=${token}`, `/?token=${token}`]) {
      const reply = await httpGet(port, path);
      expect(reply.status, path).toBe(401);
      expect(reply.headers['set-cookie'], path).toBeUndefined();
    }
  });

  it('gives a second browser its own launch URL, each good once, while the first session goes on', async () => {
    const first = await openLaunchUrl((await freshLaunchUrl()).launchUrl);
    const second = await openLaunchUrl((await freshLaunchUrl()).launchUrl);
    expect(second).not.toBe(first);
    for (const cookie of [first, second]) expect((await httpGet(port, '/api/status', { cookie })).status).toBe(200);
  });

  it('refuses a launch URL opened after 5 minutes', async () => {
    const { code } = launchCodes.issue();
    const path = new URL(launchUrlFor(`http://127.0.0.1:${port}/`, code)).search;
    now += LAUNCH_CODE_TTL_MS;
    const reply = await httpGet(port, `/${path}`);
    expect(reply.status).toBe(401);
    expect(reply.body).toContain('expired');
    expect(reply.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a wrong launch code', async () => {
    const reply = await httpGet(port, `/?launch=${newBearerToken()}`);
    expect(reply.status).toBe(401);
    expect(reply.body).toContain('invalid launch code');
    expect(reply.headers['set-cookie']).toBeUndefined();
  });

  it('hands out launch URLs to the bearer token only, not to a session or a stranger', async () => {
    const cookie = await openLaunchUrl((await freshLaunchUrl()).launchUrl);
    const bySession = await httpRequest(port, 'POST', '/api/launch', { cookie, origin: `http://127.0.0.1:${port}` });
    expect(bySession.status).toBe(403);
    expect(bySession.body).toContain('Bearer');
    expect((await httpRequest(port, 'POST', '/api/launch')).status).toBe(401);
  });

  it('refuses cookie writes from another origin or in a type a form can send; the bearer token is not asked for an Origin', async () => {
    const cookie = await openLaunchUrl((await freshLaunchUrl()).launchUrl);
    const own = `http://127.0.0.1:${port}`;
    const text = { 'content-type': 'text/plain' };
    const json = { 'content-type': 'application/json' };
    const refused = [
      ['another port', { cookie, origin: `http://127.0.0.1:${port + 1}`, ...json }],
      ['localhost on another port', { cookie, origin: `http://localhost:${port + 1}`, ...json }],
      ['an opaque origin', { cookie, origin: 'null', ...json }],
      ['no Origin', { cookie, ...json }],
      ['text/plain from our own origin', { cookie, origin: own, ...text }],
      ['a form from our own origin', { cookie, origin: own, 'content-type': 'application/x-www-form-urlencoded' }],
    ] as const;
    for (const [why, headers] of refused) {
      const reply = await httpRequest(port, 'POST', '/api/anything', headers, '{}');
      expect(reply.status, why).toBe(403);
      expect(JSON.parse(reply.body).error, why).toMatch(/Origin|origin|must send its body as application\/json/);
    }
    // Past the guard (then 404: this app has no such route).
    expect((await httpRequest(port, 'POST', '/api/anything', { cookie, origin: own, ...json }, '{}')).status).toBe(404);
    expect((await httpRequest(port, 'DELETE', '/api/anything', { cookie, origin: own })).status).toBe(404);
    expect((await httpRequest(port, 'POST', '/api/anything', { ...bearer, ...text }, '{}')).status).toBe(404);
    expect((await httpRequest(port, 'POST', '/api/anything', { ...bearer, origin: `http://127.0.0.1:${port + 1}`, ...text }, '{}')).status).toBe(404);
    // Reads need no Origin.
    expect((await httpGet(port, '/api/status', { cookie, origin: `http://127.0.0.1:${port + 1}` })).status).toBe(200);
  });

  it('refuses a foreign Host (DNS rebinding), even with the right token', async () => {
    for (const host of ['evil.example:' + port, `127.0.0.1:${port + 1}`, 'localhost', `viewbox.attacker.test:${port}`]) {
      const reply = await httpGet(port, '/api/status', { host, ...bearer });
      expect(reply.status, host).toBe(403);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      expect((await httpGet(port, '/api/status', { host, ...bearer })).status, host).toBe(200);
    }
  });
});
