// Ingest benchmark: the same generated CT series sent by storescu (one
// association, TCP_NODELAY=1) to DCMTK storescp, to Orthanc (its defaults:
// fsync on) and to `viewbox serve`, in one run; then the "RSS flat in object
// size" check with one large multi-frame object. Prints a markdown table and,
// as the last line, one JSON object with every figure.
import { execFileSync } from 'node:child_process';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCtSeries } from '../fixtures/ct-series.ts';
import { printFigures, round } from './figures.mjs';
import { generateMultiframe } from '../fixtures/multiframe.ts';
import { tempDir } from '../helpers/tmp.ts';
import { startOrthanc } from '../helpers/peers/orthanc.ts';
import { peakRss } from '../helpers/peers/rss.ts';
import { startStorescp } from '../helpers/peers/storescp.ts';
import { storescu } from '../helpers/peers/storescu.ts';
import { startViewbox } from '../helpers/peers/viewbox.ts';

const MB = 1e6;
const MiB = 1024 * 1024;
/** Targets (docs/benchmarks.md). */
const TARGETS = { imgPerSecVsOrthanc: 1.5, peakRssBytes: 200 * MiB, flatRssGrowthBytes: 32 * MiB };

/** "1g", "512m", "2000000" → bytes. */
function parseSize(text) {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text}`);
  const unit = { '': 1, k: 1024, m: MiB, g: 1024 * MiB }[match[2].toLowerCase()];
  return Math.round(Number(match[1]) * unit);
}

/** Each receiver: start it on free ports, say where to send, stop it. */
const receivers = {
  async storescp() {
    const dir = await tempDir('viewbox-bench-storescp-');
    const scp = await startStorescp({ aet: 'BENCH_SCP', dir: dir.path });
    return { aet: scp.aet, port: scp.port, pid: scp.service.pid, stop: async () => (await scp.stop(), await dir.cleanup()) };
  },
  async orthanc() {
    const orthanc = await startOrthanc({ aet: 'BENCH_PACS' });
    return { aet: orthanc.aet, port: orthanc.dicomPort, pid: orthanc.service.pid, stop: () => orthanc.stop() };
  },
  async viewbox() {
    const data = await tempDir('viewbox-bench-data-');
    const node = await startViewbox({ dataDir: data.path, args: ['--aet', 'BENCH_VBX'] });
    return { aet: node.aet, port: node.dicomPort, pid: node.pid, stop: async () => (await node.stop(), await data.cleanup()) };
  },
};

/** Send `files` (one association) to a started receiver; throughput and the receiver's peak RSS. */
async function sendAndMeasure(receiver, dir, expected) {
  const sampler = peakRss(receiver.pid);
  const result = await storescu({ port: receiver.port, calledAet: receiver.aet, dir, timeoutMs: 3_600_000 });
  // From the association request on: storescu's reading and checking of its input files is not the receiver's time.
  const seconds = result.associationSeconds;
  const { peakRss: peak } = await sampler.stop();
  const stored = result.stored.length;
  if (stored !== expected) {
    const failures = result.results.filter((r) => r.outcome !== 'success').slice(0, 5);
    throw new Error(`${receiver.aet}: ${stored} of ${expected} stored; first failures: ${JSON.stringify(failures)}\n${result.log.slice(-2000)}`);
  }
  return { stored, seconds, peakRss: peak };
}

async function throughput(name, dir, series) {
  // Start from a clean disk: the previous receiver's unsynced files (storescp never fsyncs) would
  // otherwise be flushed inside this receiver's fsyncs (ext4 ordered mode) and be billed to it.
  execFileSync('sync');
  const receiver = await receivers[name]();
  try {
    const m = await sendAndMeasure(receiver, dir, series.files.length);
    return {
      images: m.stored,
      seconds: round(m.seconds, 3),
      imgPerSec: round(m.stored / m.seconds, 1),
      mbPerSec: round(series.totalBytes / MB / m.seconds, 1),
      peakRssBytes: m.peakRss,
    };
  } finally {
    await receiver.stop();
  }
}

/**
 * Viewbox's peak RSS receiving one small CT image, then a multi-frame object of
 * a quarter of `bytes`, then one of `bytes`. Flat in object size means the
 * last two peaks are the same: memory is bounded by buffers, not by the object.
 */
async function largeObject(bytes, work) {
  const quarter = Math.round(bytes / 4);
  const { bavail, bsize } = await statfs(work);
  const needed = (bytes + quarter) * 2 + 1024 * MiB; // the fixtures + the stored copies + slack
  if (bavail * bsize < needed) {
    return { skipped: `needs ${round(needed / MiB, 0)} MiB free in ${work}, has ${round((bavail * bsize) / MiB, 0)} MiB` };
  }
  const dirs = ['small', 'quarter', 'large'].map((d) => join(work, d));
  await Promise.all(dirs.map((d) => import('node:fs/promises').then((fs) => fs.mkdir(d))));
  const [smallDir, quarterDir, largeDir] = dirs;
  generateCtSeries({ dir: smallDir, count: 1 });
  await generateMultiframe({ path: join(quarterDir, 'quarter.dcm'), targetBytes: quarter });
  const mf = await generateMultiframe({ path: join(largeDir, 'large.dcm'), targetBytes: bytes });
  const receiver = await receivers.viewbox();
  try {
    const small = await sendAndMeasure(receiver, smallDir, 1);
    const quarterSent = await sendAndMeasure(receiver, quarterDir, 1);
    const large = await sendAndMeasure(receiver, largeDir, 1);
    return {
      objectBytes: mf.size,
      frames: mf.frames,
      seconds: round(large.seconds, 2),
      smallObjectPeakRssBytes: small.peakRss,
      quarterObjectPeakRssBytes: quarterSent.peakRss,
      largeObjectPeakRssBytes: large.peakRss,
      growthBytes: large.peakRss - small.peakRss,
      quarterToFullGrowthBytes: large.peakRss - quarterSent.peakRss,
    };
  } finally {
    await receiver.stop();
  }
}


const mib = (bytes) => round(bytes / MiB, 1);

function report(figures) {
  const lines = [];
  const { count, fileBytes } = figures;
  lines.push(`### Ingest: ${count} CT images (512×512, 16-bit, ${round(fileBytes / 1000, 0)} KB each), storescu, one association, TCP_NODELAY=1`);
  lines.push('');
  lines.push('| receiver | images | seconds | img/s | MB/s | peak RSS (MiB) |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  for (const [name, r] of Object.entries(figures.receivers)) {
    lines.push(`| ${name} | ${r.images} | ${r.seconds} | ${r.imgPerSec} | ${r.mbPerSec} | ${mib(r.peakRssBytes)} |`);
  }
  lines.push('');
  for (const [name, ratio] of Object.entries(figures.ratios)) lines.push(`- ${name} (img/s): ${ratio}×`);
  for (const [name, t] of Object.entries(figures.targets)) lines.push(`- target ${name}: ${t.met ? 'met' : 'MISSED'} (${t.value} vs ${t.target})`);
  const lo = figures.largeObject;
  if (lo) {
    lines.push('');
    if (lo.skipped) lines.push(`Large object check skipped: ${lo.skipped}`);
    else {
      lines.push(`### Viewbox peak RSS vs object size`);
      lines.push('');
      lines.push('| object | size (MiB) | peak RSS (MiB) |');
      lines.push('|---|---:|---:|');
      lines.push(`| one CT image | 0.5 | ${mib(lo.smallObjectPeakRssBytes)} |`);
      lines.push(`| one multi-frame object | ${mib(lo.objectBytes / 4)} | ${mib(lo.quarterObjectPeakRssBytes)} |`);
      lines.push(`| one multi-frame object (${lo.frames} frames) | ${mib(lo.objectBytes)} | ${mib(lo.largeObjectPeakRssBytes)} |`);
    }
  }
  return lines.join('\n');
}

