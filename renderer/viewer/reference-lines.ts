/**
 * Reference lines: the active stack viewport's slice drawn as a line on every
 * other stack viewport of its frame of reference that shows another plane
 * (Cornerstone's ReferenceLinesTool, enabled in the stack tool group). MPR
 * planes show the same with their crosshairs.
 */
import { addTool, ReferenceLinesTool, utilities as toolUtilities } from '@cornerstonejs/tools';
import { stackToolGroup } from '../imaging/cornerstone-setup.js';

const TOOL = ReferenceLinesTool.toolName;

function ensureTool(): void {
  const group = stackToolGroup();
  if (group.hasTool(TOOL)) return;
  addTool(ReferenceLinesTool);
  // Across the whole target image, as reading workstations draw it (and not cut to what the source pane happens to show).
  group.addTool(TOOL, { showFullDimension: true });
}

/**
 * Draws the slice of `sourceViewportId` on the other stack viewports while
 * `on`; with it off (or no source), removes the lines.
 */
export function showReferenceLines(sourceViewportId: string | undefined, on: boolean): void {
  ensureTool();
  const group = stackToolGroup();
  if (on && sourceViewportId) {
    group.setToolConfiguration(TOOL, { sourceViewportId });
    group.setToolEnabled(TOOL);
  } else {
    group.setToolDisabled(TOOL);
  }
  // A disabled tool draws nothing: the next annotation render clears its lines.
  toolUtilities.triggerAnnotationRenderForViewportIds(group.getViewportIds());
}
