/**
 * What the viewer needs of hanging protocols, as a slot: the protocols room
 * provides it (protocols/use-hanging.ts) and the shell hands it in
 * (app/ReadingRoom.tsx), so the viewer does not import that room. `H` is the
 * provider's whole state, passed on untouched to the panels and bars that
 * come with it.
 */
import type { FoldedViewport } from '../../shared/hanging-protocols/screen-folding.js';
import type { ProtocolResult } from '../../shared/hanging-protocols/types.js';
import type { Layout } from '../imaging/layouts.js';
import type { ViewerSeries } from '../imaging/study-series.js';

/** The part of a stage this window shows. */
export interface HangingPlan {
  layout: Layout;
  /** One per layout cell, in cell order. */
  viewports: FoldedViewport[];
}

export interface Hanging {
  result: ProtocolResult | undefined;
  /** Index of the stage shown, in `result.stages`. */
  stage: number;
  error: string | undefined;
  /** This window's part of the stage, once the protocol has hung it. */
  plan: HangingPlan | undefined;
  nextStage: () => void;
  previousStage: () => void;
  nextProtocol: () => void;
}

export interface HangingProvider<H extends Hanging> {
  /** A hook: called on every render of the viewer, always the same function. */
  useHanging: (studyUid: string) => H;
  /** The series a hung viewport shows, from those loaded (a split view is a series of its own). */
  seriesForViewport: (viewport: FoldedViewport, loaded: readonly ViewerSeries[]) => ViewerSeries | undefined;
}
