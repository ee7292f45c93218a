/**
 * One-time launch URLs against `viewbox serve` over real sockets: the ready
 * line's launch URL is not the bearer token and opens one session, and
 * `viewbox open` gets a fresh one from the running node (printed, and handed
 * to the desktop's opener) so another browser needs no restart of the node.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tmp.js';
import { httpGet } from './http-get.js';
import { assertBuilt, isolatedEnv, startServing, viewbox, type ServingProcess } from './viewbox-cli.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let node: ServingProcess;
let data: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  assertBuilt();
  home = await tempDir('viewbox-open-');
  data = join(home.path, 'data');
  env = isolatedEnv(home.path);
  node = await startServing(['serve', '--data', data, '--dicom-port', '0', '--http-port', '0'], env);
}, 60_000);

afterAll(async () => {
  node?.child.kill('SIGTERM');
  await node?.exited;
  await home?.cleanup();
});

/** GET of a launch URL: the session cookie it gave (name=value), or the refusal. */
async function open(launchUrl: string): Promise<{ status: number; cookie?: string; body: string }> {
  const url = new URL(launchUrl);
  expect(Number(url.port)).toBe(node.ready.httpPort);
  const reply = await httpGet(node.ready.httpPort, `${url.pathname}${url.search}`);
  const cookie = reply.headers['set-cookie'] === undefined ? undefined : String(reply.headers['set-cookie']).split(';')[0]!;
  return { status: reply.status, ...(cookie ? { cookie } : {}), body: reply.body };
}

async function sessionWorks(cookie: string | undefined): Promise<boolean> {
  return (await httpGet(node.ready.httpPort, '/api/status', cookie ? { cookie } : {})).status === 200;
}

describe('launch URLs', () => {
  it('the ready line launch URL carries a one-time code, not the bearer token', async () => {
    const { launchUrl, token, url } = node.ready;
    expect(launchUrl).toMatch(new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?launch=[A-Za-z0-9_-]{43}$`));
    expect(launchUrl).not.toContain(token);
    // The bearer token in the address opens nothing.
    expect((await open(`${url}?token=${token}`)).status).toBe(401);
    expect((await open(`${url}?launch=${token}`)).status).toBe(401);
    const first = await open(launchUrl);
    expect(first.status).toBe(303);
    expect(await sessionWorks(first.cookie)).toBe(true);
    const again = await open(launchUrl);
    expect(again.status).toBe(401);
    expect(again.cookie).toBeUndefined();
    expect(again.body).toContain('viewbox open');
  });

  it('viewbox open --print gives a fresh launch URL each time, each good for one session, while the node runs on', async () => {
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await viewbox(['open', '--data', data, '--print'], env);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      urls.push(lines[0]!);
    }
    expect(new Set([...urls, node.ready.launchUrl]).size).toBe(3);
    const cookies: Array<string | undefined> = [];
    for (const launchUrl of urls) {
      expect(launchUrl).toMatch(/\?launch=[A-Za-z0-9_-]{43}$/);
      expect(launchUrl).not.toContain(node.ready.token);
      const opened = await open(launchUrl);
      expect(opened.status).toBe(303);
      cookies.push(opened.cookie);
      expect((await open(launchUrl)).status).toBe(401);
    }
    for (const cookie of cookies) expect(await sessionWorks(cookie)).toBe(true);
  });

  it('viewbox open hands the URL to the desktop opener when there is a display', async () => {
    const bin = join(home.path, 'fake-bin');
    await mkdir(bin, { recursive: true });
    const opened = join(home.path, 'opened.txt');
    // A stand-in for xdg-open that notes what it was asked to open.
    await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" > '${opened}'\n`);
    await chmod(join(bin, 'xdg-open'), 0o755);
    const r = await viewbox(['open', '--data', data], { ...env, PATH: `${bin}:${env.PATH}`, DISPLAY: ':99' });
    expect(r.code, r.stderr).toBe(0);
    const printed = r.stdout.trim();
    let handed = '';
    for (let i = 0; i < 50 && handed === ''; i++) {
      handed = (await readFile(opened, 'utf8').catch(() => '')).trim();
      if (handed === '') await new Promise((done) => setTimeout(done, 100));
    }
    expect(handed).toBe(printed);
    expect((await open(handed)).status).toBe(303);
  });

  it('viewbox open on a folder no node runs on exits 1 and says how to start one', async () => {
    const r = await viewbox(['open', '--data', join(home.path, 'idle'), '--print'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no Viewbox node is running on .*idle.*viewbox start.*viewbox serve/);
  });
});
