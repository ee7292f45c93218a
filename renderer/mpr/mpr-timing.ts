/**
 * Performance marks of the MPR and 3D panes, for the benchmark and the
 * browser tests (performance.getEntriesByName(name)[i].detail):
 * - `viewbox:mpr-first-view`: the first time every plane of a pane was drawn
 *   with the whole volume covered (each slice its own or a neighbour's copy);
 *   detail `{ volumeId, loaded }`, the share of slices then at full resolution.
 * - `viewbox:mpr-volume-loaded`: every slice arrived; detail `{ volumeId,
 *   heldBytes, voxelBytes }`: the bytes of the typed arrays Cornerstone holds
 *   for the slices, and columns × rows × slices × bytes per voxel.
 * - `viewbox:vr-first-frame`: the first volume rendering drawn; detail `{ volumeId, loaded }`.
 */
export const MPR_MARKS = {
  firstView: 'viewbox:mpr-first-view',
  volumeLoaded: 'viewbox:mpr-volume-loaded',
  firstVolumeRendering: 'viewbox:vr-first-frame',
} as const;

/** `at`: when it happened (performance.now()), if not now. */
export function markMpr(name: (typeof MPR_MARKS)[keyof typeof MPR_MARKS], detail: Record<string, unknown>, at?: number): void {
  performance.mark(name, { detail, ...(at === undefined ? {} : { startTime: at }) });
}
