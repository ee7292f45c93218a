/**
 * What the probe tells the reader about one pixel, as text lines: its value
 * (HU for CT; the modality value otherwise, with the stored value when the
 * image is rescaled), where it is in the patient (mm along R/L, A/P, F/H),
 * and its pixel index (column and row from the top-left, and the image's
 * number as the stack shows it).
 */
import { orientationLabel, type Vector3 } from '../../shared/volume/orientation-labels.js';

export interface ProbeReading {
  modality: string | undefined;
  /** The modality value (after Modality LUT / rescale); undefined outside the image. */
  value: number | undefined;
  /** Cornerstone's unit for the modality ('HU' for CT, 'SUV' for PET, '' when none). */
  unit: string;
  rescale: { slope: number; intercept: number } | undefined;
  /** The point in patient coordinates (LPS, mm). */
  world: Vector3;
  column: number;
  row: number;
  /** 1-based image number in the stack; undefined when not known. */
  image: number | undefined;
}

function number(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

const AXES: readonly Vector3[] = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

/** "L 8.0 A 12.0 F 2.0 mm": each axis named by the patient direction its coordinate points to. */
export function patientPosition(world: Vector3): string {
  const parts = AXES.map((axis, k) => {
    const mm = world[k]!;
    const direction: Vector3 = [axis[0] * Math.sign(mm || 1), axis[1] * Math.sign(mm || 1), axis[2] * Math.sign(mm || 1)];
    return `${orientationLabel(direction)} ${Math.abs(mm).toFixed(1)}`;
  });
  return `${parts.join(' ')} mm`;
}

function valueLine({ modality, value, unit, rescale }: ProbeReading): string | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const shown = unit ? `${number(value)} ${unit}` : number(value);
  const rescaled = !!rescale && (rescale.slope !== 1 || rescale.intercept !== 0) && rescale.slope !== 0;
  // Every CT is rescaled to HU; the stored value matters to a reader of other modalities only.
  if (modality === 'CT' || !rescaled) return shown;
  return `${shown} (stored ${Math.round((value - rescale.intercept) / rescale.slope)})`;
}

export function probeLines(reading: ProbeReading): string[] | undefined {
  const value = valueLine(reading);
  if (value === undefined) return undefined;
  const index = `Col ${reading.column} Row ${reading.row}${reading.image !== undefined ? ` Im ${reading.image}` : ''}`;
  return [value, patientPosition(reading.world), index];
}
