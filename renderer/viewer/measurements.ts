/** Measurements (Cornerstone3D annotations) beyond drawing them: deleting the selected ones. */
import { annotation, utilities } from '@cornerstonejs/tools';
import { renderingEngine } from '../imaging/cornerstone-setup.js';

export function deleteSelectedMeasurements(): void {
  const selected = annotation.selection.getAnnotationsSelected();
  if (selected.length === 0) return;
  for (const uid of selected) annotation.state.removeAnnotation(uid);
  // Annotations are drawn (SVG) apart from the images: ask for that drawing again.
  utilities.triggerAnnotationRenderForViewportIds(renderingEngine().getViewports().map((v) => v.id));
}
