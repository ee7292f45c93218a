/**
 * /api/queue on a running node (`viewbox serve`) whose routing rule forwards
 * every CT image to a PACS that is down (nothing listens on its port):
 * storescu sends a study in, the queue shows its images failing there with
 * the connection error; Retry now, Retry and purge change what it shows,
 * the event stream says so, and a bad selection is a 400 that says why.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPaths, type ServerEvent } from '../../../shared/api/app-api.js';
import type { QueueChangeResponse, QueueDestinationSummary, QueueListResponse, QueueSelection } from '../../../shared/api/queue-api.js';
import { generateCtSeries } from '../../fixtures/ct-series.js';
import { DOWN_NODE, FORWARD_RULE, writeForwardToDownNode, type DownNodeSetup } from '../../fixtures/forward-to-down-node.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { waitFor } from '../../helpers/peers/wait.js';
import { tempDir } from '../../helpers/tmp.js';

const IMAGES = 3;
/** Long enough that a failing send is still waiting when the test looks, so "Retry now" is what makes it go. */
const RETRY_SECONDS = 60;

let work: Awaited<ReturnType<typeof tempDir>>;
let node: Viewbox;
let down: DownNodeSetup;
let studyUid: string;

const call = (path: string, init: RequestInit = {}) => fetch(new URL(path, node.url), { ...init, headers: { authorization: `Bearer ${node.token}`, 'content-type': 'application/json', ...init.headers } });

async function list(query = ''): Promise<QueueListResponse> {
  const response = await call(`${apiPaths.queue}${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as QueueListResponse;
}

async function post(path: string, selection: unknown): Promise<{ status: number; body: QueueChangeResponse & { error?: string } }> {
  const response = await call(path, { method: 'POST', body: typeof selection === 'string' ? selection : JSON.stringify(selection) });
  return { status: response.status, body: (await response.json()) as QueueChangeResponse & { error?: string } };
}

async function pacs(): Promise<QueueDestinationSummary> {
  return (await list()).destinations.find((d) => d.destination === DOWN_NODE)!;
}

async function waitForPacs(what: string, holds: (d: QueueDestinationSummary) => boolean, timeoutMs = 20_000): Promise<QueueDestinationSummary> {
  let last: QueueDestinationSummary | undefined;
  await waitFor(what, async () => holds((last = await pacs())), timeoutMs, 100).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last seen ${JSON.stringify(last)}`);
  });
  return last!;
}

beforeAll(async () => {
  work = await tempDir('viewbox-queue-api-');
  down = await writeForwardToDownNode(work.path, { maxAttempts: 2, retryInitialSeconds: RETRY_SECONDS });
  node = await startViewbox({ dataDir: join(work.path, 'data'), args: down.args });
  mkdirSync(join(work.path, 'study'));
  const series = generateCtSeries({ dir: join(work.path, 'study'), count: IMAGES, rows: 32, cols: 32, patientName: 'Queue^Quentin', patientId: 'QUEUE-1' });
  studyUid = series.studyUid;
  const sent = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: join(work.path, 'study') });
  expect(sent.stored).toHaveLength(IMAGES);
}, 60_000);

afterAll(async () => {
  await node?.stop();
  await work?.cleanup();
});

