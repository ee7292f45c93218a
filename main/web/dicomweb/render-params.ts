/**
 * Query parameters of rendered and thumbnail resources (PS3.18 8.3.5.1.3):
 * `window=center,width[,function]`, `viewport=vw,vh` and `quality`. Only the
 * linear VOI function and whole-image viewports are supported; anything
 * else is a 400 that says so (never silently ignored).
 */
import type { RenderOptions } from '../../codec/render.js';
import { DicomWebError } from './dicomweb-error.js';

export type RenderParams = Pick<RenderOptions, 'window' | 'viewport' | 'quality'>;

export function renderParams(search: URLSearchParams): RenderParams {
  const params: RenderParams = {};
  const window = search.get('window');
  if (window !== null) {
    const [center, width, fn, ...extra] = window.split(',');
    const c = Number(center);
    const w = Number(width);
    if (center === undefined || width === undefined || center.trim() === '' || !Number.isFinite(c) || !Number.isFinite(w) || w <= 0 || extra.length > 0) {
      throw new DicomWebError(400, `window="${window}": expected center,width[,function] with a width above 0`);
    }
    if (fn !== undefined && fn.trim().toLowerCase() !== 'linear') {
      throw new DicomWebError(400, `window function "${fn}" is not supported; use linear (the default)`);
    }
    params.window = { center: c, width: w };
  }
  const viewport = search.get('viewport');
  if (viewport !== null) {
    const values = viewport.split(',');
    if (values.length === 6) throw new DicomWebError(400, `viewport="${viewport}": source regions (sx,sy,sw,sh) are not supported; give vw,vh`);
    const [vw, vh] = values.map((v) => (/^\s*\d+\s*$/.test(v) ? Number(v) : NaN));
    if (values.length !== 2 || !(vw! >= 1) || !(vh! >= 1)) throw new DicomWebError(400, `viewport="${viewport}": expected vw,vh, two whole numbers of pixels of at least 1`);
    params.viewport = { width: vw!, height: vh! };
  }
  const quality = search.get('quality');
  if (quality !== null) {
    const q = /^\d+$/.test(quality) ? Number(quality) : NaN;
    if (!(q >= 1 && q <= 100)) throw new DicomWebError(400, `quality="${quality}": expected a whole number from 1 to 100`);
    params.quality = q;
  }
  return params;
}
