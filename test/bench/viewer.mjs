// Reading-room benchmark, in Chromium (SwiftShader WebGL2 here) against a
// running `viewbox serve` holding a 500-image 512×512 CT series:
// - open → first image: from the in-app navigation to /view/<uid> to the
//   first image drawn in viewport 0 (Cornerstone's IMAGE_RENDERED: the pixels
//   are on the viewport's canvas; the compositor shows them at the next
//   frame). Once cold (a fresh browser profile: empty HTTP cache, nothing
//   compiled or initialised), then warm (each in a new tab of the same
//   browser where the viewer has just shown another study: Cornerstone is
//   initialised, the code cached, but this series is in no cache);
// - fetch+decode alone, in each warm tab before its open: the same frame
//   fetched from the node's WADO-RS frames URL as the viewer's loader asks
//   for it, the part cut out the same way, and decoded by the viewer's own
//   decode worker (the built decodeImageFrameWorker);
// - scroll: ArrowDown held (key repeats at --rate per second) in the last warm
//   tab until the last image is drawn; every image drawn is recorded.
// Prints a markdown table and, as the last line, one JSON object.

// The page-side functions below run in Chromium (page.evaluate), with the browser's globals:
/* global document, history, dispatchEvent, PopStateEvent, Worker, TextEncoder, TextDecoder */
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCtSeries } from '../fixtures/ct-series.ts';
import { launchChromium } from '../e2e/harness/chromium.ts';
import { holdArrowDown, installPaintProbe, skippedIndices } from '../e2e/harness/paint-probe.ts';
import { repoRoot, startViewbox } from '../helpers/peers/viewbox.ts';
import { storescu } from '../helpers/peers/storescu.ts';
import { tempDir } from '../helpers/tmp.ts';
import { percentile, printFigures, round } from './figures.mjs';

const TARGETS = { openVsFetchDecode: 2 };
const VIEWPORT = { width: 1000, height: 700 };
const SIZE = 512;

/** The media type the DICOM image loader asks WADO-RS frames for (dicom-image-loader wadors/loadImage). */
const FRAME_MEDIA_TYPE = 'multipart/related; type=application/octet-stream; transfer-syntax=*';

