/**
 * A viewport cell showing its series as MPR planes or a volume rendering,
 * in place of the stack. Before anything is fetched, the series' geometry is
 * checked (a series that cannot be one undistorted volume is refused with
 * the reason) and its cost held against the memory budget (a series that
 * will not fit gets the reason and what would fit: fewer voxels, a slab of
 * slices, or the stack view).
 */
import type { StackViewport } from '@cornerstonejs/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { analyseSliceGeometry } from '../../shared/volume/slice-geometry.js';
import { sliceInputFromDicomJson } from '../../shared/volume/slice-input-from-dicom-json.js';
import { bytesPerVoxelOf, checkBudget, offerLabel, volumeShapeOf, type Offer } from '../../shared/volume/volume-budget.js';
import { renderingEngine } from '../imaging/cornerstone-setup.js';
import { numberOf } from '../imaging/dicom-json.js';
import { registerImageNumbers } from '../imaging/probe-tool.js';
import { seriesDropTarget } from '../imaging/series-drop.js';
import type { ViewerImage } from '../imaging/study-series.js';
import { thisMachine } from './machine.js';
import type { PlaneName } from './mpr-tools.js';
import { MprPlanes, type Arrangement } from './MprPlanes.js';
import { useSeriesVolume } from './use-series-volume.js';
import type { ViewportKindProps } from '../imaging/viewport-kind.js';
import { Volume3d } from './Volume3d.js';
import type { VolumeVariant } from './volume-loading.js';
import './mpr.css';


const FULL: VolumeVariant = { kind: 'full' };
const ALL_PLANES: readonly PlaneName[] = ['axial', 'sagittal', 'coronal'];
/** Wider than this (width / height), the three planes go side by side. */
const ROW_ASPECT = 2.4;

function planesOf(mode: ViewportKindProps['mode']): readonly PlaneName[] {
  return mode === 'mpr-axial' ? ['axial'] : mode === 'mpr-sagittal' ? ['sagittal'] : mode === 'mpr-coronal' ? ['coronal'] : ALL_PLANES;
}

/** The offer as what to load; a slab is centred on `around` (the image the stack showed). */
function variantOf(offer: Offer, slices: number, around: number): VolumeVariant | undefined {
  if (offer.kind === 'decimate') return { kind: 'decimate', inPlane: offer.inPlane, slices: offer.slices };
  if (offer.kind === 'slab') return { kind: 'slab', first: Math.min(slices - offer.count, Math.max(0, around - Math.floor(offer.count / 2))), count: offer.count };
  return undefined;
}

/** Bytes per voxel the volume will hold, from the first image's pixel attributes. */
function bytesPerVoxel(image: ViewerImage | undefined): number {
  const instance = image?.instance ?? {};
  return bytesPerVoxelOf({
    bitsAllocated: numberOf(instance, '00280100') ?? 16,
    bitsStored: numberOf(instance, '00280101'),
    pixelRepresentation: numberOf(instance, '00280103'),
    rescaleSlope: numberOf(instance, '00281053'),
    rescaleIntercept: numberOf(instance, '00281052'),
  });
}

function Message({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="mpr-message" role="status">
      <strong>{title}</strong>
      {children}
    </div>
  );
}

