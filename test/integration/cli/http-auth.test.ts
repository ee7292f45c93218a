import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebApp } from '../../../main/web/app.js';
import { newLaunchToken, sessionCookieName } from '../../../main/web/auth.js';
import { startHttpServer, type RunningHttpServer } from '../../../main/web/http-server.js';
import { httpGet } from './http-get.js';

// The HTTP face on a real socket; `serve` end to end is in serve.test.ts.
let server: RunningHttpServer;
let port = 0;
const token = newLaunchToken();
const status = { aet: 'TEST_AE', dicomPort: 11112, version: '0.0.0-test', counts: { studies: 2 } };

beforeAll(async () => {
  const app = createWebApp({ token, port: () => port, status: () => status });
  server = await startHttpServer(app.fetch, '127.0.0.1', 0);
  port = server.port;
});
afterAll(() => server.close());

describe('HTTP access', () => {
  it('issues a 32-byte base64url launch token, different each start', () => {
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newLaunchToken()).not.toBe(token);
  });

  it('refuses a request without token or cookie', async () => {
    const reply = await httpGet(port, '/api/status');
    expect(reply.status).toBe(401);
    expect(reply.body).not.toContain('TEST_AE');
  });

  it('answers a bearer token', async () => {
    const reply = await httpGet(port, '/api/status', { authorization: `Bearer ${token}` });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual(status);
    expect(Object.keys(reply.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('refuses a wrong bearer token', async () => {
    expect((await httpGet(port, '/api/status', { authorization: `Bearer ${newLaunchToken()}` })).status).toBe(401);
  });

  it('exchanges the launch URL for a session cookie and drops the token from the address', async () => {
    const launch = await httpGet(port, `/?token=${token}`);
    expect(launch.status).toBe(303);
    expect(launch.headers.location).toBe('/');
    const setCookie = String(launch.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${sessionCookieName(port)}=`));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toContain(token);
    const cookie = setCookie.split(';')[0]!;
    expect((await httpGet(port, '/', { cookie })).status).toBe(200);
    expect(JSON.parse((await httpGet(port, '/api/status', { cookie })).body)).toEqual(status);
    // A made-up session is not a session.
    expect((await httpGet(port, '/api/status', { cookie: `${sessionCookieName(port)}=${newLaunchToken()}` })).status).toBe(401);
    // The launch URL is good for one session only; the bearer token keeps working.
    const again = await httpGet(port, `/?token=${token}`);
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await httpGet(port, '/api/status', { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('refuses a wrong launch token', async () => {
    const reply = await httpGet(port, `/?token=${newLaunchToken()}`);
    expect(reply.status).toBe(401);
    expect(reply.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a foreign Host (DNS rebinding), even with the right token', async () => {
    for (const host of ['evil.example:' + port, `127.0.0.1:${port + 1}`, 'localhost', `viewbox.attacker.test:${port}`]) {
      const reply = await httpGet(port, '/api/status', { host, authorization: `Bearer ${token}` });
      expect(reply.status, host).toBe(403);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      expect((await httpGet(port, '/api/status', { host, authorization: `Bearer ${token}` })).status, host).toBe(200);
    }
  });
});
