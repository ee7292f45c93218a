/**
 * Cornerstone's probe, made to tell the reader what the pixel is
 * (probe-reading.ts): value with unit or stored value, position in the
 * patient, pixel index. Registered under the probe's own name, so stored
 * probes come back as before. It also reads the value on every image of a
 * stack: Cornerstone's own looks the pixel up at the stack's image index in
 * the single image's data, so past the first image it found nothing and drew
 * the circle without a value.
 */
import { cache, metaData, utilities, type Types } from '@cornerstonejs/core';
import { ProbeTool } from '@cornerstonejs/tools';
import type { Vector3 } from '../../shared/volume/orientation-labels.js';
import { probeLines, type ProbeReading } from './probe-reading.js';

interface ProbeStats {
  index?: Types.Point3 | null;
  value?: number | null;
  Modality?: string | null;
  modalityUnit?: string;
  reading?: ProbeReading;
}

interface ProbeData {
  handles: { points: Types.Point3[] };
  cachedStats?: Record<string, ProbeStats>;
}

/** Each image's 1-based number in its series as the stack shows it (the MPR planes' volume is ordered otherwise). */
const imageNumbers = new Map<string, number>();

/** Remembers the stack order of a series' images, for probes in a volume of them. */
export function registerImageNumbers(imageIds: readonly string[]): void {
  imageIds.forEach((imageId, i) => imageNumbers.set(imageId, i + 1));
}

/** A decimated volume's image ids carry the decimation after '#'. */
const sourceImageId = (imageId: string) => imageId.split('#')[0]!;

function rescaleOf(imageId: string): ProbeReading['rescale'] {
  const lut = metaData.get('modalityLutModule', imageId) as { rescaleSlope?: number; rescaleIntercept?: number } | undefined;
  const slope = Number(lut?.rescaleSlope ?? 1);
  const intercept = Number(lut?.rescaleIntercept ?? 0);
  return Number.isFinite(slope) && Number.isFinite(intercept) ? { slope, intercept } : undefined;
}

/** The image a probe target reads, its number in the stack, and the value when Cornerstone had none. */
function sourceOf(targetId: string, index: Types.Point3, value: number | undefined): { imageId: string | undefined; image: number | undefined; value: number | undefined } {
  const [i, j, k] = index;
  if (targetId.startsWith('imageId:')) {
    const imageId = targetId.slice('imageId:'.length);
    const read = value ?? (cache.getImage(imageId)?.voxelManager?.getAtIJK(i, j, 0) as number | undefined);
    return { imageId, image: k + 1, value: read };
  }
  // A plane's target names the volume with the plane and slice after it ("volumeId:ID?sliceIndex=...").
  const volume = targetId.startsWith('volumeId:') ? cache.getVolume(utilities.getVolumeId(targetId)) : undefined;
  const imageId = volume && volume.imageIds.length === volume.dimensions[2] ? volume.imageIds[k] : undefined;
  return { imageId, image: imageId ? imageNumbers.get(sourceImageId(imageId)) : undefined, value };
}

function readingOf(targetId: string, stats: ProbeStats, world: Types.Point3): ProbeReading | undefined {
  if (!stats.index) return undefined;
  const source = sourceOf(targetId, stats.index, stats.value ?? undefined);
  return {
    modality: stats.Modality ?? undefined,
    value: source.value,
    unit: typeof stats.modalityUnit === 'string' ? stats.modalityUnit : '',
    rescale: source.imageId ? rescaleOf(source.imageId) : undefined,
    world: [world[0], world[1], world[2]] as Vector3,
    column: stats.index[0],
    row: stats.index[1],
    image: source.image,
  };
}

function textLines(data: ProbeData, targetId: string): string[] | undefined {
  const reading = data.cachedStats?.[targetId]?.reading;
  return reading && probeLines(reading);
}

export class ValueProbeTool extends ProbeTool {
  static override toolName = ProbeTool.toolName;

  constructor(toolProps = {}) {
    super(toolProps, { configuration: { getTextLines: textLines } });
  }

  override _calculateCachedStats(annotation: { data: ProbeData }, renderingEngine: unknown, enabledElement: unknown, changeType?: Parameters<ProbeTool['_calculateCachedStats']>[3]): Record<string, ProbeStats> {
    const stats = super._calculateCachedStats(annotation, renderingEngine, enabledElement, changeType) as Record<string, ProbeStats>;
    const world = annotation.data.handles.points[0];
    if (!world) return stats;
    for (const [targetId, target] of Object.entries(stats)) {
      const reading = readingOf(targetId, target, world);
      if (!reading) continue;
      target.reading = reading;
      if (reading.value !== undefined) target.value = reading.value;
    }
    return stats;
  }
}
