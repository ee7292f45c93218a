/**
 * MPR in Chromium (SwiftShader WebGL2) against a running node, on phantoms
 * whose structures sit at known patient positions (test/e2e/mpr/volume-phantom.ts):
 * a bright sphere shows in all three planes where the crosshairs put it; a
 * rod of known length measures right in the sagittal plane; orientation
 * markers name the edges the anatomy is drawn at, for an axial and a
 * sagittal acquisition; a slab MIP shows a bead one plane misses; the first
 * view paints before the volume has arrived; a gantry-tilted series is drawn
 * corrected; a series with a missing slice is refused with its reason; and a
 * series over the memory budget gets the message and its offers instead of
 * loading.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { drag, measurementTextsIn, viewportPane } from './harness/canvas.js';
import { openStudyAs } from './harness/open-as.js';
import { openReadingRoom, type ReadingRoom } from './harness/reading-room.js';
import { brightBlobs, crosshairCentre } from './mpr/planes.js';
import { waterBox, writeVolumePhantom, type Vec3, type VolumePhantom } from './mpr/volume-phantom.js';

let room: ReadingRoom;
let cdp: CDPSession;

/** 64×64 axial slices of 1 mm pixels, 48 slices 2 mm apart: x −32..31, y −32..31, z 0..−94. */
const AXIAL = { rowDirection: [1, 0, 0], columnDirection: [0, 1, 0], origin: [-32, -32, 0], sliceStep: [0, 0, -2], slices: 48, rows: 64, columns: 64, pixelSpacing: 1 } as const;
const CENTRE: Vec3 = [-0.5, -0.5, -47];
const water = waterBox([26, 26, 40], CENTRE);

/** The sphere: left (+x) and anterior (−y) of the centre, at its height. */
const SPHERE = { centre: [12, -10, -46] as Vec3, radius: 6 };
/** A 3×3-voxel bead one slice (2 mm) above the sphere's plane, right and posterior: one plane misses it, a slab does not. */
const BEAD: Vec3 = [-15, 15, -44];

/**
 * A rod in the central sagittal plane (x −0.4), flat-ended, 60 mm long: 36 mm
 * anterior to posterior and 48 mm head to feet, its ends half-way between
 * voxel centres. Pixels 0.8 mm, slices 1.5 mm apart.
 */
const ROD = { from: [-0.4, -20.4, -20.25] as Vec3, axis: [0, 0.6, -0.8] as Vec3, length: 60, radius: 1.6 };
function rod(p: Vec3): number {
  const d: Vec3 = [p[0] - ROD.from[0], p[1] - ROD.from[1], p[2] - ROD.from[2]];
  const t = d[0] * ROD.axis[0] + d[1] * ROD.axis[1] + d[2] * ROD.axis[2];
  const across = Math.hypot(d[0] - t * ROD.axis[0], d[1] - t * ROD.axis[1], d[2] - t * ROD.axis[2]);
  return t >= 0 && t <= ROD.length && across <= ROD.radius ? 2000 : waterBox([24, 24, 45], [-0.4, -0.4, -47])(p);
}

/**
 * Three thin rods, each seen in one central plane only, at a known corner:
 * along z at left-anterior (axial plane), along x at anterior-head
 * (sagittal plane), along y at left-head (coronal plane).
 */
function cornerRods(p: Vec3): number {
  const [x, y, z] = [p[0] - CENTRE[0], p[1] - CENTRE[1], p[2] - CENTRE[2]];
  const near = (a: number, b: number) => Math.abs(a - b) <= 1.2;
  if ((near(x, 18) && near(y, -18)) || (near(y, -18) && near(z, 18)) || (near(x, 18) && near(z, 18))) return 2000;
  return water(p);
}

const sphereWithBead = (p: Vec3) =>
  Math.hypot(p[0] - SPHERE.centre[0], p[1] - SPHERE.centre[1], p[2] - SPHERE.centre[2]) <= SPHERE.radius || (Math.abs(p[0] - BEAD[0]) <= 1 && Math.abs(p[1] - BEAD[1]) <= 1 && Math.abs(p[2] - BEAD[2]) < 0.5) ? 2000 : water(p);

