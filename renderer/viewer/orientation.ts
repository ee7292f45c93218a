/**
 * Orientation markers: which way the patient lies along each edge of the
 * view. Letters follow DICOM Patient Orientation (PS3.3 C.7.6.1.1.1): R/L,
 * A/P, H/F; an oblique direction gets a second (and third) letter for each
 * axis it leans along noticeably, the main one first ("LP").
 */
export type Vector3 = readonly [number, number, number];

export interface EdgeMarkers {
  top: string;
  bottom: string;
  left: string;
  right: string;
}

/** Components smaller than this (about 14°) do not earn a letter. */
const OBLIQUE_THRESHOLD = 0.25;

const LETTERS: ReadonlyArray<readonly [negative: string, positive: string]> = [
  ['R', 'L'],
  ['A', 'P'],
  ['F', 'H'],
];

/** Letters of a direction in the patient coordinate system (LPS: +x left, +y posterior, +z head). */
export function orientationLabel(direction: Vector3): string {
  const length = Math.hypot(...direction);
  if (!(length > 0)) return '';
  return [0, 1, 2]
    .map((axis) => ({ axis, value: direction[axis]! / length }))
    .filter(({ value }) => Math.abs(value) >= OBLIQUE_THRESHOLD)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .map(({ axis, value }) => LETTERS[axis]![value > 0 ? 1 : 0])
    .join('');
}

/** Markers for each edge, from the patient directions that point right and down on screen. */
export function edgeMarkers(right: Vector3, down: Vector3): EdgeMarkers {
  const negate = (v: Vector3): Vector3 => [-v[0], -v[1], -v[2]];
  return { right: orientationLabel(right), left: orientationLabel(negate(right)), bottom: orientationLabel(down), top: orientationLabel(negate(down)) };
}
