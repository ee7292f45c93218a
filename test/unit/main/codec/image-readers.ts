/**
 * Just enough PNG and PNM reading to check rendered images: PNG per the
 * spec (chunk CRCs, all five row filters, 8-bit grey or RGB), binary PGM/PPM
 * as dcm2pnm writes them.
 */
import { readFile } from 'node:fs/promises';
import { crc32, inflateSync } from 'node:zlib';

export interface Raster {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
}

export function readPng(png: Uint8Array): Raster {
  const bytes = Buffer.from(png);
  if (!bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('no PNG signature');
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (;;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== bytes.readUInt32BE(at + 8 + length)) throw new Error(`bad CRC in ${type}`);
    at += 12 + length;
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit, non-interlaced PNG');
      channels = { 0: 1, 2: 3, 6: 4 }[data[9]!] ?? 0;
      if (channels === 0) throw new Error(`colour type ${data[9]} not supported`);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      if (predictor === undefined) throw new Error(`filter ${filter}`);
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Binary PGM (P5) or PPM (P6), maxval 255. */
export async function readPnm(path: string): Promise<Raster> {
  const bytes = await readFile(path);
  const fields: string[] = [];
  let at = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(bytes[at]!))) at++;
    if (bytes[at] === 0x23) {
      while (bytes[at] !== 0x0a) at++;
      continue;
    }
    const start = at;
    while (!/\s/.test(String.fromCharCode(bytes[at]!))) at++;
    fields.push(bytes.toString('latin1', start, at));
  }
  const [magic, width, height, max] = fields as [string, string, string, string];
  if ((magic !== 'P5' && magic !== 'P6') || max !== '255') throw new Error(`${path}: ${magic} maxval ${max} not supported`);
  const channels = magic === 'P5' ? 1 : 3;
  const size = Number(width) * Number(height) * channels;
  return { width: Number(width), height: Number(height), channels, pixels: new Uint8Array(bytes.subarray(at + 1, at + 1 + size)) };
}
