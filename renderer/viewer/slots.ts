/**
 * The viewer's slots: what other folders plug into it, registered in one
 * place (app/viewer-slots.tsx), the way OHIF's panel modules or VS Code's
 * view containers are. Side panels sit beside the viewport grid (the series
 * strip; the AI findings and send queue will be others), bars under the tool
 * bar (the hanging protocol's), the hanging protocols themselves
 * (hanging-slot.ts), viewport overlays over each stack viewport
 * (text, scale bar, orientation markers; SEG/RTSTRUCT/SR overlays will be
 * others), and viewport kinds show a cell another way than as a stack (MPR, 3D).
 */
import type { ComponentType } from 'react';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import type { ViewportKindProps } from '../imaging/viewport-kind.js';
import type { ViewportMode } from '../imaging/viewport-mode.js';
import type { Hanging, HangingProvider } from './hanging-slot.js';
import type { StudySession } from './use-study-session.js';
import type { DisplayState } from './ViewportOverlay.js';

interface Slot<Props> {
  id: string;
  title: string;
  /** Lower first. */
  order: number;
  component: ComponentType<Props>;
}

export interface SidePanelProps<H extends Hanging = Hanging> {
  session: StudySession<H>;
  onClose: () => void;
}

export interface SidePanel<H extends Hanging = Hanging> extends Slot<SidePanelProps<H>> {
  /** Left of the grid (`start`) or right of it (`end`). */
  side: 'start' | 'end';
  /** Open when the study opens; a panel that is not is opened and closed by the reader (Escape closes it). */
  initiallyOpen: boolean;
}

export interface BarProps<H extends Hanging = Hanging> {
  session: StudySession<H>;
  togglePanel: (id: string) => void;
}

export type Bar<H extends Hanging = Hanging> = Slot<BarProps<H>>;

export interface ViewportOverlayProps {
  instance: DicomJsonDataset;
  state: DisplayState;
  cineFps: number | undefined;
  /** The image is of another study than the one opened. */
  prior: boolean;
}

export type ViewportOverlay = Slot<ViewportOverlayProps>;

export type { ViewportKindProps };

export interface ViewportKind extends Slot<ViewportKindProps> {
  modes: ReadonlyArray<Exclude<ViewportMode, 'stack'>>;
}

export interface ViewerSlots<H extends Hanging = Hanging> {
  /** Hanging protocols: the one slot that is a hook, not a component. */
  hanging: HangingProvider<H>;
  sidePanels: readonly SidePanel<H>[];
  bars: readonly Bar<H>[];
  viewportOverlays: readonly ViewportOverlay[];
  viewportKinds: readonly ViewportKind[];
}

export function inOrder<T extends { order: number }>(slots: readonly T[]): T[] {
  return [...slots].sort((a, b) => a.order - b.order);
}
