/**
 * The router and the queue on a real archive (SQLite file, stored instances):
 * each instance is evaluated once; a broken rule set leaves the cursor where
 * it was; a stable trigger waits and then queues the whole series once;
 * claims take the most urgent study group; failures, retry, purge, restart.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../main/log.js';
import { Router } from '../../../../main/routing/router.js';
import type { Archive } from '../../../../main/store/archive.js';
import type { RouteRule } from '../../../../shared/routing/rules.js';
import { generateCtSeries, type GeneratedSeries } from '../../../fixtures/ct-series.js';
import { tempDir } from '../../../helpers/tmp.js';
import { openTestArchive, storeFile } from '../store/archive-helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let archive: Archive;
let ct: GeneratedSeries;
let mr: GeneratedSeries;

const eachToA: RouteRule = { id: 'each', match: { Modality: 'CT' }, trigger: { on: 'instance' }, actions: [{ forward: ['a'] }, { forward: ['b'], deidentify: { profile: 'basic' } }] };
const stable: RouteRule = { id: 'stable', match: {}, trigger: { on: 'series-stable', seconds: 2 }, actions: [{ forward: ['c'] }] };

beforeEach(async () => {
  work = await tempDir('viewbox-router-');
  mkdirSync(join(work.path, 'ct'));
  mkdirSync(join(work.path, 'mr'));
  ct = generateCtSeries({ dir: join(work.path, 'ct'), count: 3, rows: 16, cols: 16 });
  mr = generateCtSeries({ dir: join(work.path, 'mr'), count: 2, rows: 16, cols: 16, overrides: [{ tag: 0x00080060, vr: 'CS', value: 'MR' }] });
  archive = await openTestArchive(join(work.path, 'data'));
});

afterEach(async () => {
  await archive.close();
  await work.cleanup();
});

function router(rules: RouteRule[] | undefined, now: () => Date = () => new Date()) {
  const queued: string[] = [];
  const r = new Router({ queue: archive.queue, rules: () => rules, onQueued: (d) => queued.push(...d), logger: silentLogger, now });
  return { router: r, queued };
}

const countsAt = (destination: string) => archive.queue.destinationCounts('1970-01-01T00:00:00Z').find((c) => c.destination === destination);

describe('the router', () => {
  it('queues each matching instance once per destination and form, and evaluates nothing twice', async () => {
    for (const f of [...ct.files, ...mr.files]) await storeFile(archive, f.path);
    const { router: r, queued } = router([eachToA]);
    r.evaluate();
    expect(countsAt('a')?.pending).toBe(3);
    expect(countsAt('b')?.pending).toBe(3);
    expect(new Set(queued)).toEqual(new Set(['a', 'b']));
    r.evaluate();
    expect(countsAt('a')?.pending).toBe(3);
    expect(archive.queue.routeCursor()).toBe(5);
    const rows = archive.queue.claim('b', new Date().toISOString(), 10);
    expect(rows.map((row) => row.transform)).toEqual(Array(3).fill('{"deidentify":{"profile":"basic","options":[]}}'));
  });

  it('without readable rules, moves nothing: the instances are routed once the rules are back', async () => {
    for (const f of ct.files) await storeFile(archive, f.path);
    router(undefined).router.evaluate();
    expect(archive.queue.routeCursor()).toBe(0);
    router([eachToA]).router.evaluate();
    expect(countsAt('a')?.pending).toBe(3);
  });

  it('a series-stable rule waits until the series is quiet, then queues all of it, and not again what it delivered', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const { router: r } = router([stable], () => now);
    await storeFile(archive, ct.files[0]!.path);
    r.evaluate();
    now = new Date('2030-01-01T00:00:01.500Z');
    await storeFile(archive, ct.files[1]!.path);
    r.evaluate();
    now = new Date('2030-01-01T00:00:03Z'); // 3 s after the first, 1.5 s after the second
    r.fireDueWaits();
    expect(countsAt('c')).toBeUndefined();
    now = new Date('2030-01-01T00:00:03.600Z');
    r.fireDueWaits();
    expect(countsAt('c')?.pending).toBe(2);
    const claimed = archive.queue.claim('c', now.toISOString(), 10);
    archive.queue.settle(claimed.map((row) => ({ id: row.id, state: 'done' as const })));
    await storeFile(archive, ct.files[2]!.path);
    r.evaluate();
    now = new Date('2030-01-01T00:00:10Z');
    r.fireDueWaits();
    expect(countsAt('c')).toMatchObject({ pending: 1, doneRecently: 2 });
    expect(archive.queue.nextWaitDue()).toBeUndefined();
  });
});

describe('the queue', () => {
  const row = (studyUid: string, sopUid: string, priority: number, jobId?: string) => ({ destination: 'a', studyUid, seriesUid: 's', sopUid, rule: 'r', transform: '', priority, jobId });

  it('claims the most urgent study group first, whole; one copy stays queued once', () => {
    const now = new Date().toISOString();
    archive.queue.enqueue([row('routine', '1', 2), row('routine', '2', 2), row('stat', '3', 0)], now);
    archive.queue.enqueue([row('routine', '1', 2), row('routine', '2', 1, 'job-1')], now);
    const first = archive.queue.claim('a', now, 10);
    expect(first.map((r) => r.sopUid)).toEqual(['3']);
    const second = archive.queue.claim('a', now, 10);
    expect(second.map((r) => [r.sopUid, r.state, r.priority])).toEqual([
      ['1', 'in-flight', 2],
      ['2', 'in-flight', 1],
    ]);
    expect(archive.queue.jobRows('job-1')).toEqual({ total: 1, open: 1, done: 0, dead: [] });
    expect(archive.queue.claim('a', now, 10)).toEqual([]);
  });

  it('settles failures as retries or dead letters; retry, purge and a restart bring rows back', () => {
    const t0 = '2030-01-01T00:00:00.000Z';
    archive.queue.enqueue([row('x', '1', 2), row('x', '2', 2)], t0);
    const [one, two] = archive.queue.claim('a', t0, 10);
    archive.queue.settle([
      { id: one!.id, state: 'pending', error: 'node "a": connection refused', nextAttemptAt: '2030-01-01T00:00:05.000Z' },
      { id: two!.id, state: 'dead', error: 'refused for good', nextAttemptAt: t0 },
    ], t0);
    expect(countsAt('a')).toMatchObject({ pending: 1, failing: 1, dead: 1, lastError: expect.stringMatching(/connection refused|refused for good/), nextAttemptAt: '2030-01-01T00:00:05.000Z' });
    expect(archive.queue.claim('a', '2030-01-01T00:00:04.000Z', 10)).toEqual([]);
    expect(archive.queue.nextDueAt('a')).toBe('2030-01-01T00:00:05.000Z');
    expect(archive.queue.retry({ state: 'dead' }, '2030-01-01T00:00:01.000Z')).toBe(1);
    const again = archive.queue.claim('a', '2030-01-01T00:00:02.000Z', 10);
    expect(again.map((r) => [r.sopUid, r.attempts])).toEqual([['2', 0]]);
    expect(archive.queue.releaseInFlight()).toBe(1);
    expect(archive.queue.purge({ state: 'pending', destination: 'a' })).toBe(2);
    expect(countsAt('a')).toBeUndefined();
  });
});
