/** The props of a viewport kind: what the viewer gives a cell that shows its series other than as a stack (MPR, 3D). */
import type { CSSProperties } from 'react';
import type { PrimaryTool } from './cornerstone-setup.js';
import type { ViewerSeries } from './study-series.js';
import type { ViewportMode } from './viewport-mode.js';

export interface ViewportKindProps {
  mode: Exclude<ViewportMode, 'stack'>;
  /** The cell's viewport id; the planes are `<id>-axial`..., the 3D view `<id>-3d`. */
  viewportId: string;
  index: number;
  /** The study opened: a series of another study (a prior) is labelled so. */
  studyUid: string;
  series: ViewerSeries | undefined;
  active: boolean;
  showOverlays: boolean;
  tool: PrimaryTool;
  style: CSSProperties;
  onActivate: () => void;
  onDropSeries: (seriesIndex: number) => void;
  /** Back to the stack view (an offer, or after a refusal). */
  onStack: () => void;
  /** The window the hanging protocol asks for (e.g. lung on a CT chest); absent: the series' own. */
  initialVoi?: { width: number; center: number } | undefined;
}
