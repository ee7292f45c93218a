// Routing benchmark: the same generated CT series (1) sent by storescu straight
// to Orthanc, (2) sent by storescu to `viewbox serve` with no rules, and (3)
// sent to `viewbox serve` with a rule that forwards each instance as received
// to Orthanc, in one run, the three orders rotated between repeats (the disk's
// fsync latency swings from minute to minute). Prints a markdown table and, as
// the last line, one JSON object with every figure (medians over the repeats).
// Two controls tell routing's own cost from the disk's: storescu to the node
// (no rules) and to Orthanc at the same time, two durable receivers sharing
// this one disk as the forwarding path makes them; and the forwarding path
// with Orthanc not fsyncing (a PACS on a disk of its own).
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCtSeries } from '../fixtures/ct-series.ts';
import { printFigures, round } from './figures.mjs';
import { tempDir } from '../helpers/tmp.ts';
import { startOrthanc } from '../helpers/peers/orthanc.ts';
import { storescu } from '../helpers/peers/storescu.ts';
import { startViewbox } from '../helpers/peers/viewbox.ts';

/** Targets (issue 14, docs/benchmarks.md). */
const TARGETS = { forwardVsDirect: 0.8, drainSeconds: 2, receiveChange: 0.1 };
const POLL_MS = 20;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function orthancInstanceCount(orthanc) {
  const statistics = await orthanc.get('/statistics');
  return statistics.CountInstances;
}

