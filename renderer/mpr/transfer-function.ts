/**
 * A volume rendering's transfer function as the editor shows it: opacity
 * points and colour points over the value axis (HU for CT), and the
 * histogram drawn under them. Pure; the 3D pane copies it into vtk.js's
 * piecewise and colour transfer functions.
 */
export interface OpacityPoint {
  value: number;
  /** 0..1 */
  opacity: number;
}

export interface ColorPoint {
  value: number;
  /** 0..1 each. */
  rgb: readonly [number, number, number];
}

export interface TransferFunction {
  opacity: OpacityPoint[];
  color: ColorPoint[];
}

/**
 * Reads the point lists of a 3D Slicer volume-property preset (the format of
 * Cornerstone's VIEWPORT_PRESETS): a count then the numbers, "4 -3024 0 3071 1"
 * for opacity (value, opacity pairs), "8 -3024 0 0 0 3071 1 1 1" for colour.
 */
export function parseSlicerPoints(text: string, stride: 2 | 4): number[][] {
  const numbers = text.trim().split(/\s+/).map(Number);
  const count = numbers[0] ?? 0;
  const values = numbers.slice(1, 1 + count);
  if (values.length !== count || count % stride !== 0 || values.some((n) => !Number.isFinite(n))) throw new Error(`not a ${stride === 2 ? 'opacity' : 'colour'} point list: "${text}"`);
  const points: number[][] = [];
  for (let i = 0; i < values.length; i += stride) points.push(values.slice(i, i + stride));
  return points;
}

export function transferFunctionOf(preset: { scalarOpacity: string; colorTransfer: string }): TransferFunction {
  return {
    opacity: parseSlicerPoints(preset.scalarOpacity, 2).map(([value, opacity]) => ({ value: value!, opacity: opacity! })),
    color: parseSlicerPoints(preset.colorTransfer, 4).map(([value, r, g, b]) => ({ value: value!, rgb: [r!, g!, b!] as const })),
  };
}

const clamp = (n: number, low: number, high: number) => Math.min(high, Math.max(low, n));

/**
 * Moves opacity point `index` to (value, opacity), kept between its
 * neighbours (points stay in value order, so the function stays a function).
 */
export function moveOpacityPoint(tf: TransferFunction, index: number, value: number, opacity: number): TransferFunction {
  const points = tf.opacity;
  if (!points[index]) return tf;
  const low = points[index - 1]?.value ?? -Infinity;
  const high = points[index + 1]?.value ?? Infinity;
  const moved = { value: clamp(value, low, high), opacity: clamp(opacity, 0, 1) };
  return { ...tf, opacity: points.map((p, i) => (i === index ? moved : p)) };
}

/** Adds an opacity point at `value`, its opacity where the line through its neighbours is. */
export function addOpacityPoint(tf: TransferFunction, value: number, opacity?: number): TransferFunction {
  const points = [...tf.opacity, { value, opacity: opacity ?? opacityAt(tf, value) }].sort((a, b) => a.value - b.value);
  return { ...tf, opacity: points };
}

/** Removes an opacity point; the two ends stay (the function must cover the value range). */
export function removeOpacityPoint(tf: TransferFunction, index: number): TransferFunction {
  if (index <= 0 || index >= tf.opacity.length - 1) return tf;
  return { ...tf, opacity: tf.opacity.filter((_, i) => i !== index) };
}

/** Sets the colour of colour point `index`. */
export function recolourPoint(tf: TransferFunction, index: number, rgb: readonly [number, number, number]): TransferFunction {
  return { ...tf, color: tf.color.map((p, i) => (i === index ? { ...p, rgb } : p)) };
}

/** Adds a colour point at `value`, coloured as the function is there now. */
export function addColorPoint(tf: TransferFunction, value: number): TransferFunction {
  return { ...tf, color: [...tf.color, { value, rgb: colorAt(tf, value) }].sort((a, b) => a.value - b.value) };
}

/** Piecewise-linear opacity at `value` (flat beyond the ends), as vtk.js interpolates it. */
export function opacityAt(tf: TransferFunction, value: number): number {
  return interpolate(tf.opacity.map((p) => ({ value: p.value, v: [p.opacity] })), value)[0] ?? 0;
}

export function colorAt(tf: TransferFunction, value: number): [number, number, number] {
  const [r = 0, g = 0, b = 0] = interpolate(tf.color.map((p) => ({ value: p.value, v: [...p.rgb] })), value);
  return [r, g, b];
}

function interpolate(points: Array<{ value: number; v: number[] }>, value: number): number[] {
  if (points.length === 0) return [];
  if (value <= points[0]!.value) return points[0]!.v;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    if (value <= b.value) {
      const t = b.value === a.value ? 1 : (value - a.value) / (b.value - a.value);
      return a.v.map((x, k) => x + (b.v[k]! - x) * t);
    }
  }
  return points[points.length - 1]!.v;
}

export interface Histogram {
  min: number;
  max: number;
  /** Voxel counts per equal-width bin from min to max. */
  counts: number[];
}

/**
 * Histogram of a volume's values, read from every `stride`-th voxel of each
 * slice (the editor needs the shape, not every voxel; reading a 500-slice CT
 * whole would hold up the page).
 */
export function histogramOf(slices: Iterable<ArrayLike<number>>, bins: number, stride = 1): Histogram {
  let min = Infinity;
  let max = -Infinity;
  const kept: ArrayLike<number>[] = [];
  for (const slice of slices) {
    kept.push(slice);
    for (let i = 0; i < slice.length; i += stride) {
      const v = slice[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const counts = new Array<number>(bins).fill(0);
  if (!(max >= min)) return { min: 0, max: 0, counts };
  const width = (max - min) / bins || 1;
  for (const slice of kept) {
    for (let i = 0; i < slice.length; i += stride) counts[Math.min(bins - 1, Math.floor((slice[i]! - min) / width))]!++;
  }
  return { min, max, counts };
}