let sphereStudy: VolumePhantom;
let progressiveStudy: VolumePhantom;
let rodStudy: VolumePhantom;
let axialMarkers: VolumePhantom;
let sagittalMarkers: VolumePhantom;
let tiltedStudy: VolumePhantom;
let gappedStudyUid: string;
let largeStudyUid: string;

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 1200, height: 800 } });
  cdp = await room.page.context().newCDPSession(room.page);
  sphereStudy = writeVolumePhantom({ dir: join(room.work, 'sphere'), ...AXIAL, patientName: 'Phantom^Sphere', hu: sphereWithBead });
  progressiveStudy = writeVolumePhantom({ dir: join(room.work, 'progressive'), ...AXIAL, patientName: 'Phantom^Progressive', hu: sphereWithBead });
  rodStudy = writeVolumePhantom({
    dir: join(room.work, 'rod'),
    rowDirection: [1, 0, 0],
    columnDirection: [0, 1, 0],
    origin: [-25.6, -25.6, 0],
    sliceStep: [0, 0, -1.5],
    slices: 64,
    rows: 64,
    columns: 64,
    pixelSpacing: 0.8,
    patientName: 'Phantom^Rod',
    hu: rod,
  });
  axialMarkers = writeVolumePhantom({ dir: join(room.work, 'axial-markers'), ...AXIAL, patientName: 'Phantom^Axial', hu: cornerRods });
  // Sagittal slices: columns run posterior, rows run down; slices step from the patient's left to the right.
  sagittalMarkers = writeVolumePhantom({
    dir: join(room.work, 'sagittal-markers'),
    rowDirection: [0, 1, 0],
    columnDirection: [0, 0, -1],
    origin: [31, -32, 0],
    sliceStep: [-2, 0, 0],
    slices: 32,
    rows: 96,
    columns: 64,
    pixelSpacing: 1,
    patientName: 'Phantom^Sagittal',
    hu: cornerRods,
  });
  // A CT gantry tilted by atan(0.5 / 2) ≈ 14°: each slice's position moves 0.5 mm posterior. In it, a rod straight
  // down the patient (along z) in the central sagittal plane: each slice has it 0.5 mm further forward in its pixels.
  tiltedStudy = writeVolumePhantom({
    dir: join(room.work, 'tilted'),
    ...AXIAL,
    sliceStep: [0, 0.5, -2],
    patientName: 'Phantom^Tilted',
    hu: (p) => (Math.abs(p[0] - CENTRE[0]) <= 1.5 && Math.abs(p[1] + 2) <= 1.5 && p[2] <= -20 && p[2] >= -74 ? 2000 : water(p)),
  });
  // A CT of 12 slices with the 6th removed: a gap the volume would stretch over.
  const gapped = join(room.work, 'gapped');
  mkdirSync(gapped);
  const gappedSeries = generateCtSeries({ dir: gapped, count: 12, rows: 32, cols: 32, patientName: 'Phantom^Gap' });
  rmSync(gappedSeries.files[5]!.path);
  gappedStudyUid = gappedSeries.studyUid;
  const large = join(room.work, 'large');
  mkdirSync(large);
  largeStudyUid = generateCtSeries({ dir: large, count: 100, patientName: 'Phantom^Large' }).studyUid;
  for (const study of [sphereStudy, progressiveStudy, rodStudy, axialMarkers, sagittalMarkers, tiltedStudy]) await room.send(study.dir);
  await room.send(gapped);
  await room.send(large);
});
afterAll(() => room?.close());

const cell = (page: Page) => viewportPane(page, 0);
type PlaneName = 'axial' | 'sagittal' | 'coronal';
const plane = (page: Page, name: PlaneName): Locator => cell(page).locator(`.mpr-plane-${name}`);
/** Grey level half-way between water (76) and 2000 HU (255) in the bone window (key 8: W 1500 L 300). */
const HALF_BRIGHT = 165;

