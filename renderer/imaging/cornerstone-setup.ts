/**
 * Cornerstone3D, set up once per page: the core, the DICOM image loader
 * (wadors: image ids, decoding in web workers) and the tools. One rendering
 * engine and one tool group serve every stack viewport; viewports come and go
 * with the layout.
 */
import { Enums as CoreEnums, eventTarget, getEnabledElement, imageLoadPoolManager, init as initCore, RenderingEngine, utilities as coreUtilities, type StackViewport } from '@cornerstonejs/core';
import { init as initImageLoader, wadors } from '@cornerstonejs/dicom-image-loader';
import {
  addTool,
  AngleTool,
  CobbAngleTool,
  EllipticalROITool,
  Enums as ToolEnums,
  init as initTools,
  LengthTool,
  PanTool,
  RectangleROITool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  utilities as toolUtilities,
  ZoomTool,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { numbersOf } from './dicom-json.js';
import { ValueProbeTool } from './probe-tool.js';

export const ENGINE_ID = 'viewbox';
const TOOL_GROUP_ID = 'viewbox-stack';

/** What the left mouse button does; the others are fixed: middle pans, right zooms, the wheel scrolls. */
export type PrimaryTool = 'windowLevel' | 'pan' | 'zoom' | 'scroll' | MeasurementTool;

/** Tools that draw measurements (annotations): shown and editable whichever tool is chosen. */
export type MeasurementTool = 'length' | 'angle' | 'cobbAngle' | 'rectangleRoi' | 'ellipseRoi' | 'probe';

const MEASUREMENT_TOOLS: Record<MeasurementTool, { toolName: string }> = {
  length: LengthTool,
  angle: AngleTool,
  cobbAngle: CobbAngleTool,
  rectangleRoi: RectangleROITool,
  ellipseRoi: EllipticalROITool,
  probe: ValueProbeTool,
};

const TOOL_NAMES: Record<PrimaryTool, string> = {
  windowLevel: WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
  scroll: StackScrollTool.toolName,
  ...Object.fromEntries(Object.entries(MEASUREMENT_TOOLS).map(([id, tool]) => [id, tool.toolName])),
} as Record<PrimaryTool, string>;

let engine: RenderingEngine | undefined;
let toolGroup: ToolTypes.IToolGroup | undefined;
let primary: PrimaryTool = 'windowLevel';

function setUp(): void {
  // init() merges what it is given over its defaults; its type asks for a whole configuration.
  const overrides = {
    rendering: {
      // Stack viewports are cheap to draw; every WebGL context costs memory (and, in software rendering, time).
      webGlContextCount: 2,
    },
  } as unknown as Parameters<typeof initCore>[0];
  initCore(overrides);
  initImageLoader({ maxWebWorkers: Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)) });
  initTools();
  prefetchStacks();
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, LengthTool, AngleTool, CobbAngleTool, RectangleROITool, EllipticalROITool, ValueProbeTool]) addTool(tool);
  const group = ToolGroupManager.createToolGroup(TOOL_GROUP_ID);
  if (!group) throw new Error(`Cornerstone tool group ${TOOL_GROUP_ID} could not be created`);
  for (const name of Object.values(TOOL_NAMES)) group.addTool(name);
  const { MouseBindings } = ToolEnums;
  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
  group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
  group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
  for (const { toolName } of Object.values(MEASUREMENT_TOOLS)) {
    labelDetectorPlane(group, toolName);
    // Passive: measurements already drawn stay visible and can be moved, whichever tool the left button has.
    group.setToolPassive(toolName);
  }
  toolGroup = group;
  engine = new RenderingEngine(ENGINE_ID);
}

/**
 * Image loads in flight for prefetching (stack prefetch and volume
 * streaming). Cornerstone's default (1,000) hands a whole series to the
 * browser at once, which sends six requests per host and queues the rest
 * where they can no longer be re-ordered: an image asked for by scrolling or
 * a jump then waits behind hundreds of them. Six keep the browser's
 * connections busy and the rest of the queue re-orderable.
 */
const PREFETCH_CONCURRENCY = 6;

type ElementEvent = CustomEvent<{ element: HTMLDivElement }>;

/**
 * Each stack viewport loads the images next to the one shown before they are
 * asked for, more of them in the direction of scrolling, then the rest of the
 * series while the cache has room (Cornerstone's stack context prefetch), so
 * that scrolling draws images already decoded. It starts when a new stack's
 * first image has been drawn, not to delay it, and what is still queued for a
 * stack viewport that goes away (another study opened) is dropped, unless
 * another stack viewport shows the image too or a volume is loading it.
 */
