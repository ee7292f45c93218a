// MPR and 3D benchmark, in Chromium (SwiftShader WebGL2 here) against a
// running `viewbox serve` holding a generated 512×512×500 CT series:
// - first MPR view: from the key press that switches viewport 0 from its stack
//   to MPR (Shift+M, as soon as the stack's first image was drawn; slices the
//   stack view's prefetch had already cached are counted) to the
//   renderer's `viewbox:mpr-first-view` mark (every plane drawn with every
//   slice covered, its own pixels or a neighbour's copy), with the share of
//   slices then loaded at full resolution;
// - full volume: to the `viewbox:mpr-volume-loaded` mark (every slice in);
// - memory held for the volume against its raw voxel bytes (columns × rows ×
//   slices × 2), counted two ways: the typed arrays Cornerstone's image cache
//   holds for the volume's slices (the mark's detail; what Viewbox keeps), and
//   the growth of the page's JS heap plus ArrayBuffer backing stores (CDP
//   Runtime.getHeapUsage after a forced GC, before the study is opened and
//   once the volume is loaded; it also counts the study's metadata and
//   anything else the page allocated meanwhile).
//   performance.measureUserAgentSpecificMemory needs cross-origin isolation
//   and is not available headless;
// - where the time went: the frames' responses (resource timing): when the
//   volume's first request went out, and when 1/8, 1/4 and all of the frames
//   it fetched had arrived (the stack view may have cached some before);
// - crosshairs: Shift+click at 10 places in the axial plane, each timed from
//   the mouse press to the two planes it moves (sagittal, coronal) redrawn;
// - first 3D frame: Shift+V on the MPR viewport (the volume is reused) to the
//   `viewbox:vr-first-frame` mark.
// Prints a markdown table and, as the last line, one JSON object.

/* global document, window, history, dispatchEvent, PopStateEvent */
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { generateCtSeries } from '../fixtures/ct-series.ts';
import { launchChromium } from '../e2e/harness/chromium.ts';
import { startViewbox } from '../helpers/peers/viewbox.ts';
import { storescu } from '../helpers/peers/storescu.ts';
import { tempDir } from '../helpers/tmp.ts';
import { percentile, printFigures, round } from './figures.mjs';

const TARGETS = { volumeMemoryRatio: 1.2, firstViewFraction: 0.25 };
const VIEWPORT = { width: 1200, height: 800 };
const CELL = '.viewport[data-viewport-index="0"]';

/** Page side: the last mark of that name, relative to `t0`. */
function markAfter({ name, t0 }) {
  const entry = performance.getEntriesByName(name).at(-1);
  return entry && entry.startTime >= t0 ? { ms: entry.startTime - t0, detail: entry.detail } : undefined;
}

