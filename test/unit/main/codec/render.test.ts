import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decode as decodeJpeg } from 'jpeg-js';
import { afterEach, describe, expect, it } from 'vitest';
import { pixelInfoOf } from '../../../../main/codec/pixel-info.js';
import { renderFrame } from '../../../../main/codec/render.js';
import { fittedSize, MAX_RENDERED_SIDE, MAX_UPSCALE } from '../../../../main/codec/resize.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';
import { corpus, dcmtk, decodeAll, difference } from './codec-helpers.js';
import { readPng, readPnm } from './image-readers.js';

const dirs = tempDirsPerTest('viewbox-render-', afterEach);

/** dcm2pnm's 8-bit rendering of a file with the given VOI options. */
async function dcm2pnm(file: string, options: string[]) {
  const out = join(await dirs.dataDir(), 'out.pnm');
  await dcmtk('dcm2pnm', [...options, '+op', file, out]);
  return readPnm(out);
}

describe('the test PNG reader', () => {
  it('reads libpng output (dcm2pnm +on) as dcm2pnm +op writes the same image', async () => {
    const dir = await dirs.dataDir();
    await dcmtk('dcm2pnm', ['+Ww', '600', '1200', '+on', '-il', corpus('MR_small.dcm'), join(dir, 'mr.png')]);
    const png = readPng(await readFile(join(dir, 'mr.png')));
    const pnm = await dcm2pnm(corpus('MR_small.dcm'), ['+Ww', '600', '1200']);
    expect(png).toEqual(pnm);
  });
});

describe('grayscale', () => {
  it('applies the requested window to a known pixel (PS3.3 C.11.2.1.2) and matches dcm2pnm', async () => {
    const { frames, instance } = await decodeAll(corpus('MR_small.dcm'));
    const png = readPng(await renderFrame(frames[0]!, instance.json, { format: 'png', window: { center: 600, width: 1200 } }));
    expect([png.width, png.height, png.channels]).toEqual([64, 64, 1]);
    // First stored value of MR_small is 905 (no rescale): ((905 - 599.5) / 1199 + 0.5) * 255 = 192.47.
    expect(new DataView(frames[0]!.pixels.buffer, frames[0]!.pixels.byteOffset).getInt16(0, true)).toBe(905);
    expect(png.pixels[0]).toBe(192);
    const reference = await dcm2pnm(corpus('MR_small.dcm'), ['+Ww', '600', '1200']);
    expect(difference(png.pixels, reference.pixels).max).toBeLessThanOrEqual(1);
  });

  it('uses the dataset window (first of several), Rescale Slope/Intercept, else min/max, like dcm2pnm', async () => {
    const mr = await decodeAll(corpus('MR_small.dcm'));
    const datasetWindow = readPng(await renderFrame(mr.frames[0]!, mr.instance.json, { format: 'png' }));
    expect(difference(datasetWindow.pixels, (await dcm2pnm(corpus('MR_small.dcm'), ['+Wi', '1'])).pixels).max).toBeLessThanOrEqual(1);

    const { frames, instance } = await decodeAll(corpus('CT_small.dcm'));
    expect(instance.json['00281052']?.Value).toEqual([-1024]);
    const soft = { ...instance.json, '00281050': { vr: 'DS', Value: [40, 500] }, '00281051': { vr: 'DS', Value: [400, 2000] } };
    const softTissue = readPng(await renderFrame(frames[0]!, soft, { format: 'png' }));
    expect(difference(softTissue.pixels, (await dcm2pnm(corpus('CT_small.dcm'), ['+Ww', '40', '400'])).pixels).max).toBeLessThanOrEqual(1);
    const minMax = readPng(await renderFrame(frames[0]!, instance.json, { format: 'png' }));
    expect(difference(minMax.pixels, (await dcm2pnm(corpus('CT_small.dcm'), ['+Wm'])).pixels).max).toBeLessThanOrEqual(1);
    expect(Math.min(...minMax.pixels)).toBe(0);
    expect(Math.max(...minMax.pixels)).toBe(255);
  });

  it('inverts MONOCHROME1', async () => {
    const { frames, instance } = await decodeAll(corpus('MR_small.dcm'));
    const frame = frames[0]!;
    const mono1 = { ...frame, info: { ...frame.info, photometricInterpretation: 'MONOCHROME1' } };
    const window = { center: 600, width: 1200 };
    const a = readPng(await renderFrame(frame, instance.json, { format: 'png', window }));
    const b = readPng(await renderFrame(mono1, instance.json, { format: 'png', window }));
    expect(Array.from(b.pixels)).toEqual(Array.from(a.pixels, (v) => 255 - v));
  });

  it('shows a 1-bit segmentation as black and white', async () => {
    const { frames, instance } = await decodeAll(corpus('liver_1frame.dcm'));
    const png = readPng(await renderFrame(frames[0]!, instance.json, { format: 'png' }));
    expect(new Set(png.pixels)).toEqual(new Set([0, 255]));
  });
});

