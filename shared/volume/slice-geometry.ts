/**
 * Can a series of single-frame slices be reconstructed as one volume (MPR,
 * 3D), and how. A volume viewer draws slices on a regular box: one
 * orientation, one in-plane size and spacing, one step between slices along
 * the normal. Anything that breaks that would be drawn distorted, so it is
 * either corrected exactly or refused with a sentence naming the problem and
 * the slice. The rules (and why) are in docs/mpr.md.
 *
 * Corrected: CT gantry tilt (positions stepping sideways from the normal):
 * a pure shear, undone by shifting each slice in its own plane.
 * Refused: mixed orientations, sizes, pixel spacings or frames of reference;
 * several images at one position; missing slices; irregular steps;
 * positions that do not lie along one line; tilts beyond a gantry's 30°.
 *
 * Pure: no DOM, no node:, so the renderer, the node and tests run the same code.
 */
import { nearestPlane, type AnatomicalPlane } from './orientation-labels.js';
import { add, angleDeg, cross, dot, norm, scale, sub, unit, vec3Of, type Vec3 } from './vec3.js';

/** What the analysis needs of one slice (from its DICOM attributes). */
export interface SliceGeometryInput {
  /** SOP Instance UID: names the slice in refusals (their `slices`). */
  instanceUid: string;
  /** Instance Number, to name the slice in sentences ("image 12"). */
  instanceNumber?: number | undefined;
  /** Image Orientation (Patient): row then column direction cosines. */
  orientation: readonly number[] | undefined;
  /** Image Position (Patient): centre of the first pixel, mm. */
  position: readonly number[] | undefined;
  /** Pixel Spacing: between rows, then between columns, mm. */
  pixelSpacing: readonly number[] | undefined;
  rows: number | undefined;
  columns: number | undefined;
  frameOfReferenceUid?: string | undefined;
  /** Slice Thickness, mm: only for a note when slices do not touch. */
  sliceThickness?: number | undefined;
}

export type GeometryProblem =
  | 'too-few-slices'
  | 'missing-geometry'
  | 'invalid-orientation'
  | 'mixed-frames-of-reference'
  | 'mixed-sizes'
  | 'mixed-pixel-spacing'
  | 'mixed-orientations'
  | 'single-position'
  | 'duplicate-positions'
  | 'missing-slices'
  | 'irregular-spacing'
  | 'not-one-stack'
  | 'tilt-too-large';

/** The regular box the volume is drawn in (patient coordinates, LPS mm). */
export interface VolumeGrid {
  /** Centre of the first voxel (column 0, row 0, slice 0). */
  origin: Vec3;
  /** Columns, rows, slices. */
  dimensions: [number, number, number];
  /** mm between columns, rows, slices. */
  spacing: [number, number, number];
  /** Unit directions of increasing column, row and slice index (right-handed). */
  direction: [Vec3, Vec3, Vec3];
}

export interface GantryTilt {
  /** Angle between the slice normal and the line the slice positions step along, degrees. */
  angleDeg: number;
  /** How far each slice sits sideways from the one before it, mm (in its plane). */
  shiftPerSliceMm: number;
  /** In-plane direction of that shift (unit, LPS). */
  shiftDirection: Vec3;
}

export type Resampling =
  | { kind: 'none' }
  | {
      /** Shift each slice in its plane by its offset (linear interpolation) onto the grid: undoes a gantry tilt exactly. */
      kind: 'shear';
      /** Per sorted slice: where its first pixel lands in the grid, in (fractional) columns and rows. */
      sliceOffsets: Array<readonly [column: number, row: number]>;
    };

export interface VolumePlan<T extends SliceGeometryInput = SliceGeometryInput> {
  /** The slices in order along the normal (increasing position). */
  slices: T[];
  /** How the input was ordered relative to that. */
  inputOrder: 'along-normal' | 'reversed' | 'unordered';
  rows: number;
  columns: number;
  /** Between rows, between columns, mm. */
  pixelSpacing: [number, number];
  /** Orthonormal: row and column directions of the slices, and their normal (row × column). */
  rowDirection: Vec3;
  columnDirection: Vec3;
  normal: Vec3;
  plane: AnatomicalPlane;
  /** Angle between the normal and the nearest anatomical axis, degrees. */
  obliqueDeg: number;
  /** Steps between neighbouring slices along the normal, mm. */
  spacing: { mean: number; median: number; min: number; max: number };
  /** Each sorted slice's position along the normal, mm. */
  positionsAlongNormal: number[];
  /** From the first to the last slice along the normal, mm. */
  extentMm: number;
  tilt: GantryTilt | undefined;
  resample: Resampling;
  grid: VolumeGrid;
  /** Sentences for the user about what was tolerated or corrected. */
  notes: string[];
  /** A short badge for the viewport when something was corrected, e.g. "gantry tilt 15° corrected". */
  label: string | undefined;
}

