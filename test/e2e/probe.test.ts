/**
 * The probe tool, as a reader uses it: click a pixel, read its value. On a
 * generated CT (1 mm pixels, slices 2 mm apart, a 1500 HU marker burnt at a
 * known column and row of one slice) the probe shows the HU with its unit,
 * the point's position in the patient (mm, by patient direction) and its
 * pixel index (column, row, image), in the stack and in an MPR plane; on a
 * rescaled non-CT image it shows the modality value and the stored value.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { burnMarkers } from './fixtures/markers.js';
import { brightSpotsIn, viewportPane } from './harness/canvas.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

const SIZE = 64;
/** The marker: column 40, row 20 of the second image (z −2 mm). Pixel (0,0) is at x −32, y −32. */
const MARKER = { x: 40, y: 20 };
const MARKER_HU = 1500;
/** Its place in the patient (LPS): x −32 + 40 = 8 (left), y −32 + 20 = −12 (anterior), z −2 (feet). */
const MARKER_POSITION = { L: 8, A: 12, F: 2 };

let room: ReadingRoom;
let ctStudy: string;
let rescaledStudy: string;

function writeStudy(dir: string, options: Partial<Parameters<typeof generateCtSeries>[0]>): string {
  mkdirSync(dir);
  const series = generateCtSeries({ dir, count: 5, rows: SIZE, cols: SIZE, pixelSpacing: 1, sliceThickness: 2, ...options });
  burnMarkers(series.files[1]!.path, SIZE, SIZE, [MARKER], MARKER_HU);
  return series.studyUid;
}

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 1200, height: 800 } });
  ctStudy = writeStudy(join(room.work, 'ct'), { patientName: 'Phantom^Probe' });
  // An MR-like image stored with slope 2 and intercept −1024: the marker's stored 2524 is 4024 in modality values.
  rescaledStudy = writeStudy(join(room.work, 'rescaled'), {
    patientName: 'Phantom^Rescaled',
    patientId: 'VBX-RESCALED',
    overrides: [
      { tag: 0x00080060, vr: 'CS', value: 'MR' },
      { tag: 0x00281053, vr: 'DS', value: '2' },
      { tag: 0x00281054, vr: 'LO', value: 'US' },
    ],
  });
  await room.send(join(room.work, 'ct'));
  await room.send(join(room.work, 'rescaled'));
});
afterAll(() => room?.close());

const numberIn = (text: string, unit: string) => Number(new RegExp(`(-?\\d+(?:\\.\\d+)?) ?${unit}`).exec(text)?.[1]);

/** "L 8.0 A 12.0 F 2.0 mm" → { L: 8, A: 12, F: 2 }. */
function positionOf(text: string): Record<string, number> {
  return Object.fromEntries([...text.matchAll(/([RLAPHF]) (-?\d+(?:\.\d+)?)/g)].map((m) => [m[1]!, Number(m[2])]));
}

async function openAtImage(page: Page, studyUid: string, image: number): Promise<void> {
  if (page.url().includes('/view/')) {
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => !url.pathname.startsWith('/view/'));
  }
  await openStudy(page, studyUid);
  const pane = viewportPane(page, 0);
  await pane.locator('.overlay-image').waitFor();
  // The click that makes the pane active must not place a probe: window/level on the left button, and
  // Cornerstone acts on a click only once no second click can make it a double click (400 ms).
  await page.keyboard.press('w');
  await pane.click();
  await page.waitForTimeout(500);
  for (let i = 1; i < image; i++) await page.keyboard.press('ArrowDown');
  await expect.poll(() => pane.locator('.overlay-image').innerText()).toBe(`Im ${image}/5`);
}

