/**
 * Volume phantoms for the MPR and 3D browser tests: one Part 10 CT file per
 * slice (test/fixtures/ct-series.ts, one slice per call so that each gets its
 * own position), acquired in any orientation, with every pixel set from a
 * function of the patient position (LPS, mm) it stands for. The tests then
 * know where each structure is in the patient, whatever the acquisition.
 */
import { closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { generateCtSeries } from '../../fixtures/ct-series.js';
import { ds, newUid } from '../../fixtures/part10-writer.js';

export type Vec3 = readonly [number, number, number];

const RESCALE_INTERCEPT = -1024;

export interface VolumePhantom {
  dir: string;
  studyUid: string;
  seriesUid: string;
}

export interface PhantomOptions {
  dir: string;
  studyUid?: string;
  patientName?: string;
  /** Direction of increasing column (first triplet of Image Orientation (Patient)) and of increasing row. */
  rowDirection: Vec3;
  columnDirection: Vec3;
  /** Position of the first pixel of slice 0, and the step from one slice to the next. */
  origin: Vec3;
  sliceStep: Vec3;
  slices: number;
  rows: number;
  columns: number;
  pixelSpacing: number;
  /** HU at a patient position. */
  hu: (p: Vec3) => number;
}

const add = (a: Vec3, b: Vec3, k = 1): Vec3 => [a[0] + b[0] * k, a[1] + b[1] * k, a[2] + b[2] * k];

export function writeVolumePhantom(options: PhantomOptions): VolumePhantom {
  const { dir, rows, columns, pixelSpacing, rowDirection, columnDirection, origin, sliceStep, slices, hu } = options;
  mkdirSync(dir, { recursive: true });
  const studyUid = options.studyUid ?? newUid();
  const seriesUid = newUid();
  const frameOfReference = newUid();
  const thickness = Math.hypot(...sliceStep);
  const [rx, ry, rz] = rowDirection;
  const [cx, cy, cz] = columnDirection;
  const normal: Vec3 = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
  for (let i = 0; i < slices; i++) {
    const corner = add(origin, sliceStep, i);
    const generated = generateCtSeries({
      dir,
      count: 1,
      rows,
      cols: columns,
      studyUid,
      seriesUid,
      patientName: options.patientName ?? 'Phantom^Volume',
      pixelSpacing,
      sliceThickness: Number(thickness.toFixed(3)),
      fileName: () => `S${String(i + 1).padStart(4, '0')}.dcm`,
      overrides: [
        { tag: 0x00200013, vr: 'IS', value: String(i + 1) },
        { tag: 0x00200032, vr: 'DS', value: ds(...corner) },
        { tag: 0x00200037, vr: 'DS', value: ds(...rowDirection, ...columnDirection) },
        { tag: 0x00200052, vr: 'UI', value: frameOfReference },
        { tag: 0x00201041, vr: 'DS', value: ds(Number((corner[0] * normal[0] + corner[1] * normal[1] + corner[2] * normal[2]).toFixed(3))) },
      ],
    });
    const pixels = Buffer.alloc(rows * columns * 2);
    for (let r = 0; r < rows; r++) {
      const rowStart = add(corner, columnDirection, r * pixelSpacing);
      for (let c = 0; c < columns; c++) {
        const value = Math.round(hu(add(rowStart, rowDirection, c * pixelSpacing)));
        pixels.writeInt16LE(value - RESCALE_INTERCEPT, (r * columns + c) * 2);
      }
    }
    const path = generated.files[0]!.path;
    const fd = openSync(path, 'r+');
    try {
      writeSync(fd, pixels, 0, pixels.length, statSync(path).size - pixels.length);
    } finally {
      closeSync(fd);
    }
  }
  return { dir, studyUid, seriesUid };
}

/** Water (0 HU) inside a box, air outside. */
export function waterBox(half: Vec3, centre: Vec3 = [0, 0, 0]): (p: Vec3) => number {
  return (p) => (Math.abs(p[0] - centre[0]) <= half[0] && Math.abs(p[1] - centre[1]) <= half[1] && Math.abs(p[2] - centre[2]) <= half[2] ? 0 : -1000);
}

/** Distance from p to the segment a–b. */
export function distanceToSegment(p: Vec3, a: Vec3, b: Vec3): number {
  const ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
  const t = Math.max(0, Math.min(1, (ap[0]! * ab[0]! + ap[1]! * ab[1]! + ap[2]! * ab[2]!) / (ab[0]! ** 2 + ab[1]! ** 2 + ab[2]! ** 2)));
  return Math.hypot(ap[0]! - ab[0]! * t, ap[1]! - ab[1]! * t, ap[2]! - ab[2]! * t);
}