export type SliceGeometryVerdict<T extends SliceGeometryInput = SliceGeometryInput> =
  | { reconstructable: true; plan: VolumePlan<T> }
  | {
      reconstructable: false;
      problem: GeometryProblem;
      /** A sentence naming the problem and the slice(s). */
      reason: string;
      /** SOP Instance UIDs of the slices the reason names. */
      slices: string[];
    };

export const MIN_SLICES = 3;
/** Direction cosines must be unit vectors and perpendicular to within this (rounded values in files). */
const COSINE_TOLERANCE = 0.01;
/** A step this many times the usual (median) step means slices are missing. */
export const GAP_FACTOR = 1.5;
/** A step may differ from the usual one by this share (or STEP_FLOOR_MM) and still count as the same spacing. */
export const STEP_TOLERANCE = 0.1;
const STEP_FLOOR_MM = 0.05;
/** No slice may sit further than this share of a step from where a regular grid puts it (slow drifts). */
export const GRID_TOLERANCE = 0.25;
/** Steps shorter than this share of a pixel put two slices at one position. */
const DUPLICATE_PIXEL_SHARE = 0.1;
/** The largest tilt corrected: CT gantries tilt up to 30°; beyond that the positions are not a tilted stack. */
export const MAX_TILT_DEG = 30;

type Refusal = Extract<SliceGeometryVerdict, { reconstructable: false }>;

const refuse = (problem: GeometryProblem, reason: string, ...slices: SliceGeometryInput[]): Refusal => ({
  reconstructable: false,
  problem,
  reason,
  slices: slices.map((s) => s.instanceUid),
});

/** "image 12", or the UID when the slice has no Instance Number. */
export function sliceName(slice: SliceGeometryInput): string {
  return slice.instanceNumber !== undefined ? `image ${slice.instanceNumber}` : `the image with SOP Instance UID ${slice.instanceUid}`;
}

const mm = (n: number, digits = 2) => `${Number(n.toFixed(digits))} mm`;
const deg = (n: number) => `${Number(n.toFixed(1))}°`;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const joined = (values: readonly number[]) => values.map((v) => Number(v.toFixed(6))).join('\\');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Checked {
  slice: SliceGeometryInput;
  row: Vec3;
  column: Vec3;
  position: Vec3;
}

/** Every slice has the attributes a volume needs, with sane values. */
function checkAttributes(slices: readonly SliceGeometryInput[]): Checked[] | Refusal {
  const checked: Checked[] = [];
  for (const slice of slices) {
    const o = slice.orientation;
    const missing =
      o?.length !== 6 || !o.every(Number.isFinite)
        ? 'Image Orientation (Patient)'
        : slice.position?.length !== 3 || !vec3Of(slice.position)
          ? 'Image Position (Patient)'
          : slice.pixelSpacing?.length !== 2 || !slice.pixelSpacing.every((s) => Number.isFinite(s) && s > 0)
            ? 'Pixel Spacing'
            : !(Number.isInteger(slice.rows) && slice.rows! > 0 && Number.isInteger(slice.columns) && slice.columns! > 0)
              ? 'Rows/Columns'
              : undefined;
    if (missing) return refuse('missing-geometry', `${cap(sliceName(slice))} has no usable ${missing}: without it the slice cannot be placed in a volume.`, slice);
    const row = vec3Of(o!)!;
    const column = vec3Of(o!, 3)!;
    if (Math.abs(norm(row) - 1) > COSINE_TOLERANCE || Math.abs(norm(column) - 1) > COSINE_TOLERANCE || Math.abs(dot(row, column)) > COSINE_TOLERANCE)
      return refuse(
        'invalid-orientation',
        `${cap(sliceName(slice))} has an Image Orientation (Patient) (${joined(o!)}) that is not two perpendicular unit directions.`,
        slice,
      );
    checked.push({ slice, row, column, position: vec3Of(slice.position!)! });
  }
  return checked;
}

