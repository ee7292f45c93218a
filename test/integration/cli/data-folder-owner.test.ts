/**
 * One owner per data folder, as a user meets it: a second `serve` is turned
 * away naming the holder; the lock dies with its process; read-only commands
 * leave the node's staging and run marker alone; `import`, `send` and
 * `remote retrieve` become jobs of the running node.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../shared/api/jobs.js';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { sha256, splitPart10 } from '../../fixtures/part10-split.js';
import { freePort } from '../../helpers/net.js';
import { startStorescp, type Storescp } from '../../helpers/peers/storescp.js';
import { echoscu, storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { tempDir } from '../../helpers/tmp.js';
import { readIndexedInstances } from '../node/archive-state.js';
import { httpGet } from './http-get.js';
import { assertBuilt, isolatedEnv, viewbox } from './viewbox-cli.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
let series: GeneratedSeries;
let seriesDir: string;

beforeAll(async () => {
  assertBuilt();
  home = await tempDir('viewbox-owner-');
  env = isolatedEnv(home.path);
  seriesDir = join(home.path, 'series');
  mkdirSync(seriesDir);
  series = generateCtSeries({ dir: seriesDir, count: 4, rows: 32, cols: 32, patientName: 'Owner^Test', patientId: 'OWN-1' });
});
afterAll(() => home?.cleanup());

let folders = 0;
const newData = () => join(home.path, `data-${++folders}`);

async function jobsOf(node: Viewbox): Promise<JobInfo[]> {
  const r = await httpGet(node.httpPort, '/api/jobs', { authorization: `Bearer ${node.token}` });
  return JSON.parse(r.body) as JobInfo[];
}

describe('the data folder lock', () => {
  it('a second serve on a held folder exits 2 naming the holder and the way out; the first keeps serving', async () => {
    const data = newData();
    const first = await startViewbox({ dataDir: data, args: ['--aet', 'OWNER1'], env });
    try {
      const second = await viewbox(['serve', '--data', data, '--dicom-port', '0', '--http-port', '0'], env, 30_000);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`in use by process ${first.pid}`);
      expect(second.stderr).toContain(first.url);
      expect(second.stderr).toMatch(/stop it .*or use a different --data folder/);
      expect(second.stdout).not.toContain('viewbox ready');
      expect((await echoscu({ port: first.dicomPort, calledAet: 'OWNER1' })).ok).toBe(true);

      // The owner record: owner-only, and it tells this user's commands how to reach the node.
      const record = join(data, 'owner.json');
      expect(statSync(record).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(record, 'utf8'))).toMatchObject({ pid: first.pid, url: first.url, token: first.token });
    } finally {
      await first.stop();
    }
    expect(existsSync(join(data, 'owner.json')), 'a clean stop removes the record').toBe(false);
  });

  it('the OS releases the lock when the owner is killed: the next serve starts at once', async () => {
    const data = newData();
    const first = await startViewbox({ dataDir: data, env });
    await first.kill9();
    expect(existsSync(join(data, 'owner.json')), 'kill -9 leaves the record behind').toBe(true);
    const next = await startViewbox({ dataDir: data, env });
    try {
      expect(JSON.parse(readFileSync(join(data, 'owner.json'), 'utf8'))).toMatchObject({ pid: next.pid, url: next.url });
    } finally {
      await next.stop();
    }
  });
});

describe('commands beside a running node', () => {
  it('read-only commands read through a read-only connection: no sweep, no recovery, the run marker stays the node\'s', async () => {
    const data = newData();
    const node = await startViewbox({ dataDir: data, env });
    try {
      const sent = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: seriesDir });
      expect(sent.stored).toHaveLength(4);
      // Stand-ins for what a running node has in flight: a staging file and its run marker.
      const inFlight = join(data, 'staging', 'in-flight.part');
      writeFileSync(inFlight, 'half an instance');
      const marker = readFileSync(join(data, 'running.json'), 'utf8');

      const studies = await viewbox(['studies', '--data', data, '--json'], env);
      expect(studies.code, studies.stderr).toBe(0);
      expect(JSON.parse(studies.stdout)).toEqual([expect.objectContaining({ studyUid: series.studyUid, instanceCount: 4 })]);
      const conflicts = await viewbox(['patients', 'conflicts', '--data', data, '--json'], env);
      expect(conflicts.code, conflicts.stderr).toBe(0);
      expect(JSON.parse(conflicts.stdout)).toEqual([]);
      const explain = await viewbox(['protocols', 'explain', series.studyUid, '--data', data], env);
      expect(explain.code, explain.stderr).toBe(0);
      expect(explain.stdout).toContain(series.studyUid);
      const list = await viewbox(['protocols', 'list', '--data', data], env);
      expect(list.code, list.stderr).toBe(0);

      for (const r of [studies, conflicts, explain]) expect(r.stderr).not.toMatch(/reconcil|stray|swept/);
      expect(existsSync(inFlight), 'staging is the owner\'s').toBe(true);
      expect(readFileSync(join(data, 'running.json'), 'utf8')).toBe(marker);
    } finally {
      await node.stop();
    }
  });

  it('a read-only command on a folder nothing was ever stored in lists nothing and creates nothing', async () => {
    const data = newData();
    const studies = await viewbox(['studies', '--data', data, '--json'], env);
    expect(studies.code, studies.stderr).toBe(0);
    expect(JSON.parse(studies.stdout)).toEqual([]);
    expect(existsSync(data)).toBe(false);
  });

  it('import goes through the running node as its job, with the same summary and exit code', async () => {
    const data = newData();
    const node = await startViewbox({ dataDir: data, env });
    try {
      const imported = await viewbox(['import', '--data', data, '--json', seriesDir], env);
      expect(imported.code, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 4, alreadyPresent: 0, rejected: [], studies: [series.studyUid] });
      const again = await viewbox(['import', '--data', data, seriesDir], env);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('already present: 4');
      const jobs = (await jobsOf(node)).filter((j) => j.kind === 'import');
      expect(jobs.map((j) => j.state)).toEqual(['done', 'done']);

      // A rejected file: exit 1 as before, the reason in the summary.
      const broken = join(home.path, `broken-${folders}.dcm`);
      writeFileSync(broken, Buffer.concat([readFileSync(series.files[0]!.path).subarray(0, 400)]));
      const bad = await viewbox(['import', '--data', data, broken], env);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain('rejected: 1');
      // A path that does not exist is named.
      const missing = await viewbox(['import', '--data', data, join(home.path, 'no-such-folder')], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('no-such-folder: no such file or folder');
    } finally {
      await node.stop();
    }
    const rows = readIndexedInstances(data);
    expect(rows.map((r) => r.sopInstanceUid).sort()).toEqual(series.files.map((f) => f.sopInstanceUid).sort());
  });

  it('send and remote retrieve go through the running node; retrieve by C-MOVE lands on its own DICOM port', { timeout: 90_000 }, async () => {
    // B is a second Viewbox acting as the PACS; A is the node whose folder the commands name.
    const aPort = await freePort();
    const bPort = await freePort();
    const destination: Storescp = await startStorescp({ aet: 'DEST', bitPreserving: true });
    const aConfig = join(home.path, 'a.json');
    const bConfig = join(home.path, 'b.json');
    writeFileSync(aConfig, JSON.stringify({ aet: 'VBX_A', nodes: [
      { name: 'pacs', aet: 'VBX_B', host: '127.0.0.1', port: bPort, allow: ['store'] },
      { name: 'dest', aet: 'DEST', host: '127.0.0.1', port: destination.port, allow: [] },
    ] }));
    writeFileSync(bConfig, JSON.stringify({ aet: 'VBX_B', nodes: [{ name: 'a', aet: 'VBX_A', host: '127.0.0.1', port: aPort, allow: ['find', 'move', 'get'] }] }));
    const aData = newData();
    const b = await startViewbox({ dataDir: newData(), args: ['--config', bConfig, '--dicom-port', String(bPort)], env });
    const a = await startViewbox({ dataDir: aData, args: ['--config', aConfig, '--dicom-port', String(aPort)], env });
    try {
      expect((await storescu({ port: bPort, calledAet: 'VBX_B', dir: seriesDir })).stored).toHaveLength(4);
      const retrieve = await viewbox(['remote', 'retrieve', 'pacs', series.studyUid, '--data', aData, '--config', aConfig], env);
      expect(retrieve.code, retrieve.stdout + retrieve.stderr).toBe(0);
      expect(retrieve.stdout).toMatch(/done; 4 instance\(s\) done, 0 failed/);

      const send = await viewbox(['send', 'dest', series.studyUid, '--data', aData, '--config', aConfig], env);
      expect(send.code, send.stdout + send.stderr).toBe(0);
      expect(send.stdout).toMatch(/done; 4 instance\(s\) done, 0 failed/);
      expect((await jobsOf(a)).map((j) => `${j.kind} ${j.state}`).sort()).toEqual(['retrieve done', 'send done']);

      // What arrived at the destination is what was sent to B, byte for byte.
      const received = readdirSync(destination.dir).map((name) => sha256(splitPart10(readFileSync(join(destination.dir, name))).dataset)).sort();
      const original = series.files.map((f) => sha256(splitPart10(readFileSync(f.path)).dataset)).sort();
      expect(received).toEqual(original);
    } finally {
      await a.stop();
      await b.stop();
      await destination.stop();
    }
  });
});