/** The lines of the probe's text box (one SVG text, a tspan per line) in `container`; [] until it is drawn. */
function probeLinesIn(container: Locator): Promise<string[]> {
  return container.locator('svg text').evaluateAll((texts) => {
    type Text = { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
    const boxes = texts.map((t) => Array.from((t as unknown as Text).querySelectorAll('tspan'), (span) => span.textContent ?? ''));
    return boxes.find((lines) => lines.some((line) => line.startsWith('Col '))) ?? boxes.find((lines) => lines.length > 0) ?? [];
  });
}

/** Clicks the one bright spot of `container` with the probe tool; returns the probe's text lines. */
async function probeMarker(page: Page, container: Locator): Promise<string[]> {
  await page.keyboard.press('8');
  await expect.poll(() => brightSpotsIn(container).then((s) => s.length)).toBe(1);
  const [spot] = await brightSpotsIn(container);
  await page.keyboard.press('x');
  await page.mouse.click(spot!.x, spot!.y);
  await expect.poll(() => probeLinesIn(container), { timeout: 10_000 }).not.toEqual([]);
  return probeLinesIn(container);
}

function expectMarkerReading(lines: string[]): void {
  const value = lines.find((l) => / HU\b/.test(l));
  expect(value, lines.join(' | ')).toBeDefined();
  expect(numberIn(value!, 'HU')).toBe(MARKER_HU);
  const position = lines.find((l) => l.endsWith(' mm'));
  expect(position, lines.join(' | ')).toBeDefined();
  const shown = positionOf(position!);
  expect(Object.keys(shown).sort()).toEqual(['A', 'F', 'L']);
  for (const [letter, mm] of Object.entries(MARKER_POSITION)) expect(Math.abs(shown[letter]! - mm), `${letter} in "${position}"`).toBeLessThanOrEqual(0.5);
  expect(lines, lines.join(' | ')).toContain(`Col ${MARKER.x} Row ${MARKER.y} Im 2`);
}

describe('probe', () => {
  it('shows the HU, the position in the patient and the pixel index of a CT pixel in the stack', async () => {
    const { page } = room;
    await openAtImage(page, ctStudy, 2);
    expectMarkerReading(await probeMarker(page, viewportPane(page, 0)));
  });

  it('shows the same in an MPR plane', async () => {
    const { page } = room;
    await openAtImage(page, ctStudy, 2);
    const pane = viewportPane(page, 0);
    await page.keyboard.press('Shift+M');
    await expect.poll(() => pane.getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    const axial = pane.locator('.mpr-plane-axial');
    await expect.poll(() => axial.locator('.mpr-loading').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => axial.locator('.mpr-plane-position').count()).toBe(1);
    // The axial plane opens at the middle slice (F 4.0): one step towards the head is the marker's slice, F 2.0.
    const position = () => axial.locator('.mpr-plane-position').innerText();
    await expect.poll(position).toBe('F 4.0 mm');
    await page.keyboard.press('ArrowUp');
    await expect.poll(position).not.toBe('F 4.0 mm');
    if ((await position()) !== 'F 2.0 mm') for (const key of ['ArrowDown', 'ArrowDown']) await page.keyboard.press(key);
    await expect.poll(() => axial.locator('.mpr-plane-position').innerText()).toBe('F 2.0 mm');
    expectMarkerReading(await probeMarker(page, axial));
  });

  it('shows the modality value and the stored value of a rescaled image that is not CT', async () => {
    const { page } = room;
    await openAtImage(page, rescaledStudy, 2);
    const pane = viewportPane(page, 0);
    await page.keyboard.press('x');
    const box = (await pane.locator('canvas').first().boundingBox())!;
    // The image fills the square canvas height: its pixel (40, 20) is there, in CSS pixels.
    const side = Math.min(box.width, box.height);
    const left = box.x + (box.width - side) / 2;
    const top = box.y + (box.height - side) / 2;
    await page.mouse.click(left + ((MARKER.x + 0.5) / SIZE) * side, top + ((MARKER.y + 0.5) / SIZE) * side);
    await expect.poll(() => probeLinesIn(pane), { timeout: 10_000 }).not.toEqual([]);
    const lines = await probeLinesIn(pane);
    expect(lines, lines.join(' | ')).toContain(`${2 * (MARKER_HU + 1024) - 1024} (stored ${MARKER_HU + 1024})`);
    expect(lines.some((l) => l.includes('HU')), lines.join(' | ')).toBe(false);
  });
});