/** One frame of reference, size, pixel spacing and orientation (as written: the first slice's) for all slices. */
function checkConsistency(checked: readonly Checked[]): Refusal | undefined {
  const { slice: first, row, column } = checked[0]!;
  const [rowSpacing, columnSpacing] = first.pixelSpacing as [number, number];
  const fieldHalfDiagonal = Math.hypot(first.columns! * columnSpacing, first.rows! * rowSpacing) / 2;
  // Turning a slice by this angle moves its corner pixels by half a pixel: below that, one orientation draws every slice right.
  const orientationToleranceDeg = (Math.asin(Math.min(1, (0.5 * Math.min(rowSpacing, columnSpacing)) / fieldHalfDiagonal)) * 180) / Math.PI;
  for (const { slice, row: r, column: c } of checked) {
    if (first.frameOfReferenceUid && slice.frameOfReferenceUid && slice.frameOfReferenceUid !== first.frameOfReferenceUid)
      return refuse(
        'mixed-frames-of-reference',
        `${cap(sliceName(slice))} has another Frame of Reference UID than ${sliceName(first)}: its position is in another coordinate system (another scan or patient position).`,
        slice,
        first,
      );
    if (slice.rows !== first.rows || slice.columns !== first.columns)
      return refuse(
        'mixed-sizes',
        `${cap(sliceName(slice))} is ${slice.columns}×${slice.rows} where ${sliceName(first)} is ${first.columns}×${first.rows}: slices of different sizes are not one volume.`,
        slice,
        first,
      );
    const spacing = slice.pixelSpacing!;
    if (Math.abs(spacing[0]! - rowSpacing) > 1e-3 * rowSpacing || Math.abs(spacing[1]! - columnSpacing) > 1e-3 * columnSpacing)
      return refuse(
        'mixed-pixel-spacing',
        `${cap(sliceName(slice))} has Pixel Spacing ${joined(spacing)} where ${sliceName(first)} has ${joined(first.pixelSpacing!)}: slices of different scales are not one volume.`,
        slice,
        first,
      );
    const turned = Math.max(angleDeg(r, row), angleDeg(c, column));
    if (turned > orientationToleranceDeg)
      return refuse(
        'mixed-orientations',
        `${cap(sliceName(slice))} is turned ${deg(turned)} from ${sliceName(first)} (Image Orientation (Patient) ${joined(slice.orientation!)}): the series mixes planes (a localizer, or stacks in several orientations).`,
        slice,
        first,
      );
  }
  return undefined;
}

interface Placed {
  slice: SliceGeometryInput;
  input: number;
  position: Vec3;
  along: number;
}

/** Steps along the normal: no two slices at one position, none missing, one spacing. */
function checkSteps(placed: readonly Placed[], pixel: number): { steps: number[]; usual: number; mean: number } | Refusal {
  const steps = placed.slice(1).map((p, k) => p.along - placed[k]!.along);
  const duplicate = DUPLICATE_PIXEL_SHARE * pixel;
  if (steps.every((s) => s < duplicate))
    return refuse(
      'single-position',
      `All ${placed.length} images lie at the same position: they are repeated images of one slice (time points, echoes), not a stack.`,
      placed[0]!.slice,
    );
  const same = steps.findIndex((s) => s < duplicate);
  if (same >= 0) {
    const [a, b] = [placed[same]!, placed[same + 1]!];
    const count = steps.filter((s) => s < duplicate).length;
    return refuse(
      'duplicate-positions',
      `${cap(sliceName(a.slice))} and ${sliceName(b.slice)} lie at the same position (${mm(a.along)} along the slice normal)${count > 1 ? `, and ${count - 1} more pairs do` : ''}: the series holds more than one image per position (echoes, phases or a repeated scan).`,
      a.slice,
      b.slice,
    );
  }
  const usual = median(steps);
  const gaps = steps.map((s, k) => ({ s, k })).filter(({ s }) => s > GAP_FACTOR * usual);
  if (gaps.length > 0) {
    const { s, k } = gaps[0]!;
    const [a, b] = [placed[k]!, placed[k + 1]!];
    const missing = Math.max(1, Math.round(s / usual) - 1);
    return refuse(
      'missing-slices',
      `Slices are missing between ${sliceName(a.slice)} and ${sliceName(b.slice)}: they are ${mm(s)} apart where the series steps ${mm(usual)} (about ${missing} slice${missing > 1 ? 's' : ''} missing)${gaps.length > 1 ? `; ${gaps.length - 1} more gap${gaps.length > 2 ? 's' : ''} further on` : ''}.`,
      a.slice,
      b.slice,
    );
  }
  const allowed = Math.max(STEP_TOLERANCE * usual, STEP_FLOOR_MM);
  const odd = steps.findIndex((s) => Math.abs(s - usual) > allowed);
  if (odd >= 0) {
    const [a, b] = [placed[odd]!, placed[odd + 1]!];
    return refuse(
      'irregular-spacing',
      `Irregular spacing: ${sliceName(a.slice)} and ${sliceName(b.slice)} are ${mm(steps[odd]!)} apart where the series steps ${mm(usual)}; a volume needs one spacing.`,
      a.slice,
      b.slice,
    );
  }
  // Steps each within tolerance can still add up to a drift (1.9 mm steps, then 2.1 mm ones): measure it against a regular grid.
  const first = placed[0]!.along;
  const mean = (placed[placed.length - 1]!.along - first) / steps.length;
  const drifts = placed.map((p, i) => Math.abs(p.along - (first + i * mean)));
  const worst = drifts.indexOf(Math.max(...drifts));
  if (drifts[worst]! > GRID_TOLERANCE * mean)
    return refuse(
      'irregular-spacing',
      `Irregular spacing: steps vary from ${mm(Math.min(...steps))} to ${mm(Math.max(...steps))}, so ${sliceName(placed[worst]!.slice)} lies ${mm(drifts[worst]!)} from where a regular ${mm(mean)} spacing puts it.`,
      placed[worst]!.slice,
    );
  return { steps, usual, mean };
}

