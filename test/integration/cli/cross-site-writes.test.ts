/**
 * Writes made with the session cookie must come from the node's own origin,
 * against `viewbox serve` over real sockets. SameSite=Strict does not
 * separate ports: a page on any other local port is "same site", so without
 * this guard its text/plain form post carried our cookie and started a job.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/net.js';
import { pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { tempDir } from '../../helpers/tmp.js';
import { httpGet, httpRequest } from './http-get.js';
import { assertBuilt, isolatedEnv, startServing, type ServingProcess } from './viewbox-cli.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let node: ServingProcess;
let port: number;
let cookie: string;
let own: string;
let bearer: Record<string, string>;
const retrieve = JSON.stringify({ node: 'pacs', studyUid: '1.2.3.4.5' });

beforeAll(async () => {
  assertBuilt();
  home = await tempDir('viewbox-cross-site-');
  // A configured PACS that is not there: a retrieve job is created, then fails to connect.
  const config = { nodes: [{ name: 'pacs', aet: 'PACS', host: '127.0.0.1', port: await freePort(), allow: ['store'] }] };
  await writeFile(join(home.path, 'config.json'), JSON.stringify(config));
  node = await startServing(['serve', '--data', join(home.path, 'data'), '--config', join(home.path, 'config.json'), '--dicom-port', '0', '--http-port', '0'], isolatedEnv(home.path));
  port = node.ready.httpPort;
  own = `http://127.0.0.1:${port}`;
  bearer = { authorization: `Bearer ${node.ready.token}` };
  const launch = new URL(node.ready.launchUrl);
  const opened = await httpGet(port, `${launch.pathname}${launch.search}`);
  expect(opened.status, opened.body).toBe(303);
  cookie = String(opened.headers['set-cookie']).split(';')[0]!;
}, 60_000);

afterAll(async () => {
  node?.child.kill('SIGTERM');
  await node?.exited;
  await home?.cleanup();
});

async function jobCount(): Promise<number> {
  const jobs = await httpGet(port, '/api/jobs', bearer);
  expect(jobs.status).toBe(200);
  return (JSON.parse(jobs.body) as unknown[]).length;
}

describe('writes with the session cookie', () => {
  it('refuses a text/plain retrieve posted from another local port with the cookie, and no job is created', async () => {
    const before = await jobCount();
    const otherPort = await freePort();
    for (const origin of [`http://127.0.0.1:${otherPort}`, `http://localhost:${otherPort}`, `http://[::1]:${otherPort}`]) {
      const reply = await httpRequest(port, 'POST', '/api/jobs/retrieve', { cookie, origin, 'content-type': 'text/plain' }, retrieve);
      expect(reply.status, `${origin}: ${reply.body}`).toBe(403);
      expect(JSON.parse(reply.body).error).toContain(`from origin "${origin}" is refused`);
    }
    // The same page sending JSON (it would need a CORS preflight we never answer) is refused as well.
    const json = await httpRequest(port, 'POST', '/api/jobs/retrieve', { cookie, origin: `http://127.0.0.1:${otherPort}`, 'content-type': 'application/json' }, retrieve);
    expect(json.status).toBe(403);
    // A request without an Origin cannot prove where it comes from.
    expect((await httpRequest(port, 'POST', '/api/jobs/retrieve', { cookie, 'content-type': 'application/json' }, retrieve)).status).toBe(403);
    // Our own origin, but a type any form can send.
    const text = await httpRequest(port, 'POST', '/api/jobs/retrieve', { cookie, origin: own, 'content-type': 'text/plain' }, retrieve);
    expect(text.status).toBe(403);
    expect(JSON.parse(text.body).error).toContain('must send its body as application/json');
    expect(await jobCount()).toBe(before);
  });

  it("lets the reading room's own JSON writes through", async () => {
    const before = await jobCount();
    const reply = await httpRequest(port, 'POST', '/api/jobs/retrieve', { cookie, origin: own, 'content-type': 'application/json' }, retrieve);
    expect(reply.status, reply.body).toBe(202);
    expect(await jobCount()).toBe(before + 1);
    // Past the guard to the route's own answers.
    const status = await httpRequest(port, 'PUT', '/api/studies/1.2.3/read-status', { cookie, origin: own, 'content-type': 'application/json' }, '{"readStatus":"read"}');
    expect(JSON.parse(status.body)).toEqual({ error: 'study 1.2.3 is not in the archive' });
    const removed = await httpRequest(port, 'DELETE', '/api/studies/1.2.3/measurements/9.9', { cookie, origin: own });
    expect(JSON.parse(removed.body)).toEqual({ error: 'study 1.2.3 has no measurement 9.9' });
  });

  it('keeps STOW-RS (multipart/related) working with the cookie from our own origin, and only from there', async () => {
    const file = await readFile(join(pydicomTestFiles, 'CT_small.dcm'));
    const boundary = 'viewbox-cross-site-test';
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const headers = { cookie, 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`, accept: 'application/dicom+json' };
    const foreign = await httpRequest(port, 'POST', '/dicom-web/studies', { ...headers, origin: `http://localhost:${await freePort()}` }, body);
    expect(foreign.status).toBe(403);
    const stored = await httpRequest(port, 'POST', '/dicom-web/studies', { ...headers, origin: own }, body);
    expect(stored.status, stored.body).toBe(200);
    expect(stored.body).toContain('00081199');
  });

  it('asks scripts with the bearer token for no Origin and no content type', async () => {
    const before = await jobCount();
    const reply = await httpRequest(port, 'POST', '/api/jobs/retrieve', { ...bearer, 'content-type': 'text/plain' }, retrieve);
    expect(reply.status, reply.body).toBe(202);
    expect(await jobCount()).toBe(before + 1);
  });
});