describe('/api/queue', () => {
  it('shows the images failing at the PACS that is down, with the connection error and the next try', async () => {
    const failing = await waitForPacs('3 failing sends at PACS', (d) => d.failing === IMAGES);
    expect(failing).toMatchObject({ kind: 'dimse', pending: IMAGES, inFlight: 0, dead: 0, doneRecently: 0 });
    // The error says where it tried: the destination's port.
    expect(failing.lastError?.message).toContain(String(down.downPort));
    expect(Date.parse(failing.nextAttemptAt!)).toBeGreaterThan(Date.now() + (RETRY_SECONDS / 4) * 1000);

    const queue = await list();
    expect(queue.destinations.map((d) => d.destination)).toEqual(['ARCHIVE2', DOWN_NODE]);
    expect(queue.destinations[0]).toMatchObject({ pending: 0, failing: 0, dead: 0 });
    expect(queue.studies).toHaveLength(1);
    expect(queue.studies[0]).toMatchObject({
      destination: DOWN_NODE,
      studyUid,
      patientName: 'Queue^Quentin',
      patientId: 'QUEUE-1',
      rule: FORWARD_RULE,
      priority: 'stat',
      counts: { pending: IMAGES, 'in-flight': 0, done: 0, dead: 0, failing: IMAGES },
    });
    expect(queue.studies[0]!.lastError).toContain(String(down.downPort));

    const other = await list(`?destination=ARCHIVE2`);
    expect(other).toEqual({ destinations: [expect.objectContaining({ destination: 'ARCHIVE2' })], studies: [] });
    expect((await list('?state=dead')).studies).toEqual([]);
  });

  it('Retry now tries the failing images at once (not at their next try), and they are given up after the last attempt', async () => {
    const events = await eventStream();
    try {
      const started = Date.now();
      expect(await post(apiPaths.queueRetry, { destination: DOWN_NODE, state: 'pending' })).toEqual({ status: 200, body: { changed: IMAGES } });
      const dead = await waitForPacs('3 dead sends at PACS', (d) => d.dead === IMAGES);
      expect(Date.now() - started).toBeLessThan((RETRY_SECONDS / 2) * 1000);
      expect(dead).toMatchObject({ pending: 0, failing: 0, inFlight: 0 });
      expect((await list('?state=dead')).studies[0]).toMatchObject({ studyUid, counts: { dead: IMAGES, pending: 0 } });
      // The reading room hears it without asking.
      const heard = await events.until((e) => e.some((x) => x.type === 'queue' && x.destination.destination === DOWN_NODE && x.destination.dead === IMAGES));
      expect(heard).toBe(true);
    } finally {
      await events.close();
    }
  });

  it('Retry puts the dead images back in the queue; purge cancels them; the counts follow', async () => {
    expect(await post(apiPaths.queuePurge, { studyUid: '1.2.3.999' })).toEqual({ status: 200, body: { changed: 0 } });
    expect(await post(apiPaths.queueRetry, {})).toEqual({ status: 200, body: { changed: IMAGES } });
    // Back as new: tried once more at once, failing again, not dead.
    await waitForPacs('failing again after Retry', (d) => d.failing === IMAGES && d.dead === 0);
    expect(await post(apiPaths.queuePurge, { destination: DOWN_NODE, studyUid, state: 'pending' })).toEqual({ status: 200, body: { changed: IMAGES } });
    const after = await list();
    expect(after.destinations.find((d) => d.destination === DOWN_NODE)).toMatchObject({ pending: 0, failing: 0, dead: 0, inFlight: 0 });
    expect(after.studies).toEqual([]);
  });

  it('refuses a bad selection with 400 and says why', async () => {
    const unknown = await post(apiPaths.queueRetry, { destination: 'PACZ' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe(`no destination "PACZ": the configured destinations are ${DOWN_NODE}, ARCHIVE2`);
    const inFlight = await post(apiPaths.queuePurge, { state: 'in-flight' } satisfies QueueSelection);
    expect(inFlight).toEqual({ status: 400, body: { error: 'purge takes "state" dead, done, pending, not "in-flight"' } });
    expect((await post(apiPaths.queueRetry, { studyUid: 'not a uid' })).status).toBe(400);
    expect((await post(apiPaths.queueRetry, 'not json')).body.error).toMatch(/must be JSON/);
    const badList = await call(`${apiPaths.queue}?state=failing`);
    expect(badList.status).toBe(400);
    expect(((await badList.json()) as { error: string }).error).toBe('list takes "state" pending, in-flight, done, dead, not "failing"');
    expect((await call(`${apiPaths.queue}?destination=NOPE`)).status).toBe(400);
  });
});

/** The node's event stream, read in the background from now on. */
async function eventStream(): Promise<{ until(holds: (events: ServerEvent[]) => boolean, timeoutMs?: number): Promise<boolean>; close(): Promise<void> }> {
  const events: ServerEvent[] = [];
  const abort = new AbortController();
  const response = await call(apiPaths.events, { signal: abort.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  // The stream's first comment: from here on, every event is seen.
  let buffered = (await reader.read()).value ?? '';
  const reading = (async () => {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return;
      buffered += chunk.value;
      for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
        const data = buffered.slice(0, end).split('\n').find((l) => l.startsWith('data: '));
        buffered = buffered.slice(end + 2);
        if (data) events.push(JSON.parse(data.slice(6)) as ServerEvent);
      }
    }
  })().catch(() => undefined);
  return {
    async until(holds, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!holds(events) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return holds(events);
    },
    async close() {
      abort.abort();
      await reading;
    },
  };
}
