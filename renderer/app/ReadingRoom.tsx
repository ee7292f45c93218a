/**
 * The viewer with what plugs into it, registered in one place: hanging
 * protocols, the series strip and the protocol editor as side panels, the hanging protocol's bar,
 * the text, scale bar and orientation markers over each stack viewport, and
 * MPR/3D as another kind of viewport. Feature folders do not import each
 * other; the shell puts them together here.
 */
import type { StudySummary } from '../../shared/api/app-api.js';
import { OrientationMarkers } from '../imaging/OrientationMarkers.js';
import { ReconstructionPane } from '../mpr/ReconstructionPane.js';
import { HangingBar } from '../protocols/HangingBar.js';
import { hangingProvider, type WindowHanging } from '../protocols/use-hanging.js';
import { ProtocolEditor } from '../protocols/ProtocolEditor.js';
import { SeriesStripPanel } from '../viewer/SeriesStrip.js';
import type { BarProps, SidePanelProps, ViewerSlots, ViewportOverlayProps } from '../viewer/slots.js';
import { PROTOCOL_EDITOR_PANEL, Viewer } from '../viewer/Viewer.js';
import { CornerTexts, ScaleBarOverlay } from '../viewer/ViewportOverlay.js';

function HangingProtocolBar({ session, togglePanel }: BarProps<WindowHanging>) {
  return <HangingBar hanging={session.hanging} remotePriors={session.hanging.remotePriors} spread={session.hanging.spread} manual={session.manual} onStage={session.changeStage} onEdit={() => togglePanel(PROTOCOL_EDITOR_PANEL)} />;
}

function ProtocolEditorPanel({ session, onClose }: SidePanelProps<WindowHanging>) {
  return session.hanging.catalog ? <ProtocolEditor hanging={session.hanging} onClose={onClose} panelId={PROTOCOL_EDITOR_PANEL} /> : null;
}

function OrientationMarkersOverlay({ state }: ViewportOverlayProps) {
  return <OrientationMarkers markers={state.markers} />;
}

const VIEWER_SLOTS: ViewerSlots<WindowHanging> = {
  hanging: hangingProvider,
  sidePanels: [
    { id: 'series', title: 'Series', order: 10, side: 'start', initiallyOpen: true, component: SeriesStripPanel },
    { id: PROTOCOL_EDITOR_PANEL, title: 'Hanging protocols', order: 10, side: 'end', initiallyOpen: false, component: ProtocolEditorPanel },
  ],
  bars: [{ id: 'hanging-protocol', title: 'Hanging protocol', order: 10, component: HangingProtocolBar }],
  viewportOverlays: [
    { id: 'corner-texts', title: 'Patient, study, image and display', order: 10, component: CornerTexts },
    { id: 'scale-bar', title: 'Scale bar', order: 20, component: ScaleBarOverlay },
    { id: 'orientation-markers', title: 'Orientation markers', order: 30, component: OrientationMarkersOverlay },
  ],
  viewportKinds: [{ id: 'reconstruction', title: 'MPR and 3D', order: 10, modes: ['mpr', 'mpr-axial', 'mpr-sagittal', 'mpr-coronal', '3d'], component: ReconstructionPane }],
};

export function ReadingRoom({ studyUid, onClose, onSend }: { studyUid: string; onClose: () => void; onSend: (study: StudySummary) => void }) {
  return <Viewer studyUid={studyUid} onClose={onClose} onSend={onSend} slots={VIEWER_SLOTS} />;
}