function prefetchStacks(): void {
  const { Events, RequestType } = CoreEnums;
  imageLoadPoolManager.setMaxSimultaneousRequests(RequestType.Prefetch, PREFETCH_CONCURRENCY);
  const watched = new WeakSet<HTMLDivElement>();
  eventTarget.addEventListener(Events.ELEMENT_ENABLED, (event: Event) => {
    const { element } = (event as ElementEvent).detail;
    if (watched.has(element)) return;
    watched.add(element);
    element.addEventListener(Events.VIEWPORT_NEW_IMAGE_SET, () => {
      element.addEventListener(Events.IMAGE_RENDERED, () => toolUtilities.stackContextPrefetch.enable(element), { once: true });
    });
  });
  eventTarget.addEventListener(Events.ELEMENT_DISABLED, (event: Event) => {
    const { element } = (event as ElementEvent).detail;
    const viewport = getEnabledElement(element)?.viewport;
    if (viewport?.type !== CoreEnums.ViewportType.STACK) return;
    const stack = viewport as StackViewport;
    toolUtilities.stackContextPrefetch.disable(element);
    const stacks = renderingEngine()
      .getViewports()
      .filter((v): v is StackViewport => v.type === CoreEnums.ViewportType.STACK && v.element !== element);
    const others = new Set(stacks.flatMap((v) => v.getImageIds()));
    const dropped = new Set(stack.getImageIds().filter((id) => !others.has(id)));
    imageLoadPoolManager.filterRequests(({ type, additionalDetails }) => type !== RequestType.Prefetch || additionalDetails.volumeId !== undefined || !dropped.has(String(additionalDetails.imageId)));
  });
}

let resizePending = false;

/** Zoom 1 and no pan, as a stack is shown until the reader zooms or pans (rotation and flips aside). */
function isFitted(viewport: StackViewport): boolean {
  const { zoom = 1, pan = [0, 0] } = viewport.getViewPresentation({ zoom: true, pan: true });
  return Math.abs(zoom - 1) < 1e-3 && Math.hypot(pan[0], pan[1]) < 0.5;
}

/**
 * Layout changes resize several viewports at once: one engine resize per
 * frame covers them all. Cornerstone keeps each camera's height in mm through
 * a resize, so a fitted image would end too small or cut off, and a zoomed one
 * would change magnification: stacks the reader has not zoomed or panned are
 * fitted again, the others keep their mm per screen pixel (and the point at the centre).
 * Sizes are the ones Cornerstone draws at: the canvas's CSS size has already changed.
 */
export function scheduleEngineResize(): void {
  if (resizePending) return;
  resizePending = true;
  requestAnimationFrame(() => {
    resizePending = false;
    const engine = renderingEngine();
    const before = engine
      .getViewports()
      .filter((v): v is StackViewport => v.type === CoreEnums.ViewportType.STACK && (v as StackViewport).getImageIds().length > 0)
      .map((viewport) => ({ viewport, fitted: isFitted(viewport), parallelScale: viewport.getCamera().parallelScale, height: viewport.sHeight }));
    engine.resize(true, true);
    for (const { viewport, fitted, parallelScale, height } of before) {
      const newHeight = viewport.sHeight;
      if (fitted) viewport.setViewPresentation({ zoom: 1, pan: [0, 0] });
      else if (parallelScale && height > 0 && newHeight > 0 && newHeight !== height) viewport.setCamera({ parallelScale: (parallelScale * newHeight) / height });
      else continue;
      viewport.render();
    }
  });
}

/** The page's rendering engine (Cornerstone is initialised on first use). */
export function renderingEngine(): RenderingEngine {
  if (!engine) setUp();
  return engine!;
}

export function stackToolGroup(): ToolTypes.IToolGroup {
  if (!toolGroup) setUp();
  return toolGroup!;
}

export function primaryTool(): PrimaryTool {
  return primary;
}

export function setPrimaryTool(tool: PrimaryTool): void {
  const group = stackToolGroup();
  if (tool === primary) return;
  group.setToolPassive(TOOL_NAMES[primary]);
  group.setToolActive(TOOL_NAMES[tool], { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
  primary = tool;
}

/** Cornerstone's suffix for lengths calibrated only by Imager Pixel Spacing (a projection image). */
const PROJECTION_SUFFIX = ` ${CoreEnums.CalibrationTypes.PROJECTION}`;
export const DETECTOR_PLANE_LABEL = ' (at detector plane)';

/** Measurement texts say so when a length is at the detector plane, not at the patient. */
function labelDetectorPlane(group: ToolTypes.IToolGroup, toolName: string): void {
  const tool = group.getToolInstance(toolName) as { configuration: { getTextLines?: (...args: unknown[]) => string[] | undefined } };
  const original = tool.configuration.getTextLines;
  if (!original) return;
  tool.configuration.getTextLines = (...args) => original(...args)?.map((line) => line.replaceAll(PROJECTION_SUFFIX, DETECTOR_PLANE_LABEL));
}

/**
 * Give the DICOM image loader the instance metadata of each image id (the
 * wadors metadata provider reads it). A projection image with Imager Pixel
 * Spacing and no Pixel Spacing is measured in mm at the detector plane.
 */
export function registerImageMetadata(images: ReadonlyArray<{ imageId: string; instance: DicomJsonDataset }>): void {
  for (const { imageId, instance } of images) {
    wadors.metaDataManager.add(imageId, instance as never);
    const imagerSpacing = numbersOf(instance, '00181164');
    if (imagerSpacing?.length === 2 && !numbersOf(instance, '00280030')) {
      coreUtilities.calibratedPixelSpacingMetadataProvider.add(imageId, { type: CoreEnums.CalibrationTypes.PROJECTION, rowPixelSpacing: imagerSpacing[0], columnPixelSpacing: imagerSpacing[1] });
    }
  }
}

export const STACK_VIEWPORT = CoreEnums.ViewportType.STACK;
