/**
 * The planes of an MPR pane: Cornerstone3D orthographic volume viewports
 * (axial, sagittal, coronal, or one of them) on one volume, with crosshairs
 * and reference lines, W/L kept equal between them, slab MIP/MinIP/average,
 * scrolling per plane, the measurement tools, and per plane its orientation
 * markers, position, window and slab in the corners.
 */
import { Enums, setVolumesForViewports, type Types, type VolumeViewport } from '@cornerstonejs/core';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../shared/error-message.js';
import type { ActionId } from '../app/lib/keyboard-map.js';
import { useShortcuts, type ShortcutHandlers } from '../app/lib/use-shortcuts.js';
import { renderingEngine, scheduleEngineResize, type PrimaryTool } from '../imaging/cornerstone-setup.js';
import type { EdgeMarkers } from '../../shared/volume/orientation-labels.js';
import { voiRangeOf, windowOf, windowPresets } from '../imaging/voi-presets.js';
import { addPlane, crosshairsOf, ORIENTATION, setMprPrimaryTool, type PlaneName } from './mpr-tools.js';
import { markMpr, MPR_MARKS } from './mpr-timing.js';
import { SINGLE_PLANE, slabLabel, thickerSlab, thinnerSlab, withMode, type Slab, type SlabMode } from './slab.js';
import { planePosition, viewMarkers } from '../imaging/view-markers.js';
import { OrientationMarkers } from '../imaging/OrientationMarkers.js';
import { PatientCorner, StudyCorner } from '../imaging/IdentityCorners.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { redrawWhileLoading } from './progressive-render.js';
import { fitVolume, PLANE_ROOM, refitVolume } from './camera-fit.js';
import { cacheSettled, heldBytesOf, voxelBytesOf, type SeriesVolume, type VolumeProgress } from './volume-loading.js';

/** Three planes side by side, or the first tall on the left and two stacked on the right. */
export type Arrangement = '1x3' | '1+2' | 'single';

interface Props {
  /** Prefix of the planes' viewport ids (`<id>-axial`, ...). */
  viewportId: string;
  volume: SeriesVolume;
  /** An instance of the series: whose images, which study and series (every plane says so). */
  instance: DicomJsonDataset;
  /** The series is of another study than the one opened. */
  prior: boolean;
  planes: readonly PlaneName[];
  arrangement: Arrangement;
  active: boolean;
  showOverlays: boolean;
  tool: PrimaryTool;
  /** The hanging protocol's window, applied to every plane once they are set up. */
  initialVoi?: { width: number; center: number } | undefined;
}

interface PlaneState {
  markers: EdgeMarkers | undefined;
  position: string | undefined;
  window: { width: number; center: number } | undefined;
  invert: boolean;
}

const PLANE_TITLES: Record<PlaneName, string> = { axial: 'Axial', sagittal: 'Sagittal', coronal: 'Coronal' };

const BLEND: Record<SlabMode, Enums.BlendModes> = {
  mip: Enums.BlendModes.MAXIMUM_INTENSITY_BLEND,
  minip: Enums.BlendModes.MINIMUM_INTENSITY_BLEND,
  average: Enums.BlendModes.AVERAGE_INTENSITY_BLEND,
};

/** Redraws of the planes while the volume arrives, at most this often (and at least twice a redraw's time apart). */
const REDRAW_INTERVAL_MS = 250;

/** Slices one Page Up / Page Down moves, as in the stack viewer. */
const PAGE = 10;

const planeId = (viewportId: string, plane: PlaneName) => `${viewportId}-${plane}`;

function volumeViewport(id: string): VolumeViewport | undefined {
  return renderingEngine().getViewport(id) as VolumeViewport | undefined;
}

function samePlaneState(a: PlaneState | undefined, b: PlaneState): boolean {
  const m = (x: EdgeMarkers | undefined) => (x ? `${x.top}${x.bottom}${x.left}${x.right}` : '');
  return !!a && m(a.markers) === m(b.markers) && a.position === b.position && a.window?.width === b.window?.width && a.window?.center === b.window?.center && a.invert === b.invert;
}

function applySlab(viewport: VolumeViewport, slab: Slab): void {
  if (slab.thickness <= 0) {
    viewport.setBlendMode(Enums.BlendModes.COMPOSITE, undefined, false);
    viewport.resetSlabThickness();
  } else {
    viewport.setBlendMode(BLEND[slab.mode], undefined, false);
    viewport.setSlabThickness(slab.thickness);
  }
  viewport.render();
}

