// Query/retrieve benchmark. C-FIND study-level latency (p50, p95) against
// Viewbox and Orthanc holding the same 10,000 studies (real files, sent or
// imported), and against Viewbox alone with 100,000 studies (index rows made
// directly: a C-FIND never opens image files, so the files are not needed).
// Then C-GET throughput of one 500-image CT series from each, to DCMTK getscu.
// Prints a markdown table and, as the last line, one JSON object.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCtSeries } from '../fixtures/ct-series.ts';
import { percentile, printFigures, round } from './figures.mjs';
import { studyAttributes, writeStudyFiles } from './synthetic-studies.mjs';
import { newUid } from '../fixtures/part10-writer.ts';
import { startOrthanc } from '../helpers/peers/orthanc.ts';
import { storescu } from '../helpers/peers/storescu.ts';
import { startViewbox } from '../helpers/peers/viewbox.ts';
import { dcmtkEnv, run } from '../helpers/run.ts';
import { tempDir } from '../helpers/tmp.ts';
import { ArchiveIndex } from '../../main/index/archive-index.ts';
import { find } from '../../main/dicom/scu/find.ts';
import { silentLogger } from '../../main/log.ts';

const TARGETS = { findP50MsAt100k: 10, findP50VsOrthanc: 0.5, getImgPerSecVsOrthanc: 1.5 };
/** The queries timed: each names a study the archive holds, so each has one or a few matches. */
function queries(count, rounds) {
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const a = studyAttributes((r * 104729) % count);
    const kind = r % 4;
    const keys = { '0020000D': { vr: 'UI' }, '00100010': { vr: 'PN' }, '00080020': { vr: 'DA' }, '00080061': { vr: 'CS' } };
    if (kind === 0) keys['00100020'] = { vr: 'LO', Value: [a.patientId] };
    if (kind === 1) keys['00100010'] = { vr: 'PN', Value: [{ Alphabetic: `${a.patientName.split('^')[0]}^${a.patientName.split('^')[1].slice(0, 2)}*` }] };
    if (kind === 2) keys['00080050'] = { vr: 'SH', Value: [a.accession] };
    if (kind === 3) keys['00080020'] = { vr: 'DA', Value: [a.date] };
    out.push({ kind: ['PatientID', 'PatientName prefix', 'AccessionNumber', 'StudyDate'][kind], keys });
  }
  return out;
}

/** 100,000 studies straight into an index: the JSON a received instance would have, no file. */
function fillIndex(file, count) {
  const index = new ArchiveIndex(file);
  const text = (vr, v) => ({ vr, Value: [v] });
  for (let i = 0; i < count; i++) {
    const a = studyAttributes(i);
    const sop = newUid();
    const json = {
      '00080016': text('UI', '1.2.840.10008.5.1.4.1.1.2'), '00080018': text('UI', sop), '00080020': text('DA', a.date), '00080030': text('TM', a.time),
      '00080050': text('SH', a.accession), '00080060': text('CS', a.modality), '00081030': text('LO', a.description),
      '00100010': { vr: 'PN', Value: [{ Alphabetic: a.patientName }] }, '00100020': text('LO', a.patientId),
      '0020000D': text('UI', newUid()), '0020000E': text('UI', newUid()), '00200013': { vr: 'IS', Value: [1] },
    };
    index.addInstance(json, { path: `bench/${i}.dcm`, size: 1, sha256: '0', transferSyntaxUid: '1.2.840.10008.1.2.1', deflated: false, receivedAt: new Date().toISOString(), source: 'bench' });
  }
  index.close();
}

async function timeFinds(peer, list) {
  const times = [];
  for (const q of list) {
    const started = performance.now();
    const answers = await find(peer, { model: 'study', level: 'STUDY', keys: q.keys });
    times.push(performance.now() - started);
    if (answers.length === 0) throw new Error(`${peer.node.aet}: no answer for ${q.kind} ${JSON.stringify(q.keys)}`);
  }
  times.sort((a, b) => a - b);
  return { queries: times.length, p50Ms: round(percentile(times, 0.5), 2), p95Ms: round(percentile(times, 0.95), 2) };
}

function peerFor(aet, port) {
  return {
    node: { name: aet, aet, host: '127.0.0.1', port, allow: [] },
    callingAe: 'BENCH_SCU',
    limits: { maxAssociations: 8, maxPduLength: 262144, artimTimeoutSeconds: 30, idleTimeoutSeconds: 300, maxObjectBytes: 2 ** 32 },
    logger: silentLogger,
  };
}

