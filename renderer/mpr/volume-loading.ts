/**
 * A series as a Cornerstone3D streaming image volume, from the same WADO-RS
 * image ids the stack viewer uses (images already decoded for the stack are
 * reused from the cache, not fetched again). Voxels stay in their native
 * 16-bit type, one typed array per slice in Cornerstone's image cache: no
 * whole-volume copy, float or otherwise, is made in JS; the GPU texture is
 * filled slice by slice.
 *
 * Loading is progressive: the middle and last slices first, then every 8th
 * slice with its neighbours filled by copies, then the slices between, so
 * that the planes show the whole volume coarsely after about an eighth of it
 * arrived, and sharpen as the rest comes.
 */
import { cache, decimatedVolumeLoader, Enums, eventTarget, imageLoadPoolManager, metaData, type Types, utilities, volumeLoader } from '@cornerstonejs/core';
import type { GantryTilt } from '../../shared/volume/slice-geometry.js';
import { registerImageMetadata } from '../imaging/cornerstone-setup.js';
import type { ViewerImage } from '../imaging/study-series.js';

const { ImageQualityStatus, RequestType } = Enums;

/** What is loaded: the whole series, fewer voxels, or a run of consecutive slices. */
export type VolumeVariant = { kind: 'full' } | { kind: 'decimate'; inPlane: number; slices: number } | { kind: 'slab'; first: number; count: number };

export interface VolumeProgress {
  /** Slices at full resolution / all slices. */
  loaded: number;
  /** Slices showing something (their own pixels or a neighbour's copy) / all slices. */
  covered: number;
  /** Slices that failed to load. */
  failed: number;
}

const STREAMING = 'cornerstoneStreamingImageVolume';
const DECIMATED = 'viewboxDecimatedVolume';
let registered = false;

/**
 * Volume slices in flight at once. All of them at once (Cornerstone's
 * default) floods the page with responses that wait behind one another for
 * the decoder, and the first complete view comes late; a few keep the
 * network and the decode worker busy in the order of the stages.
 */
const VOLUME_CONCURRENCY = 24;

function registerLoaders(): void {
  if (registered) return;
  registered = true;
  // Volume stages are Thumbnail requests, as in Cornerstone's own progressive volume loading; nothing else here uses that type.
  imageLoadPoolManager.setMaxSimultaneousRequests(RequestType.Thumbnail, VOLUME_CONCURRENCY);
  volumeLoader.registerVolumeLoader(DECIMATED, decimatedVolumeLoader as unknown as Types.VolumeLoaderFn);
}

/** Fills slices next to one that arrived with copies of it (coarse first, exact later). */
const neighbours = (offsets: number[], status: number) => offsets.map((offset) => ({ offset, imageQualityStatus: status }));

/**
 * The load order (lower priority numbers go first): the middle and last
 * slices, then every 8th; each fills up to 4 slices either side with copies,
 * so the whole volume shows after about an eighth of it arrived. Then the
 * slices between, halving the gaps.
 */
const COARSE_FILL = [...neighbours([-1, 1], ImageQualityStatus.ADJACENT_REPLICATE), ...neighbours([-4, -3, -2, 2, 3, 4], ImageQualityStatus.FAR_REPLICATE)];
const PROGRESSIVE_STAGES = [
  { id: 'middle-and-last', positions: [0.5, -1], priority: 1, requestType: RequestType.Thumbnail, nearbyFrames: COARSE_FILL },
  { id: 'every8th', decimate: 8, offset: 0, priority: 2, requestType: RequestType.Thumbnail, nearbyFrames: COARSE_FILL },
  { id: 'every4th', decimate: 8, offset: 4, priority: 3, requestType: RequestType.Thumbnail, nearbyFrames: neighbours([-1, 1], ImageQualityStatus.ADJACENT_REPLICATE) },
  { id: 'every2nd', decimate: 4, offset: 2, priority: 4, requestType: RequestType.Thumbnail, nearbyFrames: neighbours([-1, 1], ImageQualityStatus.ADJACENT_REPLICATE) },
  { id: 'rest', decimate: 2, offset: 1, priority: 5, requestType: RequestType.Thumbnail },
];

function volumeIdOf(seriesUid: string, variant: VolumeVariant): string {
  switch (variant.kind) {
    case 'full':
      return `${STREAMING}:${seriesUid}`;
    case 'decimate':
      return `${DECIMATED}:${seriesUid}:${variant.inPlane}x${variant.slices}`;
    case 'slab':
      return `${STREAMING}:${seriesUid}:${variant.first}+${variant.count}`;
  }
}

/** Decimated image ids carry a fragment for the loader; the metadata must be found under them too. */
function registerDecimatedMetadata(images: readonly ViewerImage[], inPlane: number): void {
  if (inPlane > 1) registerImageMetadata(images.map((image) => ({ ...image, imageId: `${image.imageId}#decimation=${inPlane}` })));
}