export function ReconstructionPane({ mode, viewportId, index, studyUid, series, active, showOverlays, tool, style, onActivate, onDropSeries, onStack, initialVoi }: ViewportKindProps) {
  const cell = useRef<HTMLDivElement>(null);
  const [arrangement, setArrangement] = useState<Arrangement>('1+2');
  /** The offer taken for a series over the budget (kept with the series it was taken for). */
  const [taken, setTaken] = useState<{ seriesUid: string; variant: VolumeVariant }>();

  // The stack's image when the pane replaced it (read while the stack viewport is still there): a slab is centred on it.
  const [stackImageId] = useState(() => (renderingEngine().getViewport(viewportId) as StackViewport | undefined)?.getCurrentImageId?.());

  const verdict = useMemo(() => (series ? analyseSliceGeometry(series.images.map((image) => ({ ...sliceInputFromDicomJson(image.instance), image }))) : undefined), [series]);
  const plan = verdict?.reconstructable ? verdict.plan : undefined;
  const ordered = useMemo<ViewerImage[] | undefined>(() => plan?.slices.map((slice) => slice.image), [plan]);
  const budget = useMemo(() => (plan ? checkBudget(volumeShapeOf(plan.grid, bytesPerVoxel(ordered?.[0])), thisMachine()) : undefined), [plan, ordered]);
  const chosen = taken && taken.seriesUid === series?.seriesUid ? taken.variant : undefined;
  const variant = budget?.fits ? FULL : chosen;
  const { volume, error } = useSeriesVolume(series?.seriesUid ?? '', ordered, variant, plan?.tilt);
  // A probe in a plane names its image by its number in the stack, as the stack's overlay does.
  useEffect(() => {
    if (series) registerImageNumbers(series.images.map((image) => image.imageId));
  }, [series]);

  useEffect(() => {
    const el = cell.current!;
    const observer = new ResizeObserver(() => setArrangement(el.clientWidth / Math.max(1, el.clientHeight) >= ROW_ASPECT ? '1x3' : '1+2'));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const planes = planesOf(mode);
  const title = mode === '3d' ? '3D is not available for this series' : 'MPR is not available for this series';
  let state: string;
  let body: React.ReactNode;
  if (!series) {
    state = 'empty';
    body = <div className="viewport-empty">Drop a series here</div>;
  } else if (verdict && !verdict.reconstructable) {
    state = 'refused';
    body = (
      <Message title={title}>
        <p className="mpr-reason">{verdict.reason}</p>
        <button type="button" onClick={onStack}>
          Back to the stack view
        </button>
      </Message>
    );
  } else if (budget && !budget.fits && !chosen) {
    state = 'over-budget';
    body = (
      <Message title="This series is too large to load as a volume here">
        <p className="mpr-reason">{budget.reason}</p>
        <div className="mpr-offers">
          {budget.offers.map((offer) => (
            <button key={offer.kind} type="button" data-offer={offer.kind} onClick={() => {
                const around = Math.max(0, ordered?.findIndex((image) => image.imageId === stackImageId) ?? 0);
                const offered = variantOf(offer, ordered?.length ?? 0, around);
                if (offered) setTaken({ seriesUid: series.seriesUid, variant: offered });
                else onStack();
              }}
            >
              {offerLabel(offer)}
            </button>
          ))}
        </div>
      </Message>
    );
  } else if (error) {
    state = 'error';
    body = <div className="viewport-error">{error}</div>;
  } else if (!volume) {
    state = 'opening';
    body = <div className="viewport-empty">Preparing the volume…</div>;
  } else {
    state = 'ready';
    body =
      mode === '3d' ? (
        <Volume3d viewportId={viewportId} volume={volume} instance={series.images[0]!.instance} prior={series.studyUid !== studyUid} modality={series.modality} showOverlays={showOverlays} />
      ) : (
        <MprPlanes viewportId={viewportId} volume={volume} instance={series.images[0]!.instance} prior={series.studyUid !== studyUid} planes={planes} arrangement={planes.length === 1 ? 'single' : arrangement} active={active} showOverlays={showOverlays} tool={tool} initialVoi={initialVoi} />
      );
  }

  return (
    <div
      ref={cell}
      title={plan?.notes.join(' ') || undefined}
      className={`viewport reconstruction${active ? ' active' : ''}`}
      style={style}
      data-viewport-index={index}
      data-mode={mode}
      data-state={state}
      data-variant={variant?.kind ?? ''}
      onMouseDownCapture={onActivate}
      onContextMenu={(e) => e.preventDefault()}
      {...seriesDropTarget(onDropSeries)}
    >
      {body}
      {state === 'ready' && plan?.label && <div className="mpr-correction">{plan.label}</div>}
    </div>
  );
}
