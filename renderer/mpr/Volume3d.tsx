/**
 * Volume rendering of a series: a Cornerstone3D 3D viewport (vtk.js ray
 * casting) with the presets of vr-presets.ts, rotate (left drag), zoom
 * (right drag, wheel), pan (middle drag), a clipping box (Cornerstone's
 * VolumeCroppingTool: drag the spheres on its faces and corners), and the
 * transfer-function editor over the volume's histogram.
 */
import { cache, CONSTANTS, Enums, getRenderingCapabilities, setVolumesForViewports, type Types, type VolumeViewport3D } from '@cornerstonejs/core';
import { addTool, Enums as ToolEnums, PanTool, ToolGroupManager, TrackballRotateTool, VolumeCroppingTool, ZoomTool } from '@cornerstonejs/tools';
import type vtkVolume from '@kitware/vtk.js/Rendering/Core/Volume';
import { BlendMode } from '@kitware/vtk.js/Rendering/Core/VolumeMapper/Constants.js';
import { useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../../shared/error-message.js';
import { ENGINE_ID, renderingEngine } from '../imaging/cornerstone-setup.js';
import { markMpr, MPR_MARKS } from './mpr-timing.js';
import { redrawWhileLoading } from './progressive-render.js';
import { TransferFunctionEditor } from './TransferFunctionEditor.js';
import { histogramOf, transferFunctionOf, type Histogram, type TransferFunction } from './transfer-function.js';
import type { SeriesVolume, VolumeProgress } from './volume-loading.js';
import { defaultVrPreset, VR_PRESETS, type VrPreset } from './vr-presets.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { PatientCorner, StudyCorner } from '../imaging/IdentityCorners.js';
import { axisEnds, type AxisEnd } from './orientation-axes.js';
import { OrientationAxes } from './OrientationAxes.js';
import { fitVolume, refitVolume, type FitRoom } from './camera-fit.js';

interface Props {
  viewportId: string;
  volume: SeriesVolume;
  /** An instance of the series: whose images, which study and series. */
  instance: DicomJsonDataset;
  /** The series is of another study than the one opened. */
  prior: boolean;
  modality: string;
  showOverlays: boolean;
}

/** Volume rendering is slow (seconds per frame in software): redraw at most this often while the volume arrives. */
const REDRAW_INTERVAL_MS = 1000;

/** Sample distance along each ray, times Cornerstone's default, when a software renderer draws. */
const SOFTWARE_SAMPLE_DISTANCE = 2;

/** Histogram bins, and every how many voxels of a slice the histogram reads. */
const HISTOGRAM_BINS = 128;
const HISTOGRAM_STRIDE = 7;

let toolsAdded = false;

function presetTransferFunction(preset: VrPreset): TransferFunction {
  const source = preset.points ?? CONSTANTS.VIEWPORT_PRESETS.find((p) => p.name === preset.cornerstonePreset);
  if (!source) throw new Error(`Cornerstone has no volume rendering preset named ${preset.cornerstonePreset}`);
  return transferFunctionOf(source);
}

/** The transfer function onto the volume's actor, exactly at the values given (HU for CT). */
function applyTransferFunction(viewport: VolumeViewport3D, tf: TransferFunction): void {
  const actor = viewport.getDefaultActor()?.actor as vtkVolume | undefined;
  if (!actor) return;
  const property = actor.getProperty();
  const colour = property.getRGBTransferFunction(0);
  colour.removeAllPoints();
  for (const p of tf.color) colour.addRGBPoint(p.value, p.rgb[0], p.rgb[1], p.rgb[2]);
  const opacity = property.getScalarOpacity(0);
  opacity.removeAllPoints();
  for (const p of tf.opacity) opacity.addPoint(p.value, p.opacity);
  viewport.render();
}

function volumeHistogram(volume: Types.IImageVolume): Histogram {
  const slices = function* () {
    for (const imageId of volume.imageIds) {
      const data = cache.getImage(imageId)?.voxelManager?.getScalarData();
      if (data) yield data as ArrayLike<number>;
    }
  };
  return histogramOf(slices(), HISTOGRAM_BINS, HISTOGRAM_STRIDE);
}

export function Volume3d({ viewportId, volume, instance, prior, modality, showOverlays }: Props) {
  const element = useRef<HTMLDivElement>(null);
  const toolbar = useRef<HTMLDivElement>(null);
  // The volume stays clear of the preset buttons (however many rows they wrap to), and of the axes below by symmetry.
  const room = (): FitRoom => ({ margin: 0.03, reserve: (toolbar.current?.offsetTop ?? 0) + (toolbar.current?.offsetHeight ?? 0) });
  const id = `${viewportId}-3d`;
  const [preset, setPreset] = useState<VrPreset>(() => defaultVrPreset(modality));
  const [tf, setTf] = useState<TransferFunction>(() => presetTransferFunction(defaultVrPreset(modality)));
  const [ready, setReady] = useState(false);
  const [clipping, setClipping] = useState(false);
  const [editing, setEditing] = useState(false);
  const [progress, setProgress] = useState<VolumeProgress>(() => volume.progress());
  const [histogram, setHistogram] = useState<Histogram>();
  const [failure, setFailure] = useState<string>();
  const [axes, setAxes] = useState<AxisEnd[]>();
  const groupId = `viewbox-3d-${id}`;

  useEffect(() => volume.onProgress(setProgress), [volume]);
  useEffect(() => (ready ? redrawWhileLoading(volume, [id], [element.current!], REDRAW_INTERVAL_MS) : undefined), [ready, volume, id]);
  const covered = progress.covered >= 1;

  // The volume is attached once every slice shows (its own pixels or a neighbour's): a frame costs seconds in
  // software rendering, and one of a half-empty volume would only delay the first useful one.
  useEffect(() => {
    if (!covered) return;
    const engine = renderingEngine();
    const el = element.current!;
    if (!toolsAdded) {
      addTool(TrackballRotateTool);
      addTool(VolumeCroppingTool);
      toolsAdded = true;
    }
    engine.enableElement({ viewportId: id, type: Enums.ViewportType.VOLUME_3D, element: el, defaultOptions: { background: [0, 0, 0] as Types.Point3, orientation: Enums.OrientationAxis.CORONAL } });
    const group = ToolGroupManager.createToolGroup(groupId);
    if (!group) throw new Error(`Cornerstone tool group ${groupId} could not be created`);
    let cancelled = false;
    let firstFrame = false;
    const onRendered = () => {
      if (firstFrame) return;
      firstFrame = true;
      markMpr(MPR_MARKS.firstVolumeRendering, { volumeId: volume.volumeId, loaded: volume.progress().loaded });
    };
    el.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
    let size = `${el.clientWidth}x${el.clientHeight}`;
    const resizes = new ResizeObserver(() => {
      // The first call only reports the size the viewport was made with.
      const now = `${el.clientWidth}x${el.clientHeight}`;
      if (now !== size)
        requestAnimationFrame(() => {
          engine.resize(true, true);
          const viewport = engine.getViewport(id) as VolumeViewport3D | undefined;
          if (viewport) refitVolume(viewport, volume.volume, room());
        });
      size = now;
    });
    resizes.observe(el);
    setVolumesForViewports(engine, [{ volumeId: volume.volumeId }], [id]).then(
      () => {
        if (cancelled) return;
        const viewport = engine.getViewport(id) as VolumeViewport3D;
        // A software renderer casts every ray on the CPU: half as many samples along each keeps a frame to seconds.
        if (getRenderingCapabilities().softwareRasterizer) viewport.setSampleDistanceMultiplier(SOFTWARE_SAMPLE_DISTANCE);
        for (const tool of [TrackballRotateTool, VolumeCroppingTool, ZoomTool, PanTool]) group.addTool(tool.toolName);
        group.addViewport(id, ENGINE_ID);
        const { MouseBindings } = ToolEnums;
        group.setToolActive(TrackballRotateTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
        group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }, { mouseButton: MouseBindings.Wheel }] });
        group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
        fitVolume(viewport, volume.volume, room());
        setReady(true);
      },
      (e: unknown) => !cancelled && setFailure(`The volume rendering could not be set up: ${errorMessage(e)}`),
    );
    return () => {
      cancelled = true;
      resizes.disconnect();
      el.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      ToolGroupManager.destroyToolGroup(groupId);
      engine.disableElement(id);
    };
  }, [id, groupId, volume, covered]);



  // The patient axes follow the camera: every rotation (drag, reset) moves them at once, before the slow frame is drawn.
  useEffect(() => {
    if (!ready) return;
    const el = element.current!;
    const update = () => {
      const { viewUp, viewPlaneNormal } = (renderingEngine().getViewport(id) as VolumeViewport3D | undefined)?.getCamera() ?? {};
      if (viewUp && viewPlaneNormal) setAxes(axisEnds(viewUp, viewPlaneNormal));
    };
    update();
    el.addEventListener(Enums.Events.CAMERA_MODIFIED, update);
    return () => el.removeEventListener(Enums.Events.CAMERA_MODIFIED, update);
  }, [ready, id]);

  // The preset's shading and lighting from Cornerstone, then its points as given (the editor's starting point).
  useEffect(() => {
    if (!ready) return;
    const viewport = renderingEngine().getViewport(id) as VolumeViewport3D | undefined;
    if (!viewport) return;
    viewport.setProperties({ preset: preset.cornerstonePreset });
    // The 3D viewport's own setBlendMode does nothing: the mapper is told directly.
    const actor = viewport.getDefaultActor()?.actor as vtkVolume | undefined;
    actor?.getMapper()?.setBlendMode(preset.blend === 'mip' ? BlendMode.MAXIMUM_INTENSITY_BLEND : BlendMode.COMPOSITE_BLEND);
    viewport.render();
  }, [ready, id, preset]);

  useEffect(() => {
    if (!ready) return;
    const viewport = renderingEngine().getViewport(id) as VolumeViewport3D | undefined;
    if (viewport) applyTransferFunction(viewport, tf);
  }, [ready, id, tf, preset]);

  // The clipping box: Cornerstone's cropping tool takes the left button (it rotates too, and drags the box's handles).
  useEffect(() => {
    if (!ready) return;
    const group = ToolGroupManager.getToolGroup(groupId);
    if (!group) return;
    const { MouseBindings } = ToolEnums;
    const primary = [{ mouseButton: MouseBindings.Primary }];
    if (clipping) {
      group.setToolDisabled(TrackballRotateTool.toolName);
      group.setToolActive(VolumeCroppingTool.toolName, { bindings: primary });
    } else if (group.getToolOptions(VolumeCroppingTool.toolName)?.mode === ToolEnums.ToolModes.Active) {
      group.setToolDisabled(VolumeCroppingTool.toolName);
      group.setToolActive(TrackballRotateTool.toolName, { bindings: primary });
    }
    (group.getToolInstance(VolumeCroppingTool.toolName) as VolumeCroppingTool | undefined)?.setClippingPlanesVisible?.(clipping);
  }, [ready, groupId, clipping]);

  // The histogram is read when the editor opens, and again once the whole volume arrived.
  useEffect(() => {
    if (editing) setHistogram(volumeHistogram(volume.volume));
  }, [editing, volume, progress.loaded >= 1]);

  const range = useMemo<readonly [number, number]>(() => (histogram && histogram.max > histogram.min ? [histogram.min, histogram.max] : [tf.opacity[0]?.value ?? 0, tf.opacity[tf.opacity.length - 1]?.value ?? 1]), [histogram, tf]);

  const choose = (next: VrPreset) => {
    setPreset(next);
    setTf(presetTransferFunction(next));
  };
  return (
    <div className="vr-pane">
      <div ref={element} className="viewport-element" />
      <div ref={toolbar} className="vr-toolbar">
        {VR_PRESETS.map((p) => (
          <button key={p.id} type="button" className={p.id === preset.id ? 'selected' : ''} data-preset={p.id} onClick={() => choose(p)}>
            {p.label}
          </button>
        ))}
        <button type="button" className={clipping ? 'selected' : ''} data-action="clip" onClick={() => setClipping((c) => !c)}>
          Clip
        </button>
        <button type="button" className={editing ? 'selected' : ''} data-action="transfer-function" onClick={() => setEditing((e) => !e)}>
          Transfer function
        </button>
        <button
          type="button"
          data-action="reset-3d"
          onClick={() => {
            const viewport = renderingEngine().getViewport(id) as VolumeViewport3D | undefined;
            if (viewport) fitVolume(viewport, volume.volume, room());
            setTf(presetTransferFunction(preset));
          }}
        >
          Reset
        </button>
      </div>
      {showOverlays && (
        <div className="overlay vr-overlay">
          <PatientCorner instance={instance} />
          <StudyCorner instance={instance} prior={prior} />
          {axes && (
            <div className="corner bottom-left">
              <OrientationAxes ends={axes} />
            </div>
          )}
        </div>
      )}
      {editing && <TransferFunctionEditor tf={tf} histogram={histogram} range={range} onChange={setTf} />}
      {showOverlays && progress.loaded < 1 && <div className="vr-loading">Loading {Math.floor(progress.loaded * 100)}%</div>}
      {failure && <div className="viewport-error">{failure}</div>}
    </div>
  );
}