export function MprPlanes({ viewportId, volume, instance, prior, planes, arrangement, active, showOverlays, tool, initialVoi }: Props) {
  const elements = useRef(new Map<PlaneName, HTMLDivElement>());
  const [states, setStates] = useState<Partial<Record<PlaneName, PlaneState>>>({});
  const [progress, setProgress] = useState<VolumeProgress>(() => volume.progress());
  const [slab, setSlab] = useState<Slab>(SINGLE_PLANE);
  const [ready, setReady] = useState(false);
  const [failure, setFailure] = useState<string>();
  /** The plane the keys scroll: the one last clicked. */
  const [focused, setFocused] = useState<PlaneName>(planes[0]!);
  const ids = planes.map((plane) => planeId(viewportId, plane));

  useEffect(() => {
    const engine = renderingEngine();
    const { volumeId } = volume;
    const removals: Array<() => void> = [];
    let cancelled = false;
    // The engine resizes the canvases in the next frame; the refit follows it in the same frame.
    const resizes = new ResizeObserver(() => {
      scheduleEngineResize();
      requestAnimationFrame(() => {
        if (cancelled) return;
        for (const id of ids) {
          const viewport = volumeViewport(id);
          if (viewport) refitVolume(viewport, volume.volume, PLANE_ROOM);
        }
      });
    });
    for (const plane of planes) {
      const element = elements.current.get(plane)!;
      engine.enableElement({
        viewportId: planeId(viewportId, plane),
        type: Enums.ViewportType.ORTHOGRAPHIC,
        element,
        defaultOptions: { orientation: ORIENTATION[plane], background: [0, 0, 0] as Types.Point3 },
      });
      resizes.observe(element);
    }
    const update = (plane: PlaneName) => () => {
      const viewport = volumeViewport(planeId(viewportId, plane));
      if (!viewport) return;
      const { voiRange, invert } = viewport.getProperties() ?? {};
      const next: PlaneState = {
        markers: viewMarkers(viewport),
        position: planePosition(viewport),
        window: voiRange ? windowOf(voiRange) : undefined,
        invert: !!invert,
      };
      setStates((current) => (samePlaneState(current[plane], next) ? current : { ...current, [plane]: next }));
    };
    const events = [Enums.Events.IMAGE_RENDERED, Enums.Events.CAMERA_MODIFIED, Enums.Events.VOI_MODIFIED];
    const listeners = planes.map((plane) => [elements.current.get(plane)!, update(plane)] as const);
    for (const [element, listener] of listeners) for (const name of events) element.addEventListener(name, listener);

    setVolumesForViewports(engine, [{ volumeId }], ids).then(
      () => {
        if (cancelled) return;
        for (const id of ids) removals.push(addPlane(volumeId, id, tool));
        for (const id of ids) {
          const viewport = volumeViewport(id);
          if (!viewport) continue;
          fitVolume(viewport, volume.volume, PLANE_ROOM);
          if (initialVoi) viewport.setProperties({ voiRange: voiRangeOf(initialVoi.width, initialVoi.center) });
        }
        engine.renderViewports(ids);
        setReady(true);
      },
      (e: unknown) => !cancelled && setFailure(`The MPR planes could not be set up: ${errorMessage(e)}`),
    );
    return () => {
      cancelled = true;
      resizes.disconnect();
      for (const [element, listener] of listeners) for (const name of events) element.removeEventListener(name, listener);
      for (const remove of removals) remove();
      for (const id of ids) engine.disableElement(id);
    };
    // The planes are built once per pane and volume; the tool and slab are applied by the effects below.
  }, [viewportId, volume, planes.join()]);

  useEffect(() => {
    if (ready) setMprPrimaryTool(tool);
  }, [tool, ready]);

  useEffect(() => {
    if (!ready) return;
    for (const id of ids) {
      const viewport = volumeViewport(id);
      if (viewport) applySlab(viewport, slab);
    }
  }, [slab, ready]);

  // Progress, and the marks: the first view of the whole (coarse) volume, then the whole volume at full resolution.
  useEffect(() => {
    if (!ready) return;
    let firstViewMarked = false;
    let loadedMarked = false;
    const renderedSinceCovered = new Set<string>();
    const onRendered = (event: Event) => {
      const id = (event as CustomEvent<{ viewportId?: string }>).detail.viewportId;
      if (firstViewMarked || !id || volume.progress().covered < 1) return;
      renderedSinceCovered.add(id);
      if (ids.every((planeViewport) => renderedSinceCovered.has(planeViewport))) {
        firstViewMarked = true;
        markMpr(MPR_MARKS.firstView, { volumeId: volume.volumeId, loaded: volume.progress().loaded });
      }
    };
    const elementsNow = [...elements.current.values()];
    for (const element of elementsNow) element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
    const stopRedrawing = redrawWhileLoading(volume, ids, elementsNow, REDRAW_INTERVAL_MS);
    const stop = volume.onProgress((p) => {
      setProgress(p);
      if (!loadedMarked && p.loaded >= 1) {
        loadedMarked = true;
        const loadedAt = performance.now();
        // The image cache files the last slices a moment after the volume has them: count what it holds then.
        void cacheSettled(volume.volume).then(() =>
          markMpr(MPR_MARKS.volumeLoaded, { volumeId: volume.volumeId, heldBytes: heldBytesOf(volume.volume), voxelBytes: voxelBytesOf(volume.volume) }, loadedAt),
        );
      }
    });
    return () => {
      stop();
      stopRedrawing();
      for (const element of elementsNow) element.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
    };
  }, [volume, ready]);

  const everyPlane = (command: (viewport: VolumeViewport) => void) => () => {
    for (const id of ids) {
      const viewport = volumeViewport(id);
      if (viewport) command(viewport);
    }
  };
  const scrollFocused = (delta: number) => () => {
    const viewport = volumeViewport(planeId(viewportId, focused));
    viewport?.scroll(delta);
  };
  const setWindow = (width: number, center: number) =>
    everyPlane((v) => {
      v.setProperties({ voiRange: voiRangeOf(width, center) });
      v.render();
    });
  const presetKeys = Object.fromEntries(windowPresets().map((preset, i) => [`preset${i + 1}` as ActionId, setWindow(preset.width, preset.center)])) as ShortcutHandlers;
  const END = 100_000;
  useShortcuts(
    'viewer',
    active && ready
      ? {
          imagePrevious: scrollFocused(-1),
          imageNext: scrollFocused(1),
          pagePrevious: scrollFocused(-PAGE),
          pageNext: scrollFocused(PAGE),
          imageFirst: scrollFocused(-END),
          imageLast: scrollFocused(END),
          ...presetKeys,
          presetDefault: everyPlane((v) => {
            const invert = !!v.getProperties()?.invert;
            v.resetProperties();
            if (invert) v.setProperties({ invert });
            v.render();
          }),
          invert: everyPlane((v) => {
            v.setProperties({ invert: !v.getProperties()?.invert });
            v.render();
          }),
          fit: everyPlane((v) => fitVolume(v, volume.volume, PLANE_ROOM)),
          reset: () => {
            setSlab(SINGLE_PLANE);
            everyPlane((v) => v.resetProperties())();
            crosshairsOf(volume.volumeId)?.resetCrosshairs();
            everyPlane((v) => fitVolume(v, volume.volume, PLANE_ROOM))();
          },
          slabThicker: () => setSlab((s) => ({ ...s, thickness: thickerSlab(s.thickness) })),
          slabThinner: () => setSlab((s) => ({ ...s, thickness: thinnerSlab(s.thickness) })),
          slabMip: () => setSlab((s) => withMode(s, 'mip')),
          slabMinip: () => setSlab((s) => withMode(s, 'minip')),
          slabAverage: () => setSlab((s) => withMode(s, 'average')),
        }
      : {},
    true,
  );

  const slabText = slabLabel(slab);
  return (
    <div className={`mpr-planes mpr-${arrangement}`} data-slab={slabText ?? ''}>
      {planes.map((plane, i) => {
        const state = states[plane];
        return (
          <div key={plane} className={`mpr-plane mpr-plane-${plane}`} data-plane={plane} onMouseDownCapture={() => setFocused(plane)}>
            <div ref={(el) => void (el ? elements.current.set(plane, el) : elements.current.delete(plane))} className="viewport-element" />
            {showOverlays && state && (
              <div className="overlay">
                <PatientCorner instance={instance} />
                <StudyCorner instance={instance} prior={prior} />
                <div className="corner bottom-left">
                  <div className="mpr-plane-title">{PLANE_TITLES[plane]}</div>
                  {state.position && <div className="mpr-plane-position">{state.position}</div>}
                  {i === 0 && progress.loaded < 1 && <div className="mpr-loading">Loading {Math.floor(progress.loaded * 100)}%</div>}
                  {i === 0 && progress.failed > 0 && <div className="mpr-failed">{Math.round(progress.failed * 100)}% of the slices failed to load</div>}
                </div>
                <div className="corner bottom-right">
                  {state.window && (
                    <div className="overlay-window">
                      W {Math.round(state.window.width)} L {Math.round(state.window.center)}
                      {state.invert && ' inv'}
                    </div>
                  )}
                  {slabText && <div className="mpr-slab">{slabText}</div>}
                </div>
                <OrientationMarkers markers={state.markers} />
              </div>
            )}
          </div>
        );
      })}
      {failure && <div className="viewport-error">{failure}</div>}
    </div>
  );
}