/**
 * Slices the stack view decoded (before, or while the volume loads) go into
 * the volume at once, not when their turn in the load order comes: the first
 * complete view needs no request for them (their own requests then find them
 * done). Returns what stops watching.
 */
function takeCachedSlices(volume: Types.IImageVolume): () => void {
  const streaming = volume as unknown as { successCallback?: (imageId: string, image: Types.IImage) => void; cachedFrames: Array<number | undefined> };
  const take = (imageId: string, image: Types.IImage | undefined) => {
    const index = volume.getImageIdIndex(imageId);
    if (!image || index === undefined || streaming.cachedFrames[index] === ImageQualityStatus.FULL_RESOLUTION) return;
    if ((image.imageQualityStatus ?? ImageQualityStatus.FULL_RESOLUTION) === ImageQualityStatus.FULL_RESOLUTION) streaming.successCallback?.(imageId, image);
  };
  for (const imageId of volume.imageIds) take(imageId, cache.getImage(imageId, ImageQualityStatus.FULL_RESOLUTION));
  const onAdded = (event: Event) => {
    const entry = (event as CustomEvent<{ image?: { imageId?: string; image?: Types.IImage } }>).detail.image;
    if (entry?.imageId) take(entry.imageId, entry.image);
  };
  eventTarget.addEventListener(Enums.Events.IMAGE_CACHE_IMAGE_ADDED, onAdded);
  return () => eventTarget.removeEventListener(Enums.Events.IMAGE_CACHE_IMAGE_ADDED, onAdded);
}

/**
 * A gantry-tilted stack, drawn where its slices are: the volume's slice axis
 * becomes the step from one slice's position to the next (along the tilt),
 * instead of the normal Cornerstone assumes. Each slice is then drawn
 * shifted in its own plane by its offset: the shear is undone exactly,
 * without resampling a voxel.
 */
function shearToPositions(volume: Types.IImageVolume): void {
  const ids = volume.imageIds;
  const positionOf = (imageId: string) => (metaData.get(Enums.MetadataModules.IMAGE_PLANE, imageId) as { imagePositionPatient?: Types.Point3 } | undefined)?.imagePositionPatient;
  const [first, last] = [positionOf(ids[0]!), positionOf(ids[ids.length - 1]!)];
  if (!first || !last || ids.length < 2) return;
  const step = [0, 1, 2].map((k) => (last[k]! - first[k]!) / (ids.length - 1));
  const length = Math.hypot(step[0]!, step[1]!, step[2]!);
  const direction = [...volume.direction.slice(0, 6), ...step.map((c) => c / length)] as Types.Mat3;
  const spacing: Types.Point3 = [volume.spacing[0], volume.spacing[1], length];
  volume.direction = direction;
  volume.spacing = spacing;
  volume.imageData?.setDirection(direction);
  volume.imageData?.setSpacing(spacing);
  volume.imageData?.modified();
}

const RELEASE_GRACE_MS = 5000;

/** Volumes in use, by id, with the number of panes using each: the last one out frees it. */
const users = new Map<string, number>();

export interface SeriesVolume {
  volumeId: string;
  volume: Types.IImageVolume;
  progress(): VolumeProgress;
  /** Calls `listener` as slices arrive (and once now); returns what stops it. */
  onProgress(listener: (progress: VolumeProgress) => void): () => void;
  release(): void;
}

/**
 * Creates (or reuses) the volume of `images` (in spatial order, as the
 * reconstruction check returned them) and starts loading it.
 */