/** Resolves with the time (performance.now()) Orthanc first held `count` instances. */
async function whenOrthancHolds(orthanc, count, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const held = await orthancInstanceCount(orthanc);
    if (held >= count) return performance.now();
    if (performance.now() > deadline) throw new Error(`Orthanc holds ${held} of ${count} instances after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function checkAllStored(result, expected, who) {
  if (result.stored.length !== expected) {
    const failures = result.results.filter((r) => r.outcome !== 'success').slice(0, 5);
    throw new Error(`${who}: ${result.stored.length} of ${expected} stored; first failures: ${JSON.stringify(failures)}\n${result.log.slice(-2000)}`);
  }
}

/** storescu straight to Orthanc. */
async function direct(seriesDir, count) {
  execFileSync('sync');
  const orthanc = await startOrthanc({ aet: 'BENCH_PACS' });
  try {
    const result = await storescu({ port: orthanc.dicomPort, calledAet: orthanc.aet, dir: seriesDir, timeoutMs: 3_600_000 });
    checkAllStored(result, count, 'Orthanc');
    return { imgPerSec: count / result.associationSeconds, seconds: result.associationSeconds };
  } finally {
    await orthanc.stop();
  }
}

/** A Viewbox node with no rules, or with a rule forwarding each instance to `orthanc`. */
async function startNode(work, orthanc) {
  const configPath = join(work.path, 'config.json');
  const rulesPath = join(work.path, 'routing.json');
  const config = { logLevel: 'warn', routing: { rulesFile: rulesPath } };
  if (orthanc) {
    config.nodes = [{ name: 'PACS', aet: orthanc.aet, host: '127.0.0.1', port: orthanc.dicomPort, allow: [] }];
    await writeFile(rulesPath, JSON.stringify({ rules: [{ id: 'forward-all', match: {}, trigger: { on: 'instance' }, actions: [{ forward: ['PACS'] }] }] }));
  }
  await writeFile(configPath, JSON.stringify(config));
  const dataDir = join(work.path, 'data');
  await mkdir(dataDir);
  return startViewbox({ dataDir, args: ['--aet', 'BENCH_VBX', '--config', configPath] });
}

/** Control: storescu to the node (no rules) and to Orthanc at once, each its own association. */
async function bothAtOnce(seriesDir, count) {
  execFileSync('sync');
  const work = await tempDir('viewbox-bench-route-');
  const orthanc = await startOrthanc({ aet: 'BENCH_PACS' });
  try {
    const node = await startNode(work, undefined);
    try {
      const [toNode, toOrthanc] = await Promise.all([
        storescu({ port: node.dicomPort, calledAet: node.aet, dir: seriesDir, timeoutMs: 3_600_000 }),
        storescu({ port: orthanc.dicomPort, calledAet: orthanc.aet, dir: seriesDir, timeoutMs: 3_600_000 }),
      ]);
      checkAllStored(toNode, count, 'Viewbox');
      checkAllStored(toOrthanc, count, 'Orthanc');
      return { viewboxImgPerSec: count / toNode.associationSeconds, orthancImgPerSec: count / toOrthanc.associationSeconds };
    } finally {
      await node.stop();
    }
  } finally {
    await orthanc.stop();
    await work.cleanup();
  }
}

/** storescu to a Viewbox node; with `forward`, a rule sends each instance on to a fresh Orthanc (`peerSync: false`: one that does not fsync). */
async function throughViewbox(seriesDir, count, forward, peerSync = true) {
  execFileSync('sync');
  const work = await tempDir('viewbox-bench-route-');
  const orthanc = forward ? await startOrthanc({ aet: 'BENCH_PACS', ...(peerSync ? {} : { config: { SyncStorageArea: false } }) }) : undefined;
  try {
    const node = await startNode(work, orthanc);
    try {
      const started = performance.now();
      const result = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: seriesDir, timeoutMs: 3_600_000 });
      const received = performance.now();
      checkAllStored(result, count, 'Viewbox');
      const receive = { imgPerSec: count / result.associationSeconds, seconds: result.associationSeconds };
      if (!orthanc) return { receive };
      const acknowledged = await whenOrthancHolds(orthanc, count, 600_000);
      const forwardSeconds = (acknowledged - started) / 1000;
      return { receive, forward: { imgPerSec: count / forwardSeconds, seconds: forwardSeconds, drainSeconds: (acknowledged - received) / 1000 } };
    } finally {
      await node.stop();
    }
  } finally {
    await orthanc?.stop();
    await work.cleanup();
  }
}

const percent = (change) => `${change >= 0 ? '+' : ''}${round(change * 100, 1)} %`;

function report(figures) {
  const f = figures.medians;
  const lines = [];
  lines.push(`### Routing: ${figures.count} CT images (${round(figures.fileBytes / 1000, 0)} KB each), storescu, one association, TCP_NODELAY=1; medians of ${figures.runs} runs, orders rotated`);
  lines.push('');
  lines.push('| path | img/s | seconds |');
  lines.push('|---|---:|---:|');
  lines.push(`| storescu → Orthanc (direct) | ${f.directImgPerSec} | ${f.directSeconds} |`);
  lines.push(`| storescu → Viewbox, no rules (receive) | ${f.plainReceiveImgPerSec} | ${f.plainReceiveSeconds} |`);
  lines.push(`| storescu → Viewbox, forwarding rule (receive) | ${f.routedReceiveImgPerSec} | ${f.routedReceiveSeconds} |`);
  lines.push(`| storescu → Viewbox → Orthanc (first sent to last acknowledged) | ${f.forwardImgPerSec} | ${f.forwardSeconds} |`);
  lines.push(`| control: storescu → Viewbox and storescu → Orthanc at once | ${f.bothViewboxImgPerSec} and ${f.bothOrthancImgPerSec} | |`);
  lines.push(`| control: forwarding rule, Orthanc not fsyncing (receive) | ${f.peerNoSyncReceiveImgPerSec} | |`);
  lines.push('');
  lines.push(`- forwarding / direct: ${f.forwardVsDirect}×`);
  lines.push(`- last image received → last acknowledged by Orthanc: ${f.drainSeconds} s`);
  lines.push(`- receive speed with the rule vs without: ${percent(f.receiveChange)}`);
  lines.push(`- control, two durable receivers on this disk at once: Viewbox ${percent(f.bothViewboxChange)} of its speed alone, Orthanc ${percent(f.bothOrthancChange)}`);
  lines.push(`- control, forwarding to an Orthanc that does not fsync: receive ${percent(f.peerNoSyncReceiveChange)} (routing's own cost)`);
  for (const [name, t] of Object.entries(figures.targets)) lines.push(`- target ${name}: ${t.met ? 'met' : 'MISSED'} (${t.value} vs ${t.target})`);
  return lines.join('\n');
}

export async function main(argv) {
  const { values } = parseArgs({ args: argv, options: { count: { type: 'string', default: '500' }, runs: { type: 'string', default: '5' } } });
  const count = Number(values.count);
  const runs = Number(values.runs);
  const work = await tempDir('viewbox-bench-');
  try {
    const seriesDir = join(work.path, 'series');
    await mkdir(seriesDir);
    const series = generateCtSeries({ dir: seriesDir, count, patientName: 'Bench^Route', patientId: 'BENCHROUTE' });
    const paths = {
      direct: () => direct(seriesDir, count),
      plain: () => throughViewbox(seriesDir, count, false),
      routed: () => throughViewbox(seriesDir, count, true),
      both: () => bothAtOnce(seriesDir, count),
      peerNoSync: () => throughViewbox(seriesDir, count, true, false),
    };
    const names = Object.keys(paths);
    const samples = Object.fromEntries(names.map((name) => [name, []]));
    for (let run = 0; run < runs; run++) {
      const order = names.map((_, i) => names[(i + run) % names.length]);
      for (const name of order) {
        console.error(`bench route: run ${run + 1}/${runs}, ${name} ...`);
        samples[name].push(await paths[name]());
      }
    }
    const m = (list, pick) => median(list.map(pick));
    const directImgPerSec = m(samples.direct, (s) => s.imgPerSec);
    const forwardImgPerSec = m(samples.routed, (s) => s.forward.imgPerSec);
    const plainReceive = m(samples.plain, (s) => s.receive.imgPerSec);
    const routedReceive = m(samples.routed, (s) => s.receive.imgPerSec);
    const medians = {
      directImgPerSec: round(directImgPerSec, 1),
      directSeconds: round(m(samples.direct, (s) => s.seconds), 2),
      plainReceiveImgPerSec: round(plainReceive, 1),
      plainReceiveSeconds: round(m(samples.plain, (s) => s.receive.seconds), 2),
      routedReceiveImgPerSec: round(routedReceive, 1),
      routedReceiveSeconds: round(m(samples.routed, (s) => s.receive.seconds), 2),
      forwardImgPerSec: round(forwardImgPerSec, 1),
      forwardSeconds: round(m(samples.routed, (s) => s.forward.seconds), 2),
      forwardVsDirect: round(forwardImgPerSec / directImgPerSec, 2),
      drainSeconds: round(m(samples.routed, (s) => s.forward.drainSeconds), 2),
      receiveChange: round(routedReceive / plainReceive - 1, 3),
      bothViewboxImgPerSec: round(m(samples.both, (s) => s.viewboxImgPerSec), 1),
      bothOrthancImgPerSec: round(m(samples.both, (s) => s.orthancImgPerSec), 1),
      bothViewboxChange: round(m(samples.both, (s) => s.viewboxImgPerSec) / plainReceive - 1, 3),
      bothOrthancChange: round(m(samples.both, (s) => s.orthancImgPerSec) / directImgPerSec - 1, 3),
      peerNoSyncReceiveImgPerSec: round(m(samples.peerNoSync, (s) => s.receive.imgPerSec), 1),
      peerNoSyncReceiveChange: round(m(samples.peerNoSync, (s) => s.receive.imgPerSec) / plainReceive - 1, 3),
    };
    const targets = {
      'forwarding ≥ 0.8× direct': { value: medians.forwardVsDirect, target: TARGETS.forwardVsDirect, met: medians.forwardVsDirect >= TARGETS.forwardVsDirect },
      'last received → last acknowledged < 2 s': { value: medians.drainSeconds, target: TARGETS.drainSeconds, met: medians.drainSeconds < TARGETS.drainSeconds },
      'receive speed unchanged within 10 %': { value: medians.receiveChange, target: TARGETS.receiveChange, met: Math.abs(medians.receiveChange) <= TARGETS.receiveChange },
    };
    const figures = { bench: 'route', count, runs, fileBytes: Math.round(series.totalBytes / count), medians, targets, samples };
    printFigures(report(figures), figures);
    return 0;
  } finally {
    await work.cleanup();
  }
}
