/**
 * One viewport of the grid: a Cornerstone3D stack viewport showing one
 * series, its overlays, and a drop target for series dragged from the strip.
 */
import { Enums, type StackViewport } from '@cornerstonejs/core';
import { useEffect, useRef, useState } from 'react';
import { registerImageMetadata, renderingEngine, scheduleEngineResize, STACK_VIEWPORT, stackToolGroup } from '../imaging/cornerstone-setup.js';
import type { ViewerSeries } from '../imaging/study-series.js';
import { TAG } from '../imaging/dicom-json.js';
import type { EdgeMarkers } from '../../shared/volume/orientation-labels.js';
import { viewMarkers } from '../imaging/view-markers.js';
import { seriesDropTarget } from '../imaging/series-drop.js';
import type { ViewportOverlay } from './slots.js';
import type { DisplayState } from './ViewportOverlay.js';
import { StackScrollbar } from './StackScrollbar.js';
import { overlayTextPx, type Box } from './overlay-layout.js';
import { scrollTo } from './viewport-commands.js';
import { voiRangeOf } from '../imaging/voi-presets.js';

interface Props {
  viewportId: string;
  index: number;
  /** The study opened; a series of another study (a prior) is labelled so. */
  studyUid: string;
  series: ViewerSeries | undefined;
  active: boolean;
  showOverlays: boolean;
  /** Drawn over the image, in order, while overlays are shown. */
  overlays: readonly ViewportOverlay[];
  /** Frames per second while cine plays in this viewport. */
  cineFps: number | undefined;
  style: React.CSSProperties;
  onActivate: () => void;
  onDropSeries: (seriesIndex: number) => void;
  /** How a hanging protocol wants the series shown when it is put in (window, first image, invert, flip). */
  initialView?: InitialView | undefined;
  /** Shown in an empty viewport: why the hanging protocol left it empty. */
  emptyReason?: string | undefined;
}

export interface InitialView {
  voi?: { width: number; center: number } | undefined;
  invert: boolean;
  initialImage: 'first' | 'middle' | 'last';
  flipHorizontal: boolean;
}

function sameMarkers(a: EdgeMarkers | undefined, b: EdgeMarkers | undefined): boolean {
  return a === b || (!!a && !!b && a.top === b.top && a.bottom === b.bottom && a.left === b.left && a.right === b.right);
}

function sameBox(a: Box | undefined, b: Box | undefined): boolean {
  return a === b || (!!a && !!b && a.left === b.left && a.top === b.top && a.right === b.right && a.bottom === b.bottom);
}

function sameState(a: DisplayState | undefined, b: DisplayState): boolean {
  return (
    !!a &&
    a.index === b.index &&
    a.total === b.total &&
    a.invert === b.invert &&
    a.zoom === b.zoom &&
    a.mmPerPixel === b.mmPerPixel &&
    a.width === b.width &&
    a.height === b.height &&
    a.textPx === b.textPx &&
    sameBox(a.imageBox, b.imageBox) &&
    a.voi?.lower === b.voi?.lower &&
    a.voi?.upper === b.voi?.upper &&
    sameMarkers(a.markers, b.markers)
  );
}

/** Image mm per CSS pixel as drawn (world units are mm, from the pixel spacing). */
function mmPerPixelOf(viewport: StackViewport): number {
  const [x0, y0, z0] = viewport.canvasToWorld([0, 0]);
  const [x1, y1, z1] = viewport.canvasToWorld([100, 0]);
  return Math.hypot(x1 - x0, y1 - y0, z1 - z0) / 100;
}

/** Where the image is drawn, in CSS pixels of the canvas: its four corners (pixel edges) through the view, so rotation and flips count. */
function imageBoxOf(viewport: StackViewport): Box | undefined {
  const image = viewport.getImageData();
  if (!image) return undefined;
  const { origin, direction, spacing, dimensions } = image;
  const points = [-0.5, dimensions[0] - 0.5].flatMap((i) =>
    [-0.5, dimensions[1] - 0.5].map((j) => {
      const [u, v] = [i * spacing[0], j * spacing[1]];
      return viewport.worldToCanvas([0, 1, 2].map((k) => origin[k]! + direction[k]! * u + direction[k + 3]! * v) as [number, number, number]);
    }),
  );
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
}

/** Why an image did not load: the loader rejects with an Error, or with the failed XMLHttpRequest. */
function loadFailure(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error instanceof XMLHttpRequest) return `the node answered ${error.status} ${error.statusText} for ${error.responseURL}`;
  return 'the first image could not be loaded';
}

/** What of a hung view matters to the reader: the same key means nothing to apply again. */
function viewKeyOf(view: InitialView | undefined): string | undefined {
  return view && JSON.stringify([view.voi?.width, view.voi?.center, view.invert, view.initialImage, view.flipHorizontal]);
}

function initialIndex(view: InitialView, count: number): number {
  const last = count - 1;
  return view.initialImage === 'middle' ? Math.floor(last / 2) : view.initialImage === 'last' ? last : 0;
}

/** A hanging protocol's window, inversion and flip, on a stack just set. */
function applyInitialView(viewport: StackViewport, view: InitialView): void {
  const { voi } = view;
  viewport.setProperties({ ...(voi ? { voiRange: voiRangeOf(voi.width, voi.center) } : {}), invert: view.invert });
  if (view.flipHorizontal) viewport.setCamera({ flipHorizontal: true });
}

