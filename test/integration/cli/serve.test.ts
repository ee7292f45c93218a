import { writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { dcmtkEnv, run } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { pydicomFacts } from '../../unit/main/import/pydicom-files.js';
import { httpGet } from './http-get.js';
import { assertBuilt, isolatedEnv, startServing, viewbox } from './viewbox-cli.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  assertBuilt();
  dir = await tempDir('viewbox-serve-');
});
afterAll(() => dir.cleanup());

describe('viewbox serve', () => {
  it('prints one ready line, answers DICOM and HTTP, and exits 0 on SIGTERM', async () => {
    const data = join(dir.path, 'archive');
    const node = await startServing(['serve', '--data', data, '--aet', 'VB_TEST', '--dicom-port', '0', '--http-port', '0'], isolatedEnv(dir.path));
    const { ready } = node;
    expect(ready).toMatchObject({ aet: 'VB_TEST', data, pid: node.child.pid });
    expect(isAbsolute(ready.data)).toBe(true);
    expect(ready.dicomPort).toBeGreaterThan(0);
    expect(ready.httpPort).toBeGreaterThan(0);
    expect(ready.url).toBe(`http://127.0.0.1:${ready.httpPort}/`);
    expect(Buffer.from(ready.token, 'base64url')).toHaveLength(32);

    // A real DICOM peer: C-ECHO, then one C-STORE.
    const echo = await run('echoscu', ['-aec', 'VB_TEST', '127.0.0.1', String(ready.dicomPort)], { env: dcmtkEnv });
    expect(echo.code, echo.stderr).toBe(0);
    const store = await run('storescu', ['-aec', 'VB_TEST', '127.0.0.1', String(ready.dicomPort), join(pydicomTestFiles, 'CT_small.dcm')], { env: dcmtkEnv });
    expect(store.code, store.stderr).toBe(0);

    expect((await httpGet(ready.httpPort, '/api/status')).status).toBe(401);
    const status = await httpGet(ready.httpPort, '/api/status', { authorization: `Bearer ${ready.token}` });
    expect(status.status).toBe(200);
    const body = JSON.parse(status.body) as { aet: string; dicomPort: number; version: string; counts: unknown };
    expect(body).toMatchObject({ aet: 'VB_TEST', dicomPort: ready.dicomPort });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(JSON.stringify(body.counts)).toMatch(/1/);

    // The launch URL flow against the real node, and the DNS-rebinding guard.
    const launchUrl = new URL(ready.launchUrl);
    const launch = await httpGet(ready.httpPort, `${launchUrl.pathname}${launchUrl.search}`);
    expect(launch.status).toBe(303);
    const cookie = String(launch.headers['set-cookie']).split(';')[0]!;
    expect((await httpGet(ready.httpPort, '/api/status', { cookie })).status).toBe(200);
    expect((await httpGet(ready.httpPort, '/api/status', { cookie, host: `rebound.example:${ready.httpPort}` })).status).toBe(403);

    node.child.kill('SIGTERM');
    expect(await node.exited).toEqual({ code: 0, signal: null });
    expect(node.stdout().trim().split('\n')).toHaveLength(1);

    // The archive was closed cleanly: the stored instance is listed by the next command.
    const studies = await viewbox(['studies', '--data', data, '--json'], isolatedEnv(dir.path));
    expect(studies.code, studies.stderr).toBe(0);
    const ct = join(pydicomTestFiles, 'CT_small.dcm');
    const studyUid = (await pydicomFacts([ct])).get(ct)?.studyInstanceUid;
    expect(studyUid).toBeTruthy();
    expect(studies.stdout).toContain(studyUid);
  });

  it('refuses an invalid configuration: exit 2, every error with its file and JSON pointer', async () => {
    const bad = join(dir.path, 'bad.json');
    await writeFile(bad, JSON.stringify({ aet: 'BAD\\AE', dicomPort: 'eleven', limits: { maxAssociations: 0 }, shoeSize: 44 }));
    const r = await viewbox(['serve', '--data', join(dir.path, 'never'), '--config', bad], isolatedEnv(dir.path));
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    for (const pointer of ['/aet', '/dicomPort', '/limits/maxAssociations', '/shoeSize']) {
      expect(lines.some((l) => l.startsWith(`${bad}: ${pointer}: `)), `${pointer} in\n${r.stderr}`).toBe(true);
    }
    expect(lines).toHaveLength(4);
    expect(r.stdout).not.toContain('viewbox ready');
  });

  it('names a bad flag as coming from the command line', async () => {
    const r = await viewbox(['serve', '--data', join(dir.path, 'never'), '--dicom-port', '99999'], isolatedEnv(dir.path));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^command line: \/dicomPort: /m);
  });

  it('refuses a non-loopback bind address, naming the machine-wide file that set it', async () => {
    const machine = join(dir.path, 'machine-wide.json');
    await writeFile(machine, JSON.stringify({ bindAddress: '0.0.0.0' }));
    const r = await viewbox(['serve', '--data', join(dir.path, 'never2'), '--dicom-port', '0', '--http-port', '0'], isolatedEnv(dir.path, { VIEWBOX_MACHINE_CONFIG: machine }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${machine.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: /bindAddress: .*loopback`, 'm'));
  });
});

describe('viewbox start', () => {
  it('without Electron, says so on stderr and serves', async () => {
    const node = await startServing(['start', '--data', join(dir.path, 'start'), '--dicom-port', '0', '--http-port', '0'], isolatedEnv(dir.path));
    expect(node.stderr()).toMatch(/Electron is unavailable.*viewbox serve/);
    expect(node.ready.httpPort).toBeGreaterThan(0);
    node.child.kill('SIGINT');
    expect((await node.exited).code).toBe(0);
  });
});

describe('viewbox config', () => {
  it('validate: exit 0 for a good file, 2 with every error for a bad one', async () => {
    const good = join(dir.path, 'good.json');
    await writeFile(good, JSON.stringify({ aet: 'SITE', nodes: [{ name: 'pacs', aet: 'PACS', host: 'pacs.local', port: 104, allow: ['store', 'find'] }] }));
    const ok = await viewbox(['config', 'validate', good], isolatedEnv(dir.path));
    expect(ok.code, ok.stderr).toBe(0);
    const bad = join(dir.path, 'dupes.json');
    const node = { aet: 'PACS', host: 'pacs.local', port: 104, allow: ['store'] };
    await writeFile(bad, JSON.stringify({ nodes: [{ name: 'pacs', ...node }, { name: 'pacs', ...node }], duplicates: 'overwrite' }));
    const r = await viewbox(['config', 'validate', bad], isolatedEnv(dir.path));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: /nodes/1/name: duplicate node name "pacs"`);
    expect(r.stderr).toContain(`${bad}: /duplicates: must be one of`);
  });

  it('show: effective values with the layer each came from', async () => {
    const machine = join(dir.path, 'machine-show.json');
    await writeFile(machine, JSON.stringify({ aet: 'MACHINE_AE' }));
    const r = await viewbox(['config', 'show', '--json'], isolatedEnv(dir.path, { VIEWBOX_MACHINE_CONFIG: machine }));
    expect(r.code, r.stderr).toBe(0);
    const shown = JSON.parse(r.stdout) as { config: { aet: string }; sources: Record<string, { layer: string; file: string }> };
    expect(shown.config.aet).toBe('MACHINE_AE');
    expect(shown.sources['/aet']).toEqual({ layer: 'machine', file: machine });
    expect(shown.sources['/dicomPort']?.layer).toBe('default');
    const text = await viewbox(['config', 'show'], isolatedEnv(dir.path, { VIEWBOX_MACHINE_CONFIG: machine }));
    expect(text.stdout).toMatch(new RegExp(`^/aet +"MACHINE_AE" +\\(machine: ${machine.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`, 'm'));
  });

  it('every command answers --help', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['open', '--help'], ['import', '--help'], ['studies', '--help'], ['patients', '--help'], ['config', '--help'], ['start', '--help']]) {
      const r = await viewbox(args, isolatedEnv(dir.path));
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/Usage: viewbox/);
    }
  });
});
