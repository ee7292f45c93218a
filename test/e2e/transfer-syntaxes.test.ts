/**
 * Real files of the pydicom corpus in several transfer syntaxes and
 * photometric interpretations, sent by storescu and shown in the viewer: the
 * frames come as stored and are decoded in the browser's web workers (the
 * WASM codecs, under the page's Content-Security-Policy).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pydicomTestFiles } from '../helpers/pydicom-corpus.js';
import { storescu } from '../helpers/peers/storescu.js';
import { viewportPane, type CanvasLike } from './harness/canvas.js';
import { openReadingRoom, openStudy, type ReadingRoom } from './harness/reading-room.js';

/** File, its transfer syntax and photometric interpretation, the storescu option that proposes that syntax, and how many images its study shows. */
const FILES = [
  { file: 'CT_small.dcm', syntax: 'Explicit VR Little Endian, MONOCHROME2', propose: '-xe', studyUid: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322', images: 1 },
  { file: 'MR_small_jpeg_ls_lossless.dcm', syntax: 'JPEG-LS lossless, MONOCHROME2', propose: '-xt', studyUid: '1.3.6.1.4.1.5962.1.2.4.20040826185059.5457', images: 1 },
  { file: 'JPEG-lossy.dcm', syntax: 'JPEG extended (12-bit), MONOCHROME2', propose: '-xx', studyUid: '1.3.6.1.4.1.5962.1.2.8.20040826185059.5457', images: 1 },
  { file: '693_J2KI.dcm', syntax: 'JPEG 2000, MONOCHROME2', propose: '-xw', studyUid: '1.2.276.0.7230010.3.1.2.296485376.1.1521713414.1800996', images: 1 },
  // Two series of one study: JPEG baseline YBR_FULL, and RLE RGB with two frames (sent below).
  { file: 'SC_rgb_jpeg_dcmtk.dcm', syntax: 'JPEG baseline, YBR_FULL + RLE, RGB, 2 frames', propose: '-xy', studyUid: '1.2.826.0.1.3680043.8.498.12406831542731051035295345080039845114', images: 3 },
];
const EXTRA = { file: 'SC_rgb_rle_2frame.dcm', propose: '-xr' };

let room: ReadingRoom;

beforeAll(async () => {
  room = await openReadingRoom();
  // Each file with its own syntax proposed, so the node stores it as it is (storescu does not convert).
  for (const { file, propose } of [...FILES, EXTRA]) {
    const sent = await storescu({ port: room.node.dicomPort, calledAet: room.node.aet, files: [join(pydicomTestFiles, file)], extraArgs: [propose] });
    expect(sent.stored, sent.log).toHaveLength(1);
  }
});
afterAll(() => room?.close());

/** Distinct grey levels on a viewport's canvas: an image, not a blank or uniform area. */
function distinctLevels(page: Page, index: number): Promise<number> {
  return viewportPane(page, index)
    .locator('canvas')
    .first()
    .evaluate((canvas: CanvasLike) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const levels = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 7) levels.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return levels.size;
    });
}

describe('transfer syntaxes', () => {
  for (const { file, syntax, studyUid, images } of FILES) {
    it(`shows ${file} (${syntax})`, async () => {
      const { page } = room;
      await openStudy(page, studyUid);
      const viewports = page.locator('.viewport');
      await expect.poll(() => viewports.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      let shown = 0;
      for (let i = 0; i < (await viewports.count()); i++) {
        await expect.poll(() => viewportPane(page, i).locator('.overlay-image').count(), { timeout: 15_000 }).toBe(1);
        await expect.poll(() => distinctLevels(page, i), { timeout: 15_000 }).toBeGreaterThan(20);
        expect(await viewportPane(page, i).locator('.viewport-error').count()).toBe(0);
        shown += Number(/Im \d+\/(\d+)/.exec(await viewportPane(page, i).locator('.overlay-image').innerText())![1]);
      }
      expect(shown).toBe(images);
      expect(room.problems).toEqual([]);
    });
  }
});