/** Least-squares line through (x, y) pairs: y ≈ a + b·x. */
function fitLine(xs: readonly number[], ys: readonly number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) * (x - mx);
  });
  const b = sxx > 0 ? sxy / sxx : 0;
  return { a: my - b * mx, b };
}

/**
 * Decide whether `slices` (one series, single-frame images) form a volume,
 * and how to lay it out. Generic so callers get their own slice objects back
 * in order (`plan.slices`).
 */
export function analyseSliceGeometry<T extends SliceGeometryInput>(slices: readonly T[]): SliceGeometryVerdict<T> {
  if (slices.length < MIN_SLICES)
    return refuse('too-few-slices', `A volume needs at least ${MIN_SLICES} slices; this series has ${slices.length}.`, ...slices);
  const checked = checkAttributes(slices);
  if (!Array.isArray(checked)) return checked;

  const inconsistent = checkConsistency(checked);
  if (inconsistent) return inconsistent;
  // One orientation for all, from the first slice, made exactly orthonormal (files round the cosines).
  const row = unit(checked[0]!.row)!;
  const column = unit(sub(checked[0]!.column, scale(row, dot(checked[0]!.column, row))))!;
  const normal = cross(row, column);

  const first = slices[0]!;
  const [rowSpacing, columnSpacing] = first.pixelSpacing as [number, number];
  const pixel = Math.min(rowSpacing, columnSpacing);
  const placed: Placed[] = checked.map((c, input) => ({ slice: c.slice, input, position: c.position, along: dot(c.position, normal) })).sort((a, b) => a.along - b.along);

  const stepped = checkSteps(placed, pixel);
  if ('reconstructable' in stepped) return stepped;
  const { steps, usual, mean } = stepped;

  // Where each slice sits in its own plane (along the row and column directions), against its place along the normal.
  const along = placed.map((p) => p.along);
  const u = placed.map((p) => dot(p.position, row));
  const v = placed.map((p) => dot(p.position, column));
  const fitU = fitLine(along, u);
  const fitV = fitLine(along, v);
  const residuals = placed.map((p, i) => Math.hypot(u[i]! - (fitU.a + fitU.b * along[i]!), v[i]! - (fitV.a + fitV.b * along[i]!)));
  const worst = residuals.indexOf(Math.max(...residuals));
  // How far the worst slice is from the line through the others (it pulls a line fitted through all towards itself).
  const others = (values: number[]) => values.filter((_, i) => i !== worst);
  const [lineU, lineV] = [fitLine(others(along), others(u)), fitLine(others(along), others(v))];
  const off = Math.hypot(u[worst]! - (lineU.a + lineU.b * along[worst]!), v[worst]! - (lineV.a + lineV.b * along[worst]!));
  if (off > Math.max(0.5 * pixel, STEP_FLOOR_MM))
    return refuse(
      'not-one-stack',
      `${cap(sliceName(placed[worst]!.slice))} lies ${mm(off)} sideways of the line through the other slices' positions: the positions do not form one stack (stacks side by side, or the patient moved).`,
      placed[worst]!.slice,
    );

  const extent = along[along.length - 1]! - along[0]!;
  const slope = Math.hypot(fitU.b, fitV.b);
  const angle = (Math.atan(slope) * 180) / Math.PI;
  // A sideways drift under half a pixel over the whole stack is invisible: no tilt to correct.
  const tilted = slope * extent > 0.5 * pixel;
  if (tilted && angle > MAX_TILT_DEG)
    return refuse(
      'tilt-too-large',
      `The slices are stacked at ${deg(angle)} to their plane, more than the ${MAX_TILT_DEG}° a CT gantry tilts: the positions do not describe one tilted stack.`,
      placed[0]!.slice,
      placed[placed.length - 1]!.slice,
    );

  const rows = first.rows!;
  const columns = first.columns!;
  const notes: string[] = [];
  let tilt: GantryTilt | undefined;
  let resample: Resampling = { kind: 'none' };
  let grid: VolumeGrid = {
    origin: placed[0]!.position,
    dimensions: [columns, rows, placed.length],
    spacing: [columnSpacing, rowSpacing, mean],
    direction: [row, column, normal],
  };
  if (tilted) {
    const lateral = along.map((d) => [fitU.a + fitU.b * d, fitV.a + fitV.b * d] as const);
    const uMin = Math.min(...lateral.map(([a]) => a));
    const vMin = Math.min(...lateral.map(([, b]) => b));
    const uSpan = Math.max(...lateral.map(([a]) => a)) - uMin;
    const vSpan = Math.max(...lateral.map(([, b]) => b)) - vMin;
    tilt = { angleDeg: angle, shiftPerSliceMm: slope * mean, shiftDirection: unit(add(scale(row, fitU.b), scale(column, fitV.b)))! };
    // The grid grows by the total shift so that every slice fits whole (nothing cropped).
    grid = {
      origin: add(add(scale(row, uMin), scale(column, vMin)), scale(normal, along[0]!)),
      dimensions: [columns + Math.ceil(uSpan / columnSpacing - 1e-6), rows + Math.ceil(vSpan / rowSpacing - 1e-6), placed.length],
      spacing: [columnSpacing, rowSpacing, mean],
      direction: [row, column, normal],
    };
    resample = { kind: 'shear', sliceOffsets: lateral.map(([a, b]) => [(a - uMin) / columnSpacing, (b - vMin) / rowSpacing] as const) };
    notes.push(
      `Gantry tilt ${deg(angle)} corrected: each slice is shifted back ${mm(tilt.shiftPerSliceMm)} in its plane, so the volume is ${grid.dimensions[0]}×${grid.dimensions[1]} instead of ${columns}×${rows}.`,
    );
  }
  const [minStep, maxStep] = [Math.min(...steps), Math.max(...steps)];
  if (maxStep - minStep > 0.01 * mean)
    notes.push(`Slice spacing varies from ${mm(minStep)} to ${mm(maxStep)}: shown with the mean, ${mm(mean, 3)}.`);
  const thickness = first.sliceThickness;
  if (thickness !== undefined && thickness > 0 && thickness < 0.95 * mean)
    notes.push(`Slices are ${mm(thickness)} thick and ${mm(mean)} apart: the ${mm(mean - thickness)} between slices was not imaged; reconstructed planes interpolate across it.`);

  const order = placed.map((p) => p.input);
  const inputOrder = order.every((input, i) => input === i) ? 'along-normal' : order.every((input, i) => input === order.length - 1 - i) ? 'reversed' : 'unordered';
  const { plane, obliqueDeg } = nearestPlane(normal)!;
  return {
    reconstructable: true,
    plan: {
      slices: placed.map((p) => p.slice as T),
      inputOrder,
      rows,
      columns,
      pixelSpacing: [rowSpacing, columnSpacing],
      rowDirection: row,
      columnDirection: column,
      normal,
      plane,
      obliqueDeg,
      spacing: { mean, median: usual, min: minStep, max: maxStep },
      positionsAlongNormal: along,
      extentMm: extent,
      tilt,
      resample,
      grid,
      notes,
      label: tilt ? `gantry tilt ${Math.round(tilt.angleDeg)}° corrected` : undefined,
    },
  };
}
