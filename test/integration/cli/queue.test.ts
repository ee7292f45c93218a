/**
 * `viewbox queue list|retry|purge` as a user runs them beside a node whose
 * routing rule forwards CT images to a PACS that is down: the list through
 * the running node and, once it is stopped, from the index read-only;
 * retry and purge through the node, and refused without one.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueListResponse } from '../../../shared/api/queue-api.js';
import { generateCtSeries } from '../../fixtures/ct-series.js';
import { DOWN_NODE, FORWARD_RULE, writeForwardToDownNode, type DownNodeSetup } from '../../fixtures/forward-to-down-node.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { waitFor } from '../../helpers/peers/wait.js';
import { tempDir } from '../../helpers/tmp.js';
import { assertBuilt, isolatedEnv, viewbox } from './viewbox-cli.js';

const IMAGES = 3;

let work: Awaited<ReturnType<typeof tempDir>>;
let node: Viewbox | undefined;
let down: DownNodeSetup;
let data: string;
let env: NodeJS.ProcessEnv;
let studyUid: string;

const queue = (args: string[]) => viewbox(['queue', ...args, '--data', data, ...down.args], env);

async function listJson(): Promise<QueueListResponse> {
  const listed = await queue(['list', '--json']);
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout) as QueueListResponse;
}

/** The PACS row of the table: its cells split on the column gaps. */
function pacsRow(table: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`${DOWN_NODE} `));
  return line ? line.split(/\s{2,}/) : [];
}

beforeAll(async () => {
  assertBuilt();
  work = await tempDir('viewbox-queue-cli-');
  down = await writeForwardToDownNode(work.path, { maxAttempts: 2, retryInitialSeconds: 60 });
  data = join(work.path, 'data');
  env = isolatedEnv(work.path);
  node = await startViewbox({ dataDir: data, args: down.args });
  mkdirSync(join(work.path, 'study'));
  studyUid = generateCtSeries({ dir: join(work.path, 'study'), count: IMAGES, rows: 32, cols: 32, patientName: 'Queue^Quentin', patientId: 'QUEUE-1' }).studyUid;
  const sent = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: join(work.path, 'study') });
  expect(sent.stored).toHaveLength(IMAGES);
  await waitFor('the images failing at PACS', async () => (await listJson()).destinations.some((d) => d.destination === DOWN_NODE && d.failing === IMAGES), 20_000, 200);
}, 90_000);

afterAll(async () => {
  await node?.stop();
  await work?.cleanup();
});

describe('viewbox queue', () => {
  it('list, through the running node: the failing destination with its error, then the study', async () => {
    const listed = await queue(['list']);
    expect(listed.code, listed.stderr).toBe(0);
    const [name, pending, inFlight, failing, dead, done, nextRetry, lastError] = pacsRow(listed.stdout);
    expect([name, pending, inFlight, failing, dead, done]).toEqual([DOWN_NODE, '3', '0', '3', '0', '0']);
    expect(nextRetry).toMatch(/^in \d+ (s|min)$/);
    expect(lastError).toContain(`127.0.0.1:${down.downPort}`);
    const study = listed.stdout.split('\n').find((l) => l.includes(studyUid))!;
    expect(study.split(/\s{2,}/).slice(0, 11)).toEqual([DOWN_NODE, 'Queue^Quentin (QUEUE-1)', 'Synthetic phantom CT', '3', '0', '3', '0', '0', FORWARD_RULE, 'stat', studyUid]);

    const only = await queue(['list', '--destination', 'ARCHIVE2', '--json']);
    expect(JSON.parse(only.stdout)).toEqual({ destinations: [expect.objectContaining({ destination: 'ARCHIVE2', pending: 0 })], studies: [] });
    const wrong = await queue(['list', '--destination', 'PACZ']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(`no destination "PACZ": the configured destinations are ${DOWN_NODE}, ARCHIVE2`);
  });

  it('retry --pending sends the failing images now; they are given up; retry brings them back; purge cancels them', async () => {
    const now = await queue(['retry', '--pending', '--destination', DOWN_NODE]);
    expect(now.code, now.stderr).toBe(0);
    expect(now.stdout).toBe('3 waiting sends will be tried now\n');
    await waitFor('3 dead letters', async () => (await listJson()).destinations.some((d) => d.destination === DOWN_NODE && d.dead === IMAGES), 20_000, 200);

    const back = await queue(['retry', '--study', studyUid]);
    expect(back.stdout).toBe('3 dead letters are back in the queue\n');
    await waitFor('failing again', async () => (await listJson()).destinations.some((d) => d.destination === DOWN_NODE && d.failing === IMAGES && d.dead === 0), 20_000, 200);

    expect((await queue(['purge'])).stdout).toBe('0 dead letters removed\n');
    const cancelled = await queue(['purge', '--state', 'pending', '--destination', DOWN_NODE]);
    expect(cancelled.stdout).toBe('3 sends cancelled\n');
    const after = await listJson();
    expect(after.destinations.find((d) => d.destination === DOWN_NODE)).toMatchObject({ pending: 0, failing: 0, dead: 0 });
    expect(after.studies).toEqual([]);

    const usage = await queue(['purge', '--state', 'in-flight']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('purge takes --state dead, done or pending, not "in-flight"');
  });

  it('list without a node reads the index; retry and purge say to start the node', async () => {
    // A second study comes in and fails at the PACS; then the node stops.
    mkdirSync(join(work.path, 'second'));
    generateCtSeries({ dir: join(work.path, 'second'), count: 2, rows: 32, cols: 32, patientName: 'Queue^Second', patientId: 'QUEUE-2' });
    const sent = await storescu({ port: node!.dicomPort, calledAet: node!.aet, dir: join(work.path, 'second') });
    expect(sent.stored).toHaveLength(2);
    await waitFor('the second study failing', async () => (await listJson()).destinations.some((d) => d.destination === DOWN_NODE && d.failing === 2), 20_000, 200);
    const before = await listJson();
    await node!.stop();
    node = undefined;

    const offline = await queue(['list']);
    expect(offline.code, offline.stderr).toBe(0);
    const row = pacsRow(offline.stdout);
    const pacs = before.destinations.find((d) => d.destination === DOWN_NODE)!;
    expect(row.slice(0, 4)).toEqual([DOWN_NODE, String(pacs.pending), '0', String(pacs.failing)]);
    expect(row.at(-1)).toContain(`127.0.0.1:${down.downPort}`);
    expect((await listJson()).studies.map((s) => s.studyUid)).toEqual(before.studies.map((s) => s.studyUid));

    const wrong = await queue(['list', '--destination', 'PACZ']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`the configured destinations are ${DOWN_NODE}, ARCHIVE2`);

    for (const change of [['retry'], ['purge', '--state', 'done']]) {
      const refused = await queue(change);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('start the node (viewbox serve) to change the queue');
    }
  });
});
