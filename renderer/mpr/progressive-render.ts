/**
 * Redrawing a volume's views while its slices arrive. Cornerstone would
 * redraw every view each time 2 % of the slices came in; in software
 * rendering (and for 3D anywhere) one redraw of the views can cost more
 * than the arrival of those slices, so the page would spend its time
 * drawing half-loaded volumes and the volume would arrive late. Here the
 * views are redrawn when the whole volume is first covered (the first
 * complete view: nothing is redrawn before it), when it is all there, and in
 * between no more often than every `minimumIntervalMs` nor than twice the
 * time the last redraw took.
 */
import { Enums } from '@cornerstonejs/core';
import { renderingEngine } from '../imaging/cornerstone-setup.js';
import type { SeriesVolume, VolumeProgress } from './volume-loading.js';

const STALE_REQUEST_MS = 5000;

export function redrawWhileLoading(volume: SeriesVolume, viewportIds: readonly string[], elements: readonly HTMLElement[], minimumIntervalMs: number): () => void {
  let requestedAt: number | undefined;
  let lastEnd = 0;
  let lastCost = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wasCovered = volume.progress().covered >= 1;
  let done = volume.progress().loaded >= 1;
  const pendingViewports = new Set<string>();

  const request = () => {
    clearTimeout(timer);
    timer = undefined;
    requestedAt = performance.now();
    for (const id of viewportIds) pendingViewports.add(id);
    renderingEngine().renderViewports([...viewportIds]);
  };
  const onRendered = (event: Event) => {
    const id = (event as CustomEvent<{ viewportId?: string }>).detail.viewportId;
    if (requestedAt === undefined || !id || !pendingViewports.delete(id) || pendingViewports.size > 0) return;
    lastEnd = performance.now();
    lastCost = lastEnd - requestedAt;
    requestedAt = undefined;
  };
  const onProgress = (progress: VolumeProgress) => {
    const covered = progress.covered >= 1;
    const loaded = progress.loaded >= 1;
    // Milestones are drawn at once, whatever is pending.
    if ((covered && !wasCovered) || (loaded && !done)) {
      wasCovered = covered;
      done = loaded;
      return request();
    }
    // A redraw that never reported back (its view went away) does not hold up the next one.
    const drawing = requestedAt !== undefined && performance.now() - requestedAt < STALE_REQUEST_MS;
    // Before the whole volume shows, partial redraws would only take the CPU from the slices on their way.
    if (!wasCovered || done || drawing || timer !== undefined) return;
    const wait = Math.max(minimumIntervalMs, 2 * lastCost) - (performance.now() - lastEnd);
    if (wait <= 0) request();
    else timer = setTimeout(request, wait);
  };
  for (const element of elements) element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
  const stop = volume.onProgress(onProgress);
  return () => {
    stop();
    clearTimeout(timer);
    for (const element of elements) element.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
  };
}