/** Page side: what the WebGL2 context reports as its renderer. */
function webglRenderer() {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'no WebGL2';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/**
 * Page side: the in-app navigation to the viewer (as openStudy in
 * test/e2e/harness/reading-room.ts does), then the time to the first image
 * drawn in viewport 0 (the paint probe is installed), with where the time
 * went: the study's WADO-RS metadata and the first frame's request (resource
 * timing), the image put on the stack (loaded and decoded), its render.
 */
async function openAndTime({ path, frameUrl, timeoutMs }) {
  const probe = globalThis.paintProbe;
  probe.reset();
  performance.clearResourceTimings();
  const t0 = performance.now();
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
  while (probe.renders.length === 0) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`no image drawn in viewport 0 within ${timeoutMs} ms of opening ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const render = probe.renders[0];
  const image = probe.newImages[0];
  const resource = (test) => {
    const entry = performance.getEntriesByType('resource').find((e) => test(e.name));
    return entry && { start: entry.startTime - t0, end: entry.responseEnd - t0 };
  };
  // What was drawn: at the CT window the phantom's water (mid image) is mid grey.
  const canvas = document.querySelector('.viewport[data-viewport-index="0"] canvas');
  const centre = canvas.getContext('2d').getImageData(Math.floor(canvas.width / 2) - 2, Math.floor(canvas.height / 2) - 2, 5, 5).data;
  let grey = 0;
  for (let i = 0; i < centre.length; i += 4) grey += centre[i] / (centre.length / 4);
  return {
    firstImageMs: render.t - t0,
    imageOnStackMs: image.t - t0,
    loaderLoadMs: image.loadMs,
    loaderDecodeMs: image.decodeMs,
    metadata: resource((name) => name.endsWith('/metadata')),
    frame: resource((name) => name === frameUrl),
    centreGrey: grey,
  };
}

/**
 * Page side: fetch one frame as the viewer's loader does (the same URL and
 * Accept header; the part's bytes found by the same forward search for the
 * boundary) and decode it in a worker running the viewer's own decoder script
 * (the built decodeImageFrameWorker, called through its comlink interface
 * with the arguments the loader gives it). One untimed call of another frame
 * first starts the worker; then `runs` timed fetch+decode calls.
 */
async function fetchAndDecode({ workerUrl, frameUrl, warmUpUrl, mediaType, imageFrame, scaling, runs }) {
  const worker = new Worker(workerUrl, { type: 'module' });
  let nextId = 0;
  const decode = (pixelData) =>
    new Promise((resolve, reject) => {
      const id = `bench-${nextId++}`;
      const onMessage = ({ data }) => {
        if (data?.id !== id) return;
        worker.removeEventListener('message', onMessage);
        if (data.type === 'HANDLER') reject(new Error(`decode worker: ${JSON.stringify(data.value)}`));
        else resolve(data.value);
      };
      worker.addEventListener('message', onMessage);
      const args = {
        imageFrame,
        transferSyntax: '1.2.840.10008.1.2.1',
        pixelData,
        decodeConfig: {},
        options: { preScale: { enabled: true, scalingParameters: scaling }, allowFloatRendering: true },
      };
      worker.postMessage({ id, type: 'APPLY', path: ['decodeTask'], argumentList: [{ type: 'RAW', value: args }] });
    });
  const indexOf = (data, token, from) => {
    for (let i = from; i + token.length <= data.length; i++) {
      let j = 0;
      while (j < token.length && data[i + j] === token[j]) j++;
      if (j === token.length) return i;
    }
    return -1;
  };
  const fetchFrame = async (url) => {
    const response = await fetch(url, { headers: { accept: mediaType } });
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    const body = new Uint8Array(await response.arrayBuffer());
    const headerEnd = indexOf(body, new TextEncoder().encode('\r\n\r\n'), 0);
    const boundary = new TextDecoder().decode(body.subarray(0, headerEnd)).split('\r\n').find((line) => line.startsWith('--'));
    if (headerEnd < 0 || !boundary) throw new Error(`GET ${url}: no multipart part (${response.headers.get('content-type')})`);
    const end = indexOf(body, new TextEncoder().encode(boundary), headerEnd + 4);
    return body.slice(headerEnd + 4, end - 2);
  };
  try {
    await decode(await fetchFrame(warmUpUrl));
    const times = [];
    let decoded;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      decoded = await decode(await fetchFrame(frameUrl));
      times.push(performance.now() - t0);
    }
    return { times, pixels: decoded.pixelData.length };
  } finally {
    worker.terminate();
  }
}

/** The built decode worker's path on the node (its name carries a content hash). */
function decodeWorkerPath() {
  const assets = join(repoRoot, 'dist', 'renderer', 'assets');
  const name = readdirSync(assets).find((f) => /^decodeImageFrameWorker-[\w-]+\.js$/.test(f));
  if (!name) throw new Error(`no decodeImageFrameWorker-*.js in ${assets}: build the renderer (npx vite build)`);
  return `/assets/${name}`;
}

/** The page's main-thread CPU profile (DevTools protocol), written as a .cpuprofile that DevTools opens. */
async function startProfile(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await cdp.send('Profiler.stop');
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(profile));
      await cdp.detach();
      console.error(`bench viewer: CPU profile in ${file}`);
    },
  };
}

async function waitForWorklist(page) {
  await page.locator('tr.study-row').first().waitFor({ timeout: 30_000 });
}

async function openAndWait(page, studyUid, frameUrl) {
  const open = await page.evaluate(openAndTime, { path: `/view/${studyUid}`, frameUrl, timeoutMs: 60_000 });
  if (open.centreGrey < 30) throw new Error(`study ${studyUid}: viewport 0 drew no image (centre grey ${open.centreGrey})`);
  return open;
}

async function backToWorklist(page) {
  await page.keyboard.press('Escape');
  await waitForWorklist(page);
}

function scrollFigures({ renders, keys, newImages }, images) {
  const drawn = new Set(renders.map((r) => r.index));
  const firstKey = keys[0] ?? 0;
  const seconds = ((renders.at(-1)?.t ?? firstKey) - firstKey) / 1000;
  const keySeconds = keys.length > 1 ? (keys.at(-1) - firstKey) / 1000 : 0;
  const skipped = skippedIndices([{ t: 0, index: 0 }, ...renders]);
  return {
    keys: keys.length,
    keyRate: keySeconds > 0 ? round((keys.length - 1) / keySeconds, 1) : 0,
    renders: renders.length,
    imagesOnStack: newImages.length,
    imagesDrawn: drawn.size,
    reached: drawn.size ? Math.max(...drawn) + 1 : 1,
    images,
    seconds: round(seconds, 2),
    fps: seconds > 0 ? round(drawn.size / seconds, 1) : 0,
    skipped: skipped.length,
    firstSkipped: skipped.slice(0, 20),
  };
}

const ms = (n) => (n === undefined ? undefined : round(n, 1));
function openFigures(o) {
  return {
    firstImageMs: ms(o.firstImageMs),
    metadataStartMs: ms(o.metadata?.start),
    metadataEndMs: ms(o.metadata?.end),
    frameStartMs: ms(o.frame?.start),
    frameEndMs: ms(o.frame?.end),
    imageOnStackMs: ms(o.imageOnStackMs),
    loaderLoadMs: o.loaderLoadMs,
    loaderDecodeMs: o.loaderDecodeMs,
  };
}

export async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: { images: { type: 'string', default: '500' }, opens: { type: 'string', default: '5' }, runs: { type: 'string', default: '5' }, rate: { type: 'string', default: '60' }, profile: { type: 'string' } },
  });
  const images = Number(values.images);
  const opens = Math.max(2, Number(values.opens));
  const runs = Number(values.runs);
  const rate = Number(values.rate);
  const work = await tempDir('viewbox-bench-viewer-');
  const stops = [];
  try {
    console.error(`bench viewer: writing a ${images}-image CT series ...`);
    const ctDir = join(work.path, 'ct');
    const warmDir = join(work.path, 'warm-up');
    await mkdir(ctDir);
    await mkdir(warmDir);
    const ct = generateCtSeries({ dir: ctDir, count: images, rows: SIZE, cols: SIZE, patientName: 'Bench^Viewer', patientId: 'BENCH-VIEWER' });
    // Opened first in each warm tab: the viewer has been used, the benchmark's series not yet.
    const warmUp = generateCtSeries({ dir: warmDir, count: 2, rows: 64, cols: 64, patientName: 'Bench^WarmUp', patientId: 'BENCH-WARMUP' });
    const vbx = await startViewbox({ dataDir: join(work.path, 'viewbox'), args: ['--aet', 'BENCH_VBX'] });
    stops.push(() => vbx.stop());
    for (const dir of [ctDir, warmDir]) {
      const sent = await storescu({ port: vbx.dicomPort, calledAet: vbx.aet, dir, timeoutMs: 600_000 });
      if (sent.stored.length !== readdirSync(dir).length) throw new Error(`viewbox stored ${sent.stored.length} of the files in ${dir}\n${sent.log.slice(-2000)}`);
    }
    const origin = vbx.url.replace(/\/$/, '');
    const frameUrlOf = (series, sop) => `${origin}/dicom-web/studies/${series.studyUid}/series/${series.seriesUid}/instances/${sop}/frames/1`;
    // Head first: the viewer's first image is the first slice written (z = 0).
    const firstFrameUrl = frameUrlOf(ct, ct.files[0].sopInstanceUid);
    const fetchDecodeArgs = {
      workerUrl: `${origin}${decodeWorkerPath()}`,
      frameUrl: firstFrameUrl,
      warmUpUrl: frameUrlOf(ct, ct.files[1].sopInstanceUid),
      mediaType: FRAME_MEDIA_TYPE,
      // What the loader's getImageFrame gives the worker for these files.
      imageFrame: { samplesPerPixel: 1, photometricInterpretation: 'MONOCHROME2', rows: SIZE, columns: SIZE, bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 1 },
      scaling: { rescaleSlope: 1, rescaleIntercept: -1024, modality: 'CT' },
      runs,
    };

    const browser = await launchChromium();
    stops.push(() => browser.close());
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const problems = [];
    const newPage = async () => {
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
      return page;
    };

    console.error('bench viewer: cold open ...');
    const coldPage = await newPage();
    await coldPage.goto(`${vbx.url}?token=${vbx.token}`);
    await waitForWorklist(coldPage);
    const renderer = await coldPage.evaluate(webglRenderer);
    await installPaintProbe(coldPage);
    const cold = await openAndWait(coldPage, ct.studyUid, firstFrameUrl);
    await coldPage.close();

    const warm = [];
    const fetchDecode = [];
    let scroll;
    for (let i = 1; i < opens; i++) {
      console.error(`bench viewer: warm open ${i} of ${opens - 1} ...`);
      const last = i === opens - 1;
      // A new tab has its own Cornerstone (an empty image cache) and shares the browser's HTTP and code caches.
      const page = await newPage();
      await page.goto(vbx.url);
      await waitForWorklist(page);
      await installPaintProbe(page);
      await openAndWait(page, warmUp.studyUid, frameUrlOf(warmUp, warmUp.files[0].sopInstanceUid));
      await backToWorklist(page);
      // Fetch+decode alone while the page loads nothing else (the viewer's prefetch queue went with it).
      await page.waitForTimeout(300);
      const fd = await page.evaluate(fetchAndDecode, fetchDecodeArgs);
      if (fd.pixels !== SIZE * SIZE) throw new Error(`the decode worker gave ${fd.pixels} pixels, not ${SIZE * SIZE}`);
      fetchDecode.push(...fd.times);
      const profiler = values.profile && last ? await startProfile(page) : undefined;
      warm.push(await openAndWait(page, ct.studyUid, firstFrameUrl));
      await profiler?.stop(join(values.profile, 'warm-open.cpuprofile'));
      if (last) {
        console.error(`bench viewer: scrolling through ${images} images, ArrowDown held at ${rate}/s ...`);
        await page.locator('.viewport[data-viewport-index="0"]').click();
        const scrollProfiler = values.profile ? await startProfile(page) : undefined;
        scroll = scrollFigures(await holdArrowDown(page, images - 1, rate), images);
        await scrollProfiler?.stop(join(values.profile, 'scroll.cpuprofile'));
      }
      await page.close();
    }

    const warmTimes = warm.map((o) => o.firstImageMs).sort((a, b) => a - b);
    const fdSorted = [...fetchDecode].sort((a, b) => a - b);
    const fetchDecodeMs = round(percentile(fdSorted, 0.5), 1);
    const firstImageMs = { cold: round(cold.firstImageMs, 1), warmP50: round(percentile(warmTimes, 0.5), 1), warmMin: round(warmTimes[0], 1), warmMax: round(warmTimes.at(-1), 1) };
    const ratio = { cold: round(firstImageMs.cold / fetchDecodeMs, 2), warm: round(firstImageMs.warmP50 / fetchDecodeMs, 2) };
    const targets = {
      [`warm first image ≤ ${TARGETS.openVsFetchDecode}× fetch+decode`]: { value: ratio.warm, met: ratio.warm <= TARGETS.openVsFetchDecode },
      'no slice skipped while scrolling to the last': { value: scroll.skipped, met: scroll.skipped === 0 && scroll.reached === images },
    };
    const figures = {
      bench: 'viewer',
      renderer,
      images,
      viewport: VIEWPORT,
      firstImageMs,
      fetchDecodeMs,
      fetchDecodeP95Ms: round(percentile(fdSorted, 0.95), 1),
      fetchDecodeRuns: fetchDecode.length,
      ratio,
      scrollFps: scroll.fps,
      skipped: scroll.skipped,
      scroll,
      opens: { cold: openFigures(cold), warm: warm.map(openFigures) },
      problems,
      targets,
    };
    printFigures(report(figures), figures);
    return 0;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await work.cleanup();
  }
}

function report(f) {
  const open = (name, o) => `| ${name} | ${o.metadataEndMs ?? ''} | ${o.frameStartMs ?? ''} | ${o.frameEndMs ?? ''} | ${o.imageOnStackMs} | ${o.firstImageMs} | ${o.loaderLoadMs ?? ''} | ${o.loaderDecodeMs ?? ''} |`;
  const s = f.scroll;
  return [
    `WebGL: ${f.renderer}; viewport ${f.viewport.width}×${f.viewport.height} CSS px; ${f.images} CT images of ${SIZE}×${SIZE}.`,
    '',
    '| open (ms after the navigation) | metadata received | frame requested | frame received | image on the stack | **first image drawn** | loader: load ms | loader: decode ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    open('cold', f.opens.cold),
    ...f.opens.warm.map((o, i) => open(`warm ${i + 1}`, o)),
    '',
    `- fetch+decode alone (same frame, the viewer's decoder), median of ${f.fetchDecodeRuns}: ${f.fetchDecodeMs} ms (p95 ${f.fetchDecodeP95Ms} ms)`,
    `- first image / fetch+decode: cold ${f.ratio.cold}, warm (median) ${f.ratio.warm}`,
    `- scroll: ${s.keys} ArrowDown events at ${s.keyRate}/s; ${s.imagesDrawn} images drawn in ${s.seconds} s (${s.fps} per s), last drawn ${s.reached}/${s.images}, skipped ${s.skipped}`,
    '',
    ...Object.entries(f.targets).map(([name, t]) => `- ${name}: ${t.value} — ${t.met ? 'met' : 'NOT met'}`),
    ...(f.problems.length ? ['', 'Browser problems:', ...f.problems.map((p) => `- ${p}`)] : []),
  ].join('\n');
}
