/**
 * Synchronised viewports: within each group (viewports showing series of one
 * frame of reference) scrolling goes to the nearest slice position, and
 * zoom/pan and window/level follow the viewport that changed.
 */
import { SynchronizerManager, synchronizers } from '@cornerstonejs/tools';
import { ENGINE_ID } from './cornerstone-setup.js';

let generation = 0;

/** Starts synchronising each group of viewport ids; returns what stops it. */
export function synchroniseViewports(groups: ReadonlyArray<readonly string[]>): () => void {
  const ids: string[] = [];
  for (const group of groups) {
    if (group.length < 2) continue;
    const n = ++generation;
    const created = [
      synchronizers.createImageSliceSynchronizer(`viewbox-slice-${n}`),
      synchronizers.createZoomPanSynchronizer(`viewbox-zoom-pan-${n}`),
      synchronizers.createVOISynchronizer(`viewbox-voi-${n}`, { syncInvertState: true, syncColormap: false }),
    ];
    for (const synchronizer of created) {
      for (const viewportId of group) synchronizer.add({ renderingEngineId: ENGINE_ID, viewportId });
      ids.push(synchronizer.id);
    }
  }
  return () => ids.forEach((id) => SynchronizerManager.destroySynchronizer(id));
}