describe('colour', () => {
  it('passes RGB through and converts YBR_FULL (from native YBR_FULL_422) like dcm2pnm', async () => {
    const rgb = await decodeAll(corpus('SC_rgb_rle.dcm'));
    const png = readPng(await renderFrame(rgb.frames[0]!, rgb.instance.json, { format: 'png' }));
    expect([png.width, png.height, png.channels]).toEqual([100, 100, 3]);
    expect(Buffer.from(png.pixels).equals(rgb.pixels)).toBe(true);

    const ybr = await decodeAll(corpus('SC_ybr_full_422_uncompressed.dcm'));
    expect(ybr.frames[0]!.info.photometricInterpretation).toBe('YBR_FULL');
    const rendered = readPng(await renderFrame(ybr.frames[0]!, ybr.instance.json, { format: 'png' }));
    const reference = await dcm2pnm(corpus('SC_ybr_full_422_uncompressed.dcm'), []);
    expect(reference.channels).toBe(3);
    expect(difference(rendered.pixels, reference.pixels).max).toBeLessThanOrEqual(2);
  });

  it('looks up PALETTE COLOR in inline LUTs', async () => {
    const words = (values: number[]) => Buffer.from(Uint16Array.from(values).buffer).toString('base64');
    const json = {
      '00281101': { vr: 'US', Value: [4, 10, 16] },
      '00281102': { vr: 'US', Value: [4, 10, 16] },
      '00281103': { vr: 'US', Value: [4, 10, 16] },
      '00281201': { vr: 'OW', InlineBinary: words([0x0000, 0xff00, 0x0000, 0x8000]) },
      '00281202': { vr: 'OW', InlineBinary: words([0x0000, 0x0000, 0xff00, 0x8000]) },
      '00281203': { vr: 'OW', InlineBinary: words([0xff00, 0x0000, 0x0000, 0x8000]) },
      '00280002': { vr: 'US', Value: [1] },
      '00280004': { vr: 'CS', Value: ['PALETTE COLOR'] },
      '00280010': { vr: 'US', Value: [1] },
      '00280011': { vr: 'US', Value: [4] },
      '00280100': { vr: 'US', Value: [8] },
    };
    const decoded = { pixels: Uint8Array.of(10, 11, 12, 99), info: pixelInfoOf(json) };
    const png = readPng(await renderFrame(decoded, json, { format: 'png' }));
    expect(Array.from(png.pixels)).toEqual([0, 0, 255, 255, 0, 0, 0, 255, 0, 128, 128, 128]);
  });
});

describe('viewport and formats', () => {
  it('shrinks by area averaging, keeping the aspect ratio', async () => {
    const { frames, instance } = await decodeAll(corpus('MR_small.dcm'));
    const window = { center: 600, width: 1200 };
    const full = readPng(await renderFrame(frames[0]!, instance.json, { format: 'png', window }));
    const small = readPng(await renderFrame(frames[0]!, instance.json, { format: 'png', window, viewport: { width: 32, height: 16 } }));
    expect([small.width, small.height]).toEqual([16, 16]);
    let sum = 0;
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) sum += full.pixels[y * 64 + x]!;
    expect(Math.abs(small.pixels[0]! - sum / 16)).toBeLessThanOrEqual(1);
    const big = readPng(await renderFrame(frames[0]!, instance.json, { format: 'png', window, viewport: { width: 128, height: 200 } }));
    expect([big.width, big.height]).toEqual([128, 128]);
    expect(big.pixels[0]).toBe(full.pixels[0]);
  });

  it('writes a JPEG that decodes to the same image within JPEG error', async () => {
    const { frames, instance } = await decodeAll(corpus('MR_small.dcm'));
    const window = { center: 600, width: 1200 };
    const png = readPng(await renderFrame(frames[0]!, instance.json, { format: 'png', window }));
    const jpeg = await renderFrame(frames[0]!, instance.json, { format: 'jpeg', window, quality: 95 });
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    const decoded = decodeJpeg(jpeg, { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([64, 64]);
    const grey = decoded.data.filter((_, i) => i % 4 === 0);
    expect(difference(grey, png.pixels).mean).toBeLessThan(2);
  });

  it('refuses a window width below 1 and an empty viewport', async () => {
    const { frames, instance } = await decodeAll(corpus('MR_small.dcm'));
    await expect(renderFrame(frames[0]!, instance.json, { format: 'png', window: { center: 0, width: 0 } })).rejects.toThrow('window width must be at least 1 (got 0)');
    await expect(renderFrame(frames[0]!, instance.json, { format: 'png', viewport: { width: 0, height: 10 } })).rejects.toThrow('viewport must be at least 1x1');
  });

  it('bounds the output: at most 4× the source and 4096 pixels a side, whatever the viewport', async () => {
    const { frames, instance } = await decodeAll(corpus('MR_small.dcm'));
    const huge = readPng(await renderFrame(frames[0]!, instance.json, { format: 'png', viewport: { width: 12000, height: 12000 } }));
    expect([huge.width, huge.height]).toEqual([64 * MAX_UPSCALE, 64 * MAX_UPSCALE]);
    expect(fittedSize({ width: 64, height: 64 }, { width: 12000, height: 12000 })).toEqual({ width: 256, height: 256 });
    expect(fittedSize({ width: 512, height: 512 }, { width: 1e9, height: 1e9 })).toEqual({ width: 2048, height: 2048 });
    expect(fittedSize({ width: 3000, height: 1500 }, { width: 8000, height: 8000 })).toEqual({ width: MAX_RENDERED_SIDE, height: 2048 });
    // Without a viewport a frame renders at its own size, unless it is larger than the bound.
    expect(fittedSize({ width: 512, height: 400 })).toEqual({ width: 512, height: 400 });
    expect(fittedSize({ width: 10000, height: 5000 })).toEqual({ width: MAX_RENDERED_SIDE, height: 2048 });
    // Shrinking is never limited.
    expect(fittedSize({ width: 512, height: 512 }, { width: 1, height: 1 })).toEqual({ width: 1, height: 1 });
  });
});
