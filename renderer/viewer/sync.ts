/**
 * Synchronised viewports: within each group (viewports showing series of one
 * frame of reference) scrolling goes to the nearest slice position, and
 * zoom/pan and window/level follow the viewport that changed.
 */
import { metaData, utilities, type StackViewport } from '@cornerstonejs/core';
import { SynchronizerManager, synchronizers } from '@cornerstonejs/tools';
import { ENGINE_ID, renderingEngine } from '../imaging/cornerstone-setup.js';

let generation = 0;

/** What a group keeps in step (the hanging-protocol sync types). */
export type SyncKind = 'scroll' | 'zoomPan' | 'voi';
const ALL_KINDS: readonly SyncKind[] = ['scroll', 'zoomPan', 'voi'];

function createSynchronizer(kind: SyncKind, n: number) {
  switch (kind) {
    case 'scroll':
      return synchronizers.createImageSliceSynchronizer(`viewbox-slice-${n}`);
    case 'zoomPan':
      return synchronizers.createZoomPanSynchronizer(`viewbox-zoom-pan-${n}`);
    case 'voi':
      return synchronizers.createVOISynchronizer(`viewbox-voi-${n}`, { syncInvertState: true, syncColormap: false });
  }
}

/** Starts synchronising each group of viewport ids (in `kinds`, by default all); returns what stops it. */
export function synchroniseViewports(groups: ReadonlyArray<readonly string[]>, kinds: readonly SyncKind[] = ALL_KINDS): () => void {
  const ids: string[] = [];
  for (const group of groups) {
    if (group.length < 2) continue;
    const n = ++generation;
    const created = kinds.map((kind) => createSynchronizer(kind, n));
    for (const synchronizer of created) {
      for (const viewportId of group) synchronizer.add({ renderingEngineId: ENGINE_ID, viewportId });
      ids.push(synchronizer.id);
    }
  }
  return () => ids.forEach((id) => SynchronizerManager.destroySynchronizer(id));
}

type Point = readonly [number, number, number];

function currentPosition(viewportId: string): Point | undefined {
  const viewport = renderingEngine().getViewport(viewportId) as StackViewport | undefined;
  const imageId = viewport && viewport.getImageIds().length > 0 ? viewport.getCurrentImageId() : undefined;
  const position = imageId && (metaData.get('imagePlaneModule', imageId) as { imagePositionPatient?: number[] } | undefined)?.imagePositionPatient;
  return position ? [position[0]!, position[1]!, position[2]!] : undefined;
}

/** A 4×4 translation, column-major as Cornerstone's registrations are. */
function translation([x, y, z]: Point): Float32Array {
  return Float32Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, x, y, z, 1);
}

/**
 * Scroll synchronisation between series of different frames of reference
 * (a study and its prior) needs a registration: here, the translation that
 * lines up the images shown now, so the reader aligns them once (the
 * protocol's initial images do) and they stay aligned. Returns false until
 * every viewport shows an image.
 */
export function registerAsShown(viewportIds: readonly string[]): boolean {
  const positions = viewportIds.map(currentPosition);
  if (positions.some((p) => !p)) return false;
  viewportIds.forEach((target, t) =>
    viewportIds.forEach((source, s) => {
      if (t === s) return;
      const [a, b] = [positions[t]!, positions[s]!];
      utilities.spatialRegistrationMetadataProvider.add([target, source], translation([a[0] - b[0], a[1] - b[1], a[2] - b[2]]));
    }),
  );
  return true;
}
