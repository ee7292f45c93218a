/**
 * The overlays of a stack viewport do not collide: the scrollbar thumb never
 * covers corner text, the scale bar and the corner texts sit beside the image
 * when the pane leaves room, and the text grows with the display (read at
 * 1920×1080 and 2560×1440). Boxes are the elements' boxes on the page; the
 * image's is read from the canvas pixels.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../fixtures/ct-series.js';
import { viewportPane } from './harness/canvas.js';
import { drawnExtent, intersects, type Box } from './harness/image-extent.js';
import { openReadingRoom, type ReadingRoom } from './harness/reading-room.js';

const IMAGES = 40;
let room: ReadingRoom;

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 1920, height: 1080 } });
  const dir = join(room.work, 'ct');
  mkdirSync(dir);
  const overrides = [
    { tag: 0x00081030, vr: 'LO', value: 'CT Chest Abdomen Pelvis with contrast' },
    { tag: 0x0008103e, vr: 'LO', value: 'Axial 1.25 mm soft tissue portal venous' },
  ];
  const series = generateCtSeries({ dir, count: IMAGES, rows: 256, cols: 256, patientName: 'Phantom^Overlay^Longname', overrides });
  await room.send(dir);
  await room.page.goto(`${room.node.url}view/${series.studyUid}`);
  await viewportPane(room.page, 0).locator('.overlay-image').waitFor({ timeout: 15_000 });
  await viewportPane(room.page, 0).click();
  // One viewport on the whole grid: wider than tall, so the room is beside the image.
  await room.page.keyboard.press('l');
  await room.page.getByRole('button', { name: '1×1', exact: true }).click();
  await viewportPane(room.page, 1).waitFor({ state: 'detached' });
  await viewportPane(room.page, 0).click();
});
afterAll(() => room?.close());

const pane = () => viewportPane(room.page, 0);
const boxOf = async (selector: string): Promise<Box> => {
  const b = (await pane().locator(selector).first().boundingBox())!;
  return { left: b.x, top: b.y, right: b.x + b.width, bottom: b.y + b.height };
};
const CORNERS = ['.corner.top-left', '.corner.top-right', '.corner.bottom-left', '.corner.bottom-right'];
const shown = () => pane().locator('.overlay-image').innerText();

describe('overlays that do not collide', () => {
  it('keeps the scrollbar thumb off the corner texts, at the first and the last image', async () => {
    const { page } = room;
    for (const [key, image] of [
      ['Home', 1],
      ['End', IMAGES],
    ] as const) {
      await page.keyboard.press(key);
      await expect.poll(shown).toBe(`Im ${image}/${IMAGES}`);
      const thumb = await boxOf('.stack-scrollbar-thumb');
      for (const corner of CORNERS) expect(intersects(await boxOf(corner), thumb), `${corner} at image ${image}`).toBe(false);
    }
  });

  it('puts the scale bar and the corner texts beside the image when the pane leaves room', async () => {
    const { page } = room;
    // Lung window: air is grey, so the whole image shows against the black around it.
    await page.keyboard.press('4');
    await expect.poll(() => pane().locator('.overlay-window').innerText()).toBe('W 1500 L -600');
    const { image } = await drawnExtent(pane());
    if (process.env.I16C_SHOTS) await page.screenshot({ path: `${process.env.I16C_SHOTS}/overlay-1920.png` });
    expect(image).toBeDefined();
    expect(intersects(await boxOf('.scale-bar'), image!), 'scale bar').toBe(false);
    for (const corner of CORNERS) expect(intersects(await boxOf(corner), image!), corner).toBe(false);
  });

  it('sizes the text by the display: larger at 2560×1440 than at 1920×1080', async () => {
    const { page } = room;
    const fontSize = () => pane().locator('.corner.top-left').evaluate((el) => Number.parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(el).fontSize));
    const small = await fontSize();
    expect(small).toBeGreaterThanOrEqual(12);
    await page.setViewportSize({ width: 2560, height: 1440 });
    await expect.poll(fontSize).toBeGreaterThanOrEqual(small * 1.2);
    // Nothing collides at this size either.
    const thumb = await boxOf('.stack-scrollbar-thumb');
    for (const corner of CORNERS) expect(intersects(await boxOf(corner), thumb), corner).toBe(false);
    await expect.poll(async () => intersects(await boxOf('.scale-bar'), (await drawnExtent(pane())).image!), { timeout: 5_000 }).toBe(false);
    if (process.env.I16C_SHOTS) await page.screenshot({ path: `${process.env.I16C_SHOTS}/overlay-2560.png` });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await expect.poll(fontSize).toBe(small);
    expect(room.problems).toEqual([]);
  });
});