async function waitForMark(page, name, t0, timeoutMs) {
  const started = Date.now();
  for (;;) {
    const mark = await page.evaluate(markAfter, { name, t0 });
    if (mark) return mark;
    if (Date.now() - started > timeoutMs) throw new Error(`no ${name} mark within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function heapBytes(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = await cdp.send('Runtime.getHeapUsage');
  return { used: usage.usedSize, backing: usage.backingStorageSize ?? 0 };
}

/**
 * Page side: arms a timer for the next mouse press, resolved when the planes
 * it moves (sagittal and coronal, for a press in the axial plane) have been
 * redrawn.
 */
function armRedrawTimer({ cell, timeoutMs }) {
  const planes = ['sagittal', 'coronal'].map((name) => document.querySelector(`${cell} .mpr-plane-${name} .viewport-element`));
  globalThis.redraw = new Promise((resolve, reject) => {
    let pressed;
    const pending = new Set(planes);
    window.addEventListener('pointerdown', () => (pressed = performance.now()), { capture: true, once: true });
    setTimeout(() => reject(new Error(`planes not redrawn within ${timeoutMs} ms of a Shift+click`)), timeoutMs);
    for (const plane of planes) {
      const onRendered = () => {
        if (pressed === undefined) return;
        plane.removeEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered);
        pending.delete(plane);
        if (pending.size === 0) resolve(performance.now() - pressed);
      };
      plane.addEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered);
    }
  });
}

export async function main(argv) {
  const { values } = parseArgs({ args: argv, options: { slices: { type: 'string', default: '500' }, jumps: { type: 'string', default: '10' }, 'skip-3d': { type: 'boolean', default: false } } });
  const slices = Number(values.slices);
  const work = await tempDir('viewbox-bench-mpr-');
  const stops = [];
  try {
    console.error(`bench mpr: writing a ${slices}-slice 512×512 CT ...`);
    const ctDir = join(work.path, 'ct');
    await mkdir(ctDir);
    const ct = generateCtSeries({ dir: ctDir, count: slices, patientName: 'Bench^Mpr', patientId: 'BENCH-MPR' });
    const node = await startViewbox({ dataDir: join(work.path, 'viewbox'), args: ['--aet', 'BENCH_MPR'] });
    stops.push(() => node.stop());
    console.error('bench mpr: storing it in the node ...');
    const sent = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: ctDir, timeoutMs: 3_600_000 });
    if (sent.stored.length !== slices) throw new Error(`storescu stored ${sent.stored.length} of ${slices} images`);

    const browser = await launchChromium();
    stops.push(() => browser.close());
    const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const problems = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const cdp = await page.context().newCDPSession(page);
    await page.goto(`${node.url}?token=${node.token}`);
    const renderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : 'no WebGL2';
    });
    // The heap before the study is opened: what the volume adds is counted from here.
    const before = await heapBytes(cdp);
    // Room for every frame's resource timing (the browser keeps 250 by default).
    await page.evaluate(() => performance.setResourceTimingBufferSize(10_000));
    // In-app navigation, as a click on a worklist row does: the same document (and heap) as the baseline.
    await page.evaluate((path) => {
      history.pushState(null, '', path);
      dispatchEvent(new PopStateEvent('popstate'));
    }, `/view/${ct.studyUid}`);
    // Switched as soon as the stack shows its first image (viewport 0 is the active one), before its prefetch gets far.
    await page.locator(`${CELL} .overlay-image`).waitFor({ timeout: 60_000 });
    console.error('bench mpr: switching to MPR ...');
    const t0 = await page.evaluate(() => performance.now());
    await page.keyboard.press('Shift+M');
    const firstView = await waitForMark(page, 'viewbox:mpr-first-view', t0, 600_000);
    const loaded = await waitForMark(page, 'viewbox:mpr-volume-loaded', t0, 600_000);
    const after = await heapBytes(cdp);
    // Where the time went: when the frames' responses had arrived (resource timing), against the marks.
    const arrivals = await page.evaluate(
      ({ t0 }) =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/frames/') && e.startTime >= t0)
          .map((e) => ({ start: e.startTime - t0, end: e.responseEnd - t0 }))
          .sort((a, b) => a.end - b.end),
      { t0 },
    );
    const arrived = (share) => arrivals[Math.max(0, Math.ceil(share * arrivals.length) - 1)]?.end ?? NaN;
    const { heldBytes, voxelBytes } = loaded.detail;
    const heapGrowth = after.used + after.backing - (before.used + before.backing);

    console.error('bench mpr: moving the crosshairs ...');
    const axial = page.locator(`${CELL} .mpr-plane-axial`);
    const box = await axial.boundingBox();
    const redraws = [];
    for (let i = 0; i < Number(values.jumps); i++) {
      await page.evaluate(armRedrawTimer, { cell: CELL, timeoutMs: 30_000 });
      // Around the centre, never on a reference line (a press there grabs the line instead of jumping).
      const angle = (2 * Math.PI * (i + 0.25)) / Number(values.jumps);
      await page.keyboard.down('Shift');
      await page.mouse.click(box.x + box.width * (0.5 + 0.25 * Math.cos(angle)), box.y + box.height * (0.5 + 0.25 * Math.sin(angle)));
      await page.keyboard.up('Shift');
      redraws.push(await page.evaluate(() => globalThis.redraw));
    }
    redraws.sort((a, b) => a - b);

    let firstVrMs;
    if (!values['skip-3d']) {
      console.error('bench mpr: switching to 3D ...');
      const t3d = await page.evaluate(() => performance.now());
      await page.keyboard.press('Shift+V');
      firstVrMs = (await waitForMark(page, 'viewbox:vr-first-frame', t3d, 600_000)).ms;
    }
    if (problems.length > 0) throw new Error(`page errors: ${problems.join('; ')}`);

    const figures = {
      renderer,
      slices,
      firstViewMs: round(firstView.ms, 0),
      firstViewFraction: round(firstView.detail.loaded, 3),
      fullVolumeMs: round(loaded.ms, 0),
      voxelBytes,
      heldBytes,
      volumeMemoryRatio: round(heldBytes / voxelBytes, 3),
      heapGrowthBytes: heapGrowth,
      heapGrowthRatio: round(heapGrowth / voxelBytes, 3),
      frameResponses: { fetched: arrivals.length, firstRequestMs: round(Math.min(...arrivals.map((a) => a.start)), 0), eighthMs: round(arrived(1 / 8), 0), quarterMs: round(arrived(1 / 4), 0), allMs: round(arrived(1), 0) },
      crosshairRedrawMs: { p50: round(percentile(redraws, 0.5), 0), max: round(redraws.at(-1), 0) },
      firstVolumeRenderingMs: firstVrMs === undefined ? null : round(firstVrMs, 0),
      targets: {
        volumeMemoryRatio: { target: TARGETS.volumeMemoryRatio, met: heldBytes / voxelBytes <= TARGETS.volumeMemoryRatio },
        firstViewFraction: { target: TARGETS.firstViewFraction, met: firstView.detail.loaded <= TARGETS.firstViewFraction },
      },
    };
    const MB = (bytes) => `${round(bytes / 1e6, 1)} MB`;
    const table = [
      `MPR and 3D, ${slices} slices of 512×512 (${MB(voxelBytes)} of voxels), renderer: ${renderer}`,
      '',
      '| figure | value | target |',
      '|---|---:|---|',
      `| first MPR view | ${figures.firstViewMs} ms | |`,
      `| slices loaded at first view | ${round(figures.firstViewFraction * 100, 1)} % | ≤ ${TARGETS.firstViewFraction * 100} % ${figures.targets.firstViewFraction.met ? 'met' : 'missed'} |`,
      `| full volume | ${figures.fullVolumeMs} ms | |`,
      `| frames fetched after the switch (the rest were cached by the stack view) | ${arrivals.length} of ${slices} | |`,
      `| its frame responses in: first request, 1/8, 1/4, all | ${figures.frameResponses.firstRequestMs}, ${figures.frameResponses.eighthMs}, ${figures.frameResponses.quarterMs}, ${figures.frameResponses.allMs} ms | |`,
      `| held by the image cache / raw voxels | ${MB(heldBytes)} / ${MB(voxelBytes)} = ${figures.volumeMemoryRatio} | ≤ ${TARGETS.volumeMemoryRatio} ${figures.targets.volumeMemoryRatio.met ? 'met' : 'missed'} |`,
      `| JS heap + ArrayBuffers grown / raw voxels | ${MB(heapGrowth)} / ${MB(voxelBytes)} = ${figures.heapGrowthRatio} | |`,
      `| crosshairs moved → sagittal and coronal redrawn (p50, max of ${redraws.length}) | ${figures.crosshairRedrawMs.p50} ms, ${figures.crosshairRedrawMs.max} ms | |`,
      `| first 3D frame | ${firstVrMs === undefined ? 'skipped' : `${figures.firstVolumeRenderingMs} ms`} | |`,
    ].join('\n');
    printFigures(table, figures);
    return 0;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await work.cleanup();
  }
}