export function stackViewport(viewportId: string): StackViewport | undefined {
  return renderingEngine().getViewport(viewportId) as StackViewport | undefined;
}

export function StackPane({ viewportId, index, studyUid, series, active, showOverlays, overlays, cineFps, style, onActivate, onDropSeries, initialView, emptyReason }: Props) {
  const element = useRef<HTMLDivElement>(null);
  // The update below runs from Cornerstone's events: it reads the series through a ref.
  const seriesRef = useRef(series);
  seriesRef.current = series;
  const initialViewRef = useRef(initialView);
  initialViewRef.current = initialView;
  /** The hung view last applied (see viewKeyOf). */
  const appliedKey = useRef<string>(undefined);
  const [state, setState] = useState<DisplayState>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const el = element.current!;
    const engine = renderingEngine();
    engine.enableElement({ viewportId, type: STACK_VIEWPORT, element: el, defaultOptions: { background: [0, 0, 0] } });
    stackToolGroup().addViewport(viewportId, engine.id);
    const update = () => {
      const viewport = stackViewport(viewportId);
      if (!viewport || viewport.getImageIds().length === 0) return;
      const properties = viewport.getProperties();
      const index = viewport.getCurrentImageIdIndex();
      // Without Image Orientation (Patient) the geometry is Cornerstone's default, not the patient's.
      const oriented = !!seriesRef.current?.images[index]?.instance[TAG.imageOrientation];
      const next: DisplayState = {
        index,
        total: viewport.getImageIds().length,
        voi: properties.voiRange ? { lower: properties.voiRange.lower, upper: properties.voiRange.upper } : undefined,
        zoom: viewport.getZoom(),
        invert: !!properties.invert,
        markers: oriented ? viewMarkers(viewport) : undefined,
        mmPerPixel: mmPerPixelOf(viewport),
        width: viewport.canvas.clientWidth,
        height: viewport.canvas.clientHeight,
        imageBox: imageBoxOf(viewport),
        textPx: overlayTextPx(viewport.canvas.clientWidth, viewport.canvas.clientHeight, window.devicePixelRatio),
      };
      setState((current) => (sameState(current, next) ? current : next));
    };
    const events = [Enums.Events.IMAGE_RENDERED, Enums.Events.STACK_NEW_IMAGE, Enums.Events.VOI_MODIFIED, Enums.Events.CAMERA_MODIFIED];
    for (const name of events) el.addEventListener(name, update);
    const resizes = new ResizeObserver(scheduleEngineResize);
    resizes.observe(el);
    return () => {
      resizes.disconnect();
      for (const name of events) el.removeEventListener(name, update);
      stackToolGroup().removeViewports(engine.id, viewportId);
      engine.disableElement(viewportId);
    };
  }, [viewportId]);

  useEffect(() => {
    const viewport = stackViewport(viewportId);
    if (!viewport || !series) return;
    setError(undefined);
    setState(undefined);
    registerImageMetadata(series.images);
    const view = initialViewRef.current;
    appliedKey.current = viewKeyOf(view);
    viewport.setStack(series.images.map((image) => image.imageId), view ? initialIndex(view, series.images.length) : 0).then(
      () => {
        if (view) applyInitialView(viewport, view);
        viewport.render();
      },
      (e: unknown) => setError(`Series ${series.number ?? ''} ${series.description}: ${loadFailure(e)}`),
    );
  }, [viewportId, series]);

  // A stage hung again over the same series: its view applies without reloading the stack; the same
  // view hung again (the protocol re-applied because a prior arrived) leaves the reader's window and image alone.
  const viewKey = viewKeyOf(initialView);
  useEffect(() => {
    const viewport = stackViewport(viewportId);
    const view = initialViewRef.current;
    if (!viewport || !view || viewKey === appliedKey.current || viewport.getImageIds().length === 0) return;
    appliedKey.current = viewKey;
    void viewport.setImageIdIndex(initialIndex(view, viewport.getImageIds().length));
    applyInitialView(viewport, view);
    viewport.render();
  }, [viewportId, viewKey]);

  const current = series && state ? series.images[state.index] : undefined;
  return (
    <div
      className={`viewport${active ? ' active' : ''}`}
      style={style}
      data-viewport-index={index}
      onMouseDownCapture={onActivate}
      onContextMenu={(e) => e.preventDefault()}
      {...seriesDropTarget(onDropSeries)}
    >
      <div ref={element} className="viewport-element" />
      {showOverlays && current && state && (
        <div className="overlay" aria-hidden="false" style={{ fontSize: `${state.textPx}px` }}>
          {overlays.map(({ id, component: Overlay }) => (
            <Overlay key={id} instance={current.instance} state={state} cineFps={cineFps} prior={series?.studyUid !== studyUid} />
          ))}
        </div>
      )}
      {state && (
        <StackScrollbar
          index={state.index}
          total={state.total}
          onScrollTo={(target) => {
            const viewport = stackViewport(viewportId);
            if (viewport) scrollTo(viewport, target);
          }}
        />
      )}
      {!series && <div className="viewport-empty">{emptyReason ?? 'Drop a series here'}</div>}
      {error && <div className="viewport-error">{error}</div>}
    </div>
  );
}