/** Opens a study from the worklist and switches its first viewport to MPR. */
async function openInMpr(page: Page, studyUid: string, { waitLoaded = true } = {}): Promise<void> {
  await openStudyAs(page, studyUid, 'Shift+M');
  if (!waitLoaded) return;
  await expect.poll(() => cell(page).getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
  await expect.poll(() => plane(page, 'axial').locator('.mpr-loading').count(), { timeout: 20_000 }).toBe(0);
  await expect.poll(() => plane(page, 'axial').locator('.marker-top').count()).toBe(1);
}

async function markersOf(page: Page, name: PlaneName) {
  const text = (edge: string) => plane(page, name).locator(`.marker-${edge}`).innerText();
  return { top: await text('top'), bottom: await text('bottom'), left: await text('left'), right: await text('right') };
}

/** The edges (by their orientation letters) a plane's one bright blob is nearest to, horizontally then vertically. */
async function blobEdges(page: Page, name: PlaneName): Promise<string[]> {
  const blobs = await brightBlobs(plane(page, name), HALF_BRIGHT);
  if (blobs.length !== 1) return [`${blobs.length} blobs`];
  const box = (await plane(page, name).boundingBox())!;
  const shown = await markersOf(page, name);
  const blob = blobs[0]!;
  return [blob.x < box.x + box.width / 2 ? shown.left : shown.right, blob.y < box.y + box.height / 2 ? shown.top : shown.bottom];
}

/** "L 12.0 mm" → +12 along x; "A 10.0 mm" → −10 along y; "F 46.0 mm" → −46 along z (LPS). */
async function planePosition(page: Page, name: PlaneName): Promise<number> {
  const [letter, value] = (await plane(page, name).locator('.mpr-plane-position').innerText()).split(' ');
  return (['R', 'A', 'F'].includes(letter!) ? -1 : 1) * Number(value);
}

const STANDARD_MARKERS = {
  axial: { top: 'A', bottom: 'P', left: 'R', right: 'L' },
  sagittal: { top: 'H', bottom: 'F', left: 'A', right: 'P' },
  coronal: { top: 'H', bottom: 'F', left: 'R', right: 'L' },
};

describe('MPR', () => {
  for (const [name, study] of [
    ['an axial', () => axialMarkers],
    ['a sagittal-acquired', () => sagittalMarkers],
  ] as const) {
    it(`shows ${name} series as axial, sagittal and coronal planes, with markers and anatomy where they belong`, async () => {
      const { page } = room;
      await openInMpr(page, study().studyUid);
      for (const p of ['axial', 'sagittal', 'coronal'] as const) expect(await markersOf(page, p), p).toEqual(STANDARD_MARKERS[p]);
      await page.keyboard.press('8');
      // Each thin rod shows in one plane, at the corner its markers name.
      await expect.poll(() => blobEdges(page, 'axial')).toEqual(['L', 'A']);
      expect(await blobEdges(page, 'sagittal')).toEqual(['A', 'H']);
      expect(await blobEdges(page, 'coronal')).toEqual(['L', 'H']);
    });
  }

  it('shows a sphere where it is in the patient, in all three planes', async () => {
    const { page } = room;
    await openInMpr(page, sphereStudy.studyUid);
    await page.keyboard.press('8');
    // The axial plane through the sphere's centre shows it left and anterior; the central sagittal and coronal planes miss it.
    await expect.poll(() => blobEdges(page, 'axial')).toEqual(['L', 'A']);
    expect(Math.abs((await planePosition(page, 'axial')) - SPHERE.centre[2])).toBeLessThanOrEqual(1);
    expect(await brightBlobs(plane(page, 'sagittal'), HALF_BRIGHT)).toHaveLength(0);
    expect(await brightBlobs(plane(page, 'coronal'), HALF_BRIGHT)).toHaveLength(0);
    // Shift+click on the sphere moves the crosshairs there: the other planes pass through its centre.
    const [sphere] = await brightBlobs(plane(page, 'axial'), HALF_BRIGHT);
    await page.keyboard.down('Shift');
    await page.mouse.click(sphere!.x, sphere!.y);
    await page.keyboard.up('Shift');
    await expect.poll(() => planePosition(page, 'sagittal')).toBeCloseTo(SPHERE.centre[0], 0);
    expect(Math.abs((await planePosition(page, 'coronal')) - SPHERE.centre[1])).toBeLessThanOrEqual(0.6);
    for (const name of ['sagittal', 'coronal'] as const) {
      await expect.poll(() => brightBlobs(plane(page, name), HALF_BRIGHT).then((b) => b.length), { message: name }).toBe(1);
      const [blob] = await brightBlobs(plane(page, name), HALF_BRIGHT);
      const centre = (await crosshairCentre(plane(page, name)))!;
      // Drawn at the crosshairs' centre: the point where the planes through the sphere's centre meet.
      expect(Math.hypot(blob!.x - centre.x, blob!.y - centre.y), name).toBeLessThan(3);
    }
    expect(await blobEdges(page, 'sagittal')).toEqual(['A', 'H']);
    expect((await blobEdges(page, 'coronal'))[0]).toBe('L');
  });

  it('shows with a slab MIP a bead that the single plane misses', async () => {
    const { page } = room;
    await openInMpr(page, sphereStudy.studyUid);
    await page.keyboard.press('8');
    const blobs = () => brightBlobs(plane(page, 'axial'), HALF_BRIGHT).then((b) => b.length);
    await expect.poll(blobs).toBe(1);
    // MIP over 5 mm around the plane reaches the bead 2 mm above it.
    await page.keyboard.press('Shift+X');
    await expect.poll(() => plane(page, 'axial').locator('.mpr-slab').innerText()).toBe('MIP 5 mm');
    await expect.poll(blobs).toBe(2);
    const [, bead] = await brightBlobs(plane(page, 'axial'), HALF_BRIGHT);
    const box = (await plane(page, 'axial').boundingBox())!;
    expect([bead!.x < box.x + box.width / 2, bead!.y > box.y + box.height / 2]).toEqual([true, true]);
    // Thinner again (2 mm, then the single plane): the bead is gone.
    await page.keyboard.press(',');
    await expect.poll(() => plane(page, 'axial').locator('.mpr-slab').innerText()).toBe('MIP 2 mm');
    await page.keyboard.press(',');
    await expect.poll(() => plane(page, 'axial').locator('.mpr-slab').count()).toBe(0);
    await expect.poll(blobs).toBe(1);
  });

  it('measures a 60 mm rod as 60 ± 1 mm in the sagittal plane', async () => {
    const { page } = room;
    await openInMpr(page, rodStudy.studyUid);
    await page.keyboard.press('8');
    // The rod runs 0.6 towards posterior (right) for 0.8 towards the feet (down): its ends along that direction.
    await expect.poll(() => brightBlobs(plane(page, 'sagittal'), HALF_BRIGHT).then((b) => b.length)).toBe(1);
    const [blob] = await brightBlobs(plane(page, 'sagittal'), HALF_BRIGHT, [0.6, 0.8]);
    await page.keyboard.press('d');
    await drag(page, blob!.ends![0], blob!.ends![1]);
    await expect.poll(() => measurementTextsIn(plane(page, 'sagittal'))).toHaveLength(1);
    const [text] = await measurementTextsIn(plane(page, 'sagittal'));
    expect(text).toMatch(/^\d+(\.\d+)? mm$/);
    expect(Math.abs(Number.parseFloat(text!) - ROD.length)).toBeLessThanOrEqual(1);
    await page.keyboard.press('w');
  });

  it('paints the first view before the volume has arrived, then fills it in', async () => {
    const { page } = room;
    // 100 ms per request, as over a slow link: the volume takes a while to arrive.
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 100, downloadThroughput: -1, uploadThroughput: -1 });
    try {
      await openInMpr(page, progressiveStudy.studyUid);
    } finally {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    }
    const marks = await page.evaluate(() =>
      ['viewbox:mpr-first-view', 'viewbox:mpr-volume-loaded'].map((name) => {
        const entry = performance.getEntriesByName(name).at(-1) as { startTime: number; detail?: unknown } | undefined;
        return { time: entry?.startTime ?? NaN, detail: entry?.detail as { loaded?: number; volumeId?: string } | undefined };
      }),
    );
    const [firstView, loaded] = marks;
    expect(firstView!.detail?.volumeId).toContain(progressiveStudy.seriesUid);
    expect(loaded!.detail?.volumeId).toContain(progressiveStudy.seriesUid);
    console.log(`first MPR view with ${Math.round(firstView!.detail!.loaded! * 100)}% of the slices loaded, ${Math.round(loaded!.time - firstView!.time)} ms before the last`);
    expect(firstView!.detail!.loaded!).toBeLessThan(1);
    expect(firstView!.time).toBeLessThan(loaded!.time);
  });

  it('corrects a gantry-tilted series: a rod straight down the patient stands straight in the sagittal plane', async () => {
    const { page } = room;
    await openInMpr(page, tiltedStudy.studyUid);
    expect(await cell(page).locator('.mpr-correction').innerText()).toBe('gantry tilt 14° corrected');
    await page.keyboard.press('8');
    await expect.poll(() => brightBlobs(plane(page, 'sagittal'), HALF_BRIGHT).then((b) => b.length)).toBe(1);
    const [rod] = await brightBlobs(plane(page, 'sagittal'), HALF_BRIGHT);
    // 54 mm tall, 3 mm wide: sheared by 14° it would lean 13.5 mm over its height.
    expect(rod!.height / rod!.width).toBeGreaterThan(10);
  });

  it('refuses a series that is not one volume, with the reason, and goes back to the stack', async () => {
    const { page } = room;
    await openInMpr(page, gappedStudyUid, { waitLoaded: false });
    await expect.poll(() => cell(page).getAttribute('data-state')).toBe('refused');
    expect(await cell(page).locator('.mpr-reason').innerText()).toMatch(/^Slices are missing between image \d+ and image \d+/);
    await cell(page).getByRole('button', { name: 'Back to the stack view' }).click();
    await expect.poll(() => cell(page).locator('.overlay-image').innerText()).toMatch(/^Im \d+\/11$/);
  });

  it('offers what fits instead of loading a series over the memory budget', async () => {
    const { page } = room;
    // A machine with 256 MB (the least navigator.deviceMemory reports): 100 CT slices of 512×512 do not fit.
    await page.context().addInitScript(() => Object.defineProperty((globalThis as unknown as { Navigator: { prototype: object } }).Navigator.prototype, 'deviceMemory', { get: () => 0.25 }));
    await page.goto(`${room.node.url}view/${largeStudyUid}`);
    await cell(page).locator('canvas').first().waitFor();
    await cell(page).click();
    await page.keyboard.press('Shift+M');
    await expect.poll(() => cell(page).getAttribute('data-state')).toBe('over-budget');
    expect(await cell(page).locator('.mpr-reason').innerText()).toMatch(/^The series needs about \d+ MB as a volume \(512×512×100: 100 MB of voxels and \d+ MB of texture\); this computer allows 128 MB for one\.$/);
    expect(await cell(page).locator('[data-offer]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-offer')))).toEqual(['decimate', 'slab', 'stack']);
    await cell(page).locator('[data-offer="decimate"]').click();
    await expect.poll(() => cell(page).getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    expect(await cell(page).getAttribute('data-variant')).toBe('decimate');
    await expect.poll(() => markersOf(page, 'axial')).toEqual(STANDARD_MARKERS.axial);
  });
});