export async function openSeriesVolume(seriesUid: string, images: readonly ViewerImage[], variant: VolumeVariant, tilt?: GantryTilt): Promise<SeriesVolume> {
  registerLoaders();
  registerImageMetadata(images);
  const chosen = variant.kind === 'slab' ? images.slice(variant.first, variant.first + variant.count) : images;
  if (variant.kind === 'decimate') registerDecimatedMetadata(chosen, variant.inPlane);
  const volumeId = volumeIdOf(seriesUid, variant);
  users.set(volumeId, (users.get(volumeId) ?? 0) + 1);
  let volume = cache.getVolume(volumeId);
  if (!volume) {
    utilities.imageRetrieveMetadataProvider.add(volumeId, { stages: PROGRESSIVE_STAGES });
    const options = { imageIds: chosen.map((image) => image.imageId), ...(variant.kind === 'decimate' ? { ijkDecimation: [variant.inPlane, variant.inPlane, variant.slices] as [number, number, number] } : {}) };
    volume = await volumeLoader.createAndCacheVolume(volumeId, options);
    // The panes redraw as slices arrive, at a pace the renderer can follow (progressive-render.ts).
    (volume as unknown as { autoRenderOnLoad: boolean }).autoRenderOnLoad = false;
    if (tilt) shearToPositions(volume);
  }
  (volume as Types.IStreamingImageVolume).load?.();
  const stopTaking = takeCachedSlices(volume);
  const imageIds = volume.imageIds;
  // The volume's own record of each slice's quality, set before it announces the slice (the image cache's entry may come later).
  const qualities = () => (volume as unknown as { cachedFrames: Array<number | undefined> }).cachedFrames;
  const progress = (): VolumeProgress => {
    let loaded = 0;
    let covered = 0;
    const frames = qualities();
    for (let i = 0; i < imageIds.length; i++) {
      const quality = frames[i];
      if (!quality) continue;
      covered++;
      if (quality >= ImageQualityStatus.FULL_RESOLUTION) loaded++;
    }
    if ((volume as Types.IStreamingImageVolume).loadStatus?.loaded) loaded = imageIds.length - failures.size;
    return { loaded: loaded / imageIds.length, covered: Math.max(covered, loaded) / imageIds.length, failed: failures.size / imageIds.length };
  };
  const failures = new Set<string>();
  const onError = (event: Event) => {
    const { imageId } = (event as CustomEvent<{ imageId?: string }>).detail;
    if (imageId && imageIds.includes(imageId)) failures.add(imageId);
  };
  eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_ERROR, onError);
  let released = false;
  return {
    volumeId,
    volume,
    progress,
    onProgress(listener) {
      const notify = (event: Event) => {
        if ((event as CustomEvent<{ volumeId?: string }>).detail.volumeId === volumeId) listener(progress());
      };
      eventTarget.addEventListener(Enums.Events.IMAGE_VOLUME_MODIFIED, notify);
      eventTarget.addEventListener(Enums.Events.IMAGE_VOLUME_LOADING_COMPLETED, notify);
      listener(progress());
      return () => {
        eventTarget.removeEventListener(Enums.Events.IMAGE_VOLUME_MODIFIED, notify);
        eventTarget.removeEventListener(Enums.Events.IMAGE_VOLUME_LOADING_COMPLETED, notify);
      };
    },
    release() {
      if (released) return;
      released = true;
      stopTaking();
      eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_ERROR, onError);
      const left = (users.get(volumeId) ?? 1) - 1;
      users.set(volumeId, left);
      if (left > 0) return;
      // Switching between MPR and 3D closes one pane and opens the other: the volume waits a moment for it.
      setTimeout(() => {
        // Absent: an earlier release's timer freed it already (the pane was closed, reopened and closed within the grace).
        if (!users.has(volumeId) || (users.get(volumeId) ?? 0) > 0) return;
        users.delete(volumeId);
        // Stops what is still queued and frees the volume; the decoded slices stay in the image cache for the stack view.
        (cache.getVolume(volumeId) as Types.IStreamingImageVolume | undefined)?.cancelLoading?.();
        cache.removeVolumeLoadObject(volumeId);
      }, RELEASE_GRACE_MS);
    },
  };
}

/** Resolves once the image cache holds every slice of the volume at full resolution (or after `timeoutMs`). */
export function cacheSettled(volume: Types.IImageVolume, timeoutMs = 2000): Promise<void> {
  const started = performance.now();
  return new Promise((resolve) => {
    const check = () => {
      const settled = volume.imageIds.every((imageId) => cache.getImageQuality(imageId) === ImageQualityStatus.FULL_RESOLUTION);
      if (settled || performance.now() - started > timeoutMs) resolve();
      else setTimeout(check, 10);
    };
    check();
  });
}

const BYTES_PER_VOXEL: Record<string, number> = { Uint8Array: 1, Int8Array: 1, Int16Array: 2, Uint16Array: 2, Float32Array: 4, Float64Array: 8 };

/** Raw voxel bytes of the volume: columns × rows × slices × bytes of its data type. */
export function voxelBytesOf(volume: Types.IImageVolume): number {
  const [columns, rows, slices] = volume.dimensions;
  return columns * rows * slices * (BYTES_PER_VOXEL[volume.dataType ?? 'Int16Array'] ?? 2);
}

/**
 * Bytes Cornerstone holds for the volume's slices: the typed arrays of its
 * image cache entries (pixel data of each slice; a slice shared with the
 * stack view counts once).
 */
export function heldBytesOf(volume: Types.IImageVolume): number {
  const arrays = new Set<ArrayBufferLike>();
  let bytes = 0;
  for (const imageId of volume.imageIds) {
    const data = cache.getImage(imageId)?.voxelManager?.getScalarData() as ArrayLike<number> & { buffer?: ArrayBufferLike } | undefined;
    if (!data?.buffer || arrays.has(data.buffer)) continue;
    arrays.add(data.buffer);
    bytes += data.buffer.byteLength;
  }
  return bytes;
}