export async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string', default: '500' },
      'large-size': { type: 'string', default: '1g' },
      'skip-large': { type: 'boolean', default: false },
      only: { type: 'string', default: Object.keys(receivers).join(',') },
    },
  });
  const count = Number(values.count);
  const names = values.only.split(',').filter(Boolean);
  for (const name of names) if (!receivers[name]) throw new Error(`unknown receiver ${name} (have ${Object.keys(receivers).join(', ')})`);
  const work = await tempDir('viewbox-bench-');
  try {
    const seriesDir = join(work.path, 'series');
    await import('node:fs/promises').then((fs) => fs.mkdir(seriesDir));
    const series = generateCtSeries({ dir: seriesDir, count, patientName: 'Bench^Ingest', patientId: 'BENCH' });
    const results = {};
    for (const name of names) {
      console.error(`bench ingest: ${count} images → ${name} ...`);
      results[name] = await throughput(name, seriesDir, series);
    }
    const ratios = {};
    const targets = {};
    const vbx = results.viewbox;
    if (vbx && results.orthanc) {
      ratios['viewbox/orthanc'] = round(vbx.imgPerSec / results.orthanc.imgPerSec, 2);
      targets['img/s ≥ 1.5× Orthanc'] = { value: ratios['viewbox/orthanc'], target: TARGETS.imgPerSecVsOrthanc, met: ratios['viewbox/orthanc'] >= TARGETS.imgPerSecVsOrthanc };
    }
    if (vbx && results.storescp) ratios['viewbox/storescp'] = round(vbx.imgPerSec / results.storescp.imgPerSec, 2);
    if (vbx) targets['peak RSS < 200 MiB'] = { value: mib(vbx.peakRssBytes), target: 200, met: vbx.peakRssBytes < TARGETS.peakRssBytes };
    let largeObjectFigures;
    if (names.includes('viewbox') && !values['skip-large']) {
      const bytes = parseSize(values['large-size']);
      console.error(`bench ingest: one ${mib(bytes)} MiB object → viewbox ...`);
      largeObjectFigures = await largeObject(bytes, work.path);
      if (!largeObjectFigures.skipped) {
        const growth = largeObjectFigures.quarterToFullGrowthBytes;
        targets['RSS flat in object size (peak for 4× the object grows < 32 MiB)'] = { value: mib(growth), target: mib(TARGETS.flatRssGrowthBytes), met: growth < TARGETS.flatRssGrowthBytes };
        targets['peak RSS < 200 MiB for the large object'] = { value: mib(largeObjectFigures.largeObjectPeakRssBytes), target: 200, met: largeObjectFigures.largeObjectPeakRssBytes < TARGETS.peakRssBytes };
      }
    }
    const figures = { bench: 'ingest', count, fileBytes: Math.round(series.totalBytes / count), receivers: results, ratios, targets, ...(largeObjectFigures ? { largeObject: largeObjectFigures } : {}) };
    printFigures(report(figures), figures);
    return 0;
  } finally {
    await work.cleanup();
  }
}
