/**
 * The scale bar: the longest round length (1, 2 or 5 × 10ⁿ mm) that fits in
 * the room given, so the reader can judge size at a glance at any zoom.
 */
export interface ScaleBar {
  /** Length in mm the bar stands for. */
  mm: number;
  /** Its length on screen, in CSS pixels. */
  pixels: number;
  /** "5 cm", "20 mm", "0.5 mm". */
  label: string;
}

const STEPS = [5, 2, 1];

/** `mmPerPixel`: mm of the image per CSS pixel as drawn; undefined when there is nothing to draw. */
export function scaleBar(mmPerPixel: number, maxPixels: number, minPixels = 24): ScaleBar | undefined {
  if (!(mmPerPixel > 0) || !Number.isFinite(mmPerPixel) || maxPixels < minPixels) return undefined;
  const maxMm = maxPixels * mmPerPixel;
  let decade = 10 ** Math.floor(Math.log10(maxMm));
  for (let guard = 0; guard < 2; guard++, decade /= 10) {
    for (const step of STEPS) {
      const mm = step * decade;
      const pixels = mm / mmPerPixel;
      if (pixels <= maxPixels && pixels >= minPixels) return { mm, pixels, label: labelOf(mm) };
    }
  }
  return undefined;
}

function labelOf(mm: number): string {
  const rounded = (value: number) => String(Number(value.toPrecision(3)));
  return mm >= 10 && Number.isInteger(mm / 10) ? `${rounded(mm / 10)} cm` : `${rounded(mm)} mm`;
}
