// DICOMweb benchmark: Viewbox and Orthanc (with its DICOMweb plugin) holding
// the same data, measured in one run. WADO-RS metadata of a 500-instance CT
// series; frame retrieval throughput for that series (MB/s of pixel data),
// with a plain read of the same files from disk as the ceiling; QIDO-RS study
// searches over 10,000 studies. Prints a markdown table and, as the last line,
// one JSON object.
import { readdir, readFile } from 'node:fs/promises';
import { Agent, get as httpGet } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCtSeries } from '../fixtures/ct-series.ts';
import { startOrthanc } from '../helpers/peers/orthanc.ts';
import { storescu } from '../helpers/peers/storescu.ts';
import { startViewbox } from '../helpers/peers/viewbox.ts';
import { tempDir } from '../helpers/tmp.ts';
import { percentile, printFigures, round } from './figures.mjs';
import { studyAttributes, writeStudyFiles } from './synthetic-studies.mjs';

const TARGETS = { metadataMs: 50, metadataVsOrthanc: 2, framesVsDisk: 0.5 };

/** One DICOMweb server: its base URL and the headers it needs. */
function server(base, headers = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  return {
    /** GET counting the body's bytes as they arrive (node:http: the bench's client should cost less than the server). */
    count(path, accept) {
      return new Promise((resolve, reject) => {
        const request = httpGet(base + path, { agent, headers: { ...headers, accept } }, (response) => {
          if (response.statusCode !== 200) reject(new Error(`GET ${base}${path}: HTTP ${response.statusCode}`));
          let bytes = 0;
          response.on('data', (chunk) => (bytes += chunk.length));
          response.on('end', () => resolve(bytes));
          response.on('error', reject);
        });
        request.on('error', reject);
      });
    },
    async get(path, accept) {
      const response = await fetch(base + path, { headers: { ...headers, accept } });
      if (!response.ok) throw new Error(`GET ${base}${path}: HTTP ${response.status} ${await response.text()}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

async function timeMetadata(web, study, series, runs) {
  const times = [];
  let instances = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const body = await web.get(`/studies/${study}/series/${series}/metadata`, 'application/dicom+json');
    times.push(performance.now() - started);
    instances = JSON.parse(Buffer.from(body).toString('utf8')).length;
  }
  return { runs, instances, medianMs: round(percentile([...times].sort((a, b) => a - b), 0.5), 1), firstMs: round(times[0], 1) };
}

/** Frame 1 of every instance, `concurrency` requests at a time, as uncompressed octet-stream parts. */
async function frameThroughput(web, study, series, sopUids, concurrency) {
  const queue = [...sopUids];
  let bytes = 0;
  const started = performance.now();
  const worker = async () => {
    for (let uid = queue.shift(); uid; uid = queue.shift()) {
      const received = await web.count(`/studies/${study}/series/${series}/instances/${uid}/frames/1`, 'multipart/related; type="application/octet-stream"; transfer-syntax=*');
      bytes += received;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { frames: sopUids.length, concurrency, bytes, seconds: round(seconds, 2), mbPerSec: round(bytes / 1e6 / seconds, 1) };
}

/** A plain read of the series' stored files (store/…/<StudyUID>/…), as one client would read them from disk. */
async function diskRead(storeDir, studyUid) {
  const files = (await readdir(storeDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.dcm') && e.parentPath.endsWith(studyUid));
  let bytes = 0;
  const started = performance.now();
  for (const f of files) bytes += (await readFile(join(f.parentPath, f.name))).length;
  const seconds = (performance.now() - started) / 1000;
  return { files: files.length, bytes, seconds: round(seconds, 2), mbPerSec: round(bytes / 1e6 / seconds, 1) };
}

async function timeQido(web, count, rounds) {
  const times = [];
  for (let r = 0; r < rounds; r++) {
    // Orthanc's QIDO-RS finds no name with a non-ASCII wildcard key (Müller*): ask both for ASCII names only.
    let i = (r * 104729) % count;
    while (!/^[\x20-\x7e]*$/.test(studyAttributes(i).patientName)) i = (i + 1) % count;
    const a = studyAttributes(i);
    const query = [`PatientID=${a.patientId}`, `PatientName=${encodeURIComponent(a.patientName.split('^')[0])}*`, `AccessionNumber=${a.accession}`, `StudyDate=${a.date}`][r % 4];
    const started = performance.now();
    const body = await web.get(`/studies?${query}`, 'application/dicom+json');
    times.push(performance.now() - started);
    if (JSON.parse(Buffer.from(body).toString('utf8') || '[]').length === 0) throw new Error(`no QIDO answer for ${query}`);
  }
  times.sort((a, b) => a - b);
  return { queries: rounds, p50Ms: round(percentile(times, 0.5), 2), p95Ms: round(percentile(times, 0.95), 2) };
}

export async function main(argv) {
  const { values } = parseArgs({ args: argv, options: { images: { type: 'string', default: '500' }, studies: { type: 'string', default: '10000' }, runs: { type: 'string', default: '10' }, rounds: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '4' } } });
  const images = Number(values.images);
  const count = Number(values.studies);
  const work = await tempDir('viewbox-bench-web-');
  const stops = [];
  try {
    console.error(`bench web: writing a ${images}-image CT series and ${count} studies ...`);
    const ctDir = join(work.path, 'ct');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(ctDir);
    const ct = generateCtSeries({ dir: ctDir, count: images, patientName: 'Bench^Web', patientId: 'BENCH-WEB' });
    const studiesDir = join(work.path, 'studies');
    writeStudyFiles(studiesDir, count);

    const orthanc = await startOrthanc({ aet: 'BENCH_PACS', dicomweb: true });
    stops.push(() => orthanc.stop());
    const data = join(work.path, 'viewbox');
    const vbx = await startViewbox({ dataDir: data, args: ['--aet', 'BENCH_VBX'] });
    stops.push(() => vbx.stop());
    const webs = { orthanc: server(`${orthanc.url}/dicom-web`), viewbox: server(`${vbx.url.replace(/\/$/, '')}/dicom-web`, { authorization: `Bearer ${vbx.token}` }) };
    for (const [name, port, aet] of [['orthanc', orthanc.dicomPort, orthanc.aet], ['viewbox', vbx.dicomPort, vbx.aet]]) {
      console.error(`bench web: loading ${name} ...`);
      for (const dir of [ctDir, studiesDir]) {
        const sent = await storescu({ port, calledAet: aet, dir, timeoutMs: 3_600_000 });
        if (sent.stored.length === 0) throw new Error(`${name}: nothing stored from ${dir}`);
      }
    }
    const sopUids = ct.files.map((f) => f.sopInstanceUid);
    const results = {};
    for (const name of ['orthanc', 'viewbox']) {
      console.error(`bench web: measuring ${name} ...`);
      results[name] = {
        metadata: await timeMetadata(webs[name], ct.studyUid, ct.seriesUid, Number(values.runs)),
        frames: await frameThroughput(webs[name], ct.studyUid, ct.seriesUid, sopUids, Number(values.concurrency)),
        qido: await timeQido(webs[name], count, Number(values.rounds)),
      };
    }
    const disk = await diskRead(join(data, 'store'), ct.studyUid);
    const ratios = {
      'metadata orthanc/viewbox': round(results.orthanc.metadata.medianMs / results.viewbox.metadata.medianMs, 2),
      'frames viewbox/disk': round(results.viewbox.frames.mbPerSec / disk.mbPerSec, 2),
      'frames viewbox/orthanc': round(results.viewbox.frames.mbPerSec / results.orthanc.frames.mbPerSec, 2),
      'qido p50 viewbox/orthanc': round(results.viewbox.qido.p50Ms / results.orthanc.qido.p50Ms, 3),
    };
    const targets = {
      [`metadata ≤ ${TARGETS.metadataMs} ms`]: { value: results.viewbox.metadata.medianMs, met: results.viewbox.metadata.medianMs <= TARGETS.metadataMs },
      'metadata ≥ 2× faster than Orthanc': { value: ratios['metadata orthanc/viewbox'], met: ratios['metadata orthanc/viewbox'] >= TARGETS.metadataVsOrthanc },
      'frames ≥ 50% of the disk read': { value: ratios['frames viewbox/disk'], met: ratios['frames viewbox/disk'] >= TARGETS.framesVsDisk },
    };
    const figures = { bench: 'web', images, studies: count, results, disk, ratios, targets };
    printFigures(report(figures), figures);
    return 0;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await work.cleanup();
  }
}

function report(f) {
  const row = (name) => {
    const r = f.results[name];
    return `| ${name} | ${r.metadata.medianMs} | ${r.frames.mbPerSec} | ${r.qido.p50Ms} | ${r.qido.p95Ms} |`;
  };
  return [
    `| server | metadata of ${f.images} instances, median ms | frames MB/s | QIDO p50 ms (${f.studies} studies) | QIDO p95 ms |`,
    '|---|---|---|---|---|',
    row('orthanc'),
    row('viewbox'),
    `| disk read of the same files | | ${f.disk.mbPerSec} | | |`,
    '',
    ...Object.entries(f.targets).map(([name, t]) => `- ${name}: ${t.value} — ${t.met ? 'met' : 'NOT met'}`),
  ].join('\n');
}
