/**
 * Tools of the MPR planes: one Cornerstone tool group per volume, so that
 * every plane showing that volume (the three of a pane, or single planes a
 * hanging protocol spread over several cells) shares one crosshairs. The
 * mouse works as in the stack viewer (the chosen tool on the left button,
 * middle pans, right zooms, the wheel scrolls through the plane); the
 * crosshairs' reference lines are always drawn and can be dragged (a line
 * moves the other plane, its end handles rotate the planes obliquely, its
 * slab handles widen a slab), and Shift+click moves the crosshairs' centre
 * to the point clicked.
 */
import { Enums as CoreEnums, type Types } from '@cornerstonejs/core';
import {
  addTool,
  AngleTool,
  CobbAngleTool,
  CrosshairsTool,
  EllipticalROITool,
  Enums as ToolEnums,
  LengthTool,
  PanTool,
  ProbeTool,
  RectangleROITool,
  StackScrollTool,
  SynchronizerManager,
  synchronizers,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import { ENGINE_ID, renderingEngine, type PrimaryTool } from '../imaging/cornerstone-setup.js';

export type PlaneName = 'axial' | 'sagittal' | 'coronal';

export const PLANES: readonly PlaneName[] = ['axial', 'sagittal', 'coronal'];

export const ORIENTATION: Record<PlaneName, CoreEnums.OrientationAxis> = {
  axial: CoreEnums.OrientationAxis.AXIAL,
  sagittal: CoreEnums.OrientationAxis.SAGITTAL,
  coronal: CoreEnums.OrientationAxis.CORONAL,
};

/** Reference line colours by the plane they stand for (the usual red/yellow/green of MPR workstations). */
const PLANE_COLOURS: Record<PlaneName, string> = { axial: 'rgb(230, 60, 60)', sagittal: 'rgb(230, 210, 40)', coronal: 'rgb(60, 200, 90)' };

const TOOL_NAMES: Record<PrimaryTool, string> = {
  windowLevel: WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
  scroll: StackScrollTool.toolName,
  length: LengthTool.toolName,
  angle: AngleTool.toolName,
  cobbAngle: CobbAngleTool.toolName,
  rectangleRoi: RectangleROITool.toolName,
  ellipseRoi: EllipticalROITool.toolName,
  probe: ProbeTool.toolName,
};
const MEASUREMENT_TOOL_NAMES = [LengthTool, AngleTool, CobbAngleTool, RectangleROITool, EllipticalROITool, ProbeTool].map((t) => t.toolName);

/** Which plane a viewport id is (ids end in -axial, -sagittal, -coronal). */
export function planeOf(viewportId: string): PlaneName | undefined {
  return PLANES.find((plane) => viewportId.endsWith(`-${plane}`));
}

let crosshairsAdded = false;

interface Group {
  group: ToolTypes.IToolGroup;
  primary: PrimaryTool;
  voiSynchronizerId: string;
}

const groups = new Map<string, Group>();
let generation = 0;

const groupIdOf = (volumeId: string) => `viewbox-mpr-${volumeId}`;

function createGroup(volumeId: string, primary: PrimaryTool): Group {
  if (!crosshairsAdded) {
    // The other tools were added with the stack viewer's setup (renderingEngine() runs it).
    renderingEngine();
    addTool(CrosshairsTool);
    crosshairsAdded = true;
  }
  const id = groupIdOf(volumeId);
  const group = ToolGroupManager.createToolGroup(id);
  if (!group) throw new Error(`Cornerstone tool group ${id} could not be created`);
  for (const name of Object.values(TOOL_NAMES)) group.addTool(name);
  group.addTool(CrosshairsTool.toolName, {
    getReferenceLineColor: (viewportId: string) => PLANE_COLOURS[planeOf(viewportId) ?? 'axial'],
    getReferenceLineControllable: () => true,
    getReferenceLineDraggableRotatable: () => true,
    getReferenceLineSlabThicknessControlsOn: () => true,
  });
  const { MouseBindings } = ToolEnums;
  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
  group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
  group.setToolActive(TOOL_NAMES[primary], { bindings: [{ mouseButton: MouseBindings.Primary }] });
  for (const name of MEASUREMENT_TOOL_NAMES) if (name !== TOOL_NAMES[primary]) group.setToolPassive(name);
  const voiSynchronizerId = `viewbox-mpr-voi-${++generation}`;
  synchronizers.createVOISynchronizer(voiSynchronizerId, { syncInvertState: true, syncColormap: false });
  const created = { group, primary, voiSynchronizerId };
  groups.set(volumeId, created);
  return created;
}

/** The left button's tool in every MPR plane (the same choice as the stack viewer's). */
export function setMprPrimaryTool(tool: PrimaryTool): void {
  for (const entry of groups.values()) {
    if (entry.primary === tool) continue;
    const previous = TOOL_NAMES[entry.primary];
    if (MEASUREMENT_TOOL_NAMES.includes(previous)) entry.group.setToolPassive(previous);
    else entry.group.setToolDisabled(previous);
    entry.group.setToolActive(TOOL_NAMES[tool], { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
    entry.primary = tool;
  }
}

/** Adds a plane's viewport to its volume's tool group (created on first use); returns what takes it out. */
export function addPlane(volumeId: string, viewportId: string, primary: PrimaryTool): () => void {
  const entry = groups.get(volumeId) ?? createGroup(volumeId, primary);
  entry.group.addViewport(viewportId, ENGINE_ID);
  SynchronizerManager.getSynchronizer(entry.voiSynchronizerId)?.add({ renderingEngineId: ENGINE_ID, viewportId });
  const { MouseBindings, KeyboardBindings } = ToolEnums;
  // Crosshairs need two planes; with more, they are recomputed over all of them.
  if (entry.group.getViewportIds().length >= 2) {
    entry.group.setToolActive(CrosshairsTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary, modifierKey: KeyboardBindings.Shift }] });
  }
  return () => {
    SynchronizerManager.getSynchronizer(entry.voiSynchronizerId)?.remove({ renderingEngineId: ENGINE_ID, viewportId });
    entry.group.removeViewports(ENGINE_ID, viewportId);
    if (entry.group.getViewportIds().length === 0) {
      SynchronizerManager.destroySynchronizer(entry.voiSynchronizerId);
      ToolGroupManager.destroyToolGroup(entry.group.id);
      groups.delete(volumeId);
    }
  };
}

/** The crosshairs of a volume's planes, for commands (reset, where the centre is). */
export function crosshairsOf(volumeId: string): (CrosshairsTool & { toolCenter: Types.Point3 }) | undefined {
  return groups.get(volumeId)?.group.getToolInstance(CrosshairsTool.toolName) as (CrosshairsTool & { toolCenter: Types.Point3 }) | undefined;
}