async function getThroughput(aet, port, studyUid, count, work) {
  const out = join(work, `get-${aet}`);
  await mkdir(out, { recursive: true });
  const started = performance.now();
  const r = await run('getscu', ['-aet', 'BENCH_SCU', '-aec', aet, '-S', '--ignore', '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${studyUid}`, '127.0.0.1', String(port)], { env: dcmtkEnv, timeoutMs: 600_000 });
  const seconds = (performance.now() - started) / 1000;
  if (r.code !== 0) throw new Error(`getscu from ${aet} failed: ${r.stderr.slice(-2000)}`);
  return { images: count, seconds: round(seconds, 2), imgPerSec: round(count / seconds, 1) };
}


export async function main(argv) {
  const { values } = parseArgs({ args: argv, options: { studies: { type: 'string', default: '10000' }, large: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '400' }, images: { type: 'string', default: '500' }, 'get-only': { type: 'boolean', default: false } } });
  // --get-only: the C-GET comparison alone (no 10,000 studies to load, no large index).
  const getOnly = values['get-only'];
  const count = Number(values.studies);
  const large = Number(values.large);
  const rounds = Number(values.rounds);
  const images = Number(values.images);
  const work = await tempDir('viewbox-bench-qr-');
  const stops = [];
  try {
    console.error(`bench qr: writing ${count} studies and a ${images}-image CT series ...`);
    const studiesDir = join(work.path, 'studies');
    if (!getOnly) writeStudyFiles(studiesDir, count);
    const ctDir = join(work.path, 'ct');
    await mkdir(ctDir);
    const ct = generateCtSeries({ dir: ctDir, count: images, patientName: 'Bench^Get', patientId: 'BENCH-GET' });

    const orthanc = await startOrthanc({ aet: 'BENCH_PACS', modalities: [{ name: 'scu', aet: 'BENCH_SCU', host: '127.0.0.1', port: 1 }], config: { DicomAlwaysAllowGet: true } });
    stops.push(() => orthanc.stop());
    const data = join(work.path, 'viewbox');
    const config = join(work.path, 'config.json');
    await writeFile(config, JSON.stringify({ nodes: [{ name: 'scu', aet: 'BENCH_SCU', host: '127.0.0.1', port: 1, allow: ['find', 'get'] }] }));
    const vbx = await startViewbox({ dataDir: data, args: ['--aet', 'BENCH_VBX', '--config', config] });
    stops.push(() => vbx.stop());
    for (const [name, port, aet] of [['orthanc', orthanc.dicomPort, orthanc.aet], ['viewbox', vbx.dicomPort, vbx.aet]]) {
      console.error(`bench qr: loading ${name} ...`);
      for (const dir of getOnly ? [ctDir] : [studiesDir, ctDir]) {
        const sent = await storescu({ port, calledAet: aet, dir, timeoutMs: 3_600_000 });
        if (sent.stored.length === 0) throw new Error(`${name}: nothing stored from ${dir}`);
      }
    }
    console.error('bench qr: C-GET ...');
    const get = {
      orthanc: await getThroughput(orthanc.aet, orthanc.dicomPort, ct.studyUid, images, work.path),
      viewbox: await getThroughput(vbx.aet, vbx.dicomPort, ct.studyUid, images, work.path),
    };
    if (getOnly) {
      const figures = { bench: 'qr', images, get, ratios: { 'get img/s viewbox/orthanc': round(get.viewbox.imgPerSec / get.orthanc.imgPerSec, 2) } };
      printFigures(`C-GET of ${images} images: Orthanc ${get.orthanc.imgPerSec} img/s, Viewbox ${get.viewbox.imgPerSec} img/s`, figures);
      return 0;
    }
    const list = queries(count, rounds);
    const find10k = {};
    find10k.orthanc = await timeFinds(peerFor(orthanc.aet, orthanc.dicomPort), list);
    find10k.viewbox = await timeFinds(peerFor(vbx.aet, vbx.dicomPort), list);
    await vbx.stop();
    stops.length = 0;
    await orthanc.stop();

    console.error(`bench qr: ${large} studies in a fresh index ...`);
    const largeData = join(work.path, 'viewbox-large');
    await mkdir(largeData);
    fillIndex(join(largeData, 'index.sqlite'), large);
    const vbxLarge = await startViewbox({ dataDir: largeData, args: ['--aet', 'BENCH_VBX', '--config', config] });
    stops.push(() => vbxLarge.stop());
    const findLarge = await timeFinds(peerFor(vbxLarge.aet, vbxLarge.dicomPort), queries(large, rounds));

    const ratios = { 'find p50 viewbox/orthanc': round(find10k.viewbox.p50Ms / find10k.orthanc.p50Ms, 3), 'get img/s viewbox/orthanc': round(get.viewbox.imgPerSec / get.orthanc.imgPerSec, 2) };
    const targets = {
      [`find p50 ≤ ${TARGETS.findP50MsAt100k} ms at ${large} studies`]: { value: findLarge.p50Ms, met: findLarge.p50Ms <= TARGETS.findP50MsAt100k },
      'find p50 ≤ half of Orthanc at 10,000': { value: ratios['find p50 viewbox/orthanc'], met: ratios['find p50 viewbox/orthanc'] <= TARGETS.findP50VsOrthanc },
      'C-GET ≥ 1.5× Orthanc img/s': { value: ratios['get img/s viewbox/orthanc'], met: ratios['get img/s viewbox/orthanc'] >= TARGETS.getImgPerSecVsOrthanc },
    };
    const figures = { bench: 'qr', studies: count, largeStudies: large, findRounds: rounds, find: { [count]: find10k, [large]: { viewbox: findLarge } }, get, ratios, targets };
    printFigures(report(figures), figures);
    return 0;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await work.cleanup();
  }
}

function report(f) {
  const small = f.find[f.studies];
  const big = f.find[f.largeStudies].viewbox;
  return [
    `| C-FIND study level | studies | p50 ms | p95 ms |`,
    `|---|---|---|---|`,
    `| Orthanc | ${f.studies} | ${small.orthanc.p50Ms} | ${small.orthanc.p95Ms} |`,
    `| Viewbox | ${f.studies} | ${small.viewbox.p50Ms} | ${small.viewbox.p95Ms} |`,
    `| Viewbox | ${f.largeStudies} | ${big.p50Ms} | ${big.p95Ms} |`,
    '',
    `| C-GET ${f.get.viewbox.images} CT images to getscu | s | img/s |`,
    `|---|---|---|`,
    `| Orthanc | ${f.get.orthanc.seconds} | ${f.get.orthanc.imgPerSec} |`,
    `| Viewbox | ${f.get.viewbox.seconds} | ${f.get.viewbox.imgPerSec} |`,
    '',
    ...Object.entries(f.targets).map(([name, t]) => `- ${name}: ${t.value} — ${t.met ? 'met' : 'NOT met'}`),
  ].join('\n');
}
