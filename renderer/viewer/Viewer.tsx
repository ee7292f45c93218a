/**
 * The study viewer: viewport grid of Cornerstone3D stack viewports, tool bar
 * and keyboard, around the study session (use-study-session.ts). Side
 * panels, bars, viewport overlays and other viewport kinds plug in through
 * its slots (slots.ts). Images come from the node's WADO-RS.
 */
import { utilities as toolUtilities } from '@cornerstonejs/tools';
import { useEffect, useMemo, useState } from 'react';
import type { StudySummary } from '../../shared/api/app-api.js';
import type { ActionId } from '../app/lib/keyboard-map.js';
import { useShortcuts, type ShortcutHandlers } from '../app/lib/use-shortcuts.js';
import { mayClose } from '../app/lib/close-guards.js';
import { formatDate, formatPersonName } from '../app/lib/format.js';
import { primaryTool, setPrimaryTool, type PrimaryTool } from '../imaging/cornerstone-setup.js';
import { stringOf, TAG } from '../imaging/dicom-json.js';
import type { Layout } from '../imaging/layouts.js';
import { toggledMode } from '../imaging/viewport-mode.js';
import { windowPresets } from '../imaging/voi-presets.js';
import { LayoutChooser } from './LayoutChooser.js';
import { deleteSelectedMeasurements } from './measurements.js';
import { useStudyMeasurements } from './measurement-store.js';
import type { Hanging } from './hanging-slot.js';
import { inOrder, type SidePanel, type ViewerSlots } from './slots.js';
import { StackPane, stackViewport } from './StackPane.js';
import { registerAsShown, synchroniseViewports } from './sync.js';
import { showReferenceLines } from './reference-lines.js';
import { useStudySession } from './use-study-session.js';
import { ViewerToolbar } from './ViewerToolbar.js';
import { actualPixels, applyImageWindow, applyPreset, fitToViewport, flip, resetView, rotateQuarter, scrollBy, scrollTo, toggleInvert } from './viewport-commands.js';

const viewportIdOf = (cell: number) => `viewport-${cell}`;

/** Images one Page Up / Page Down moves. */
const PAGE = 10;

const CINE_DEFAULT_FPS = 10;
const CINE_FPS_STEP = 2;
const CINE_MAX_FPS = 60;

/** The panel that toggles the protocol editor (registered in app/viewer-slots.tsx). */
export const PROTOCOL_EDITOR_PANEL = 'protocol-editor';

/** `onSend`: Send… for this study (the dialog is the send queue's, shown by the shell). */
export function Viewer<H extends Hanging>({ studyUid, onClose, onSend, slots }: { studyUid: string; onClose: () => void; onSend?: ((study: StudySummary) => void) | undefined; slots: ViewerSlots<H> }) {
  const session = useStudySession(studyUid, slots.hanging);
  const { series, error, layout, assigned, active, setActive, modes, setModes, manual, hung, plan, stageResult, hanging, summary } = session;
  const [overlays, setOverlays] = useState(true);
  const [chooserOpen, setChooserOpen] = useState(false);
  const [tool, setTool] = useState<PrimaryTool>(primaryTool);
  const [cineFps, setCineFps] = useState(CINE_DEFAULT_FPS);
  /** The viewport playing cine, if one is. */
  const [cineCell, setCineCell] = useState<number>();
  const [synced, setSynced] = useState(false);
  const [referenceLines, setReferenceLines] = useState(true);
  const [openPanels, setOpenPanels] = useState<ReadonlySet<string>>(() => new Set(slots.sidePanels.filter((p) => p.initiallyOpen).map((p) => p.id)));
  const togglePanel = (id: string) => {
    // A panel with unsaved edits asks the reader first (and stays open meanwhile).
    if (openPanels.has(id) && !mayClose(id)) return;
    setOpenPanels((open) => {
      const next = new Set(open);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  };
  /** Panels the reader opened: Escape closes them before it leaves the study. */
  const closable = slots.sidePanels.filter((p) => !p.initiallyOpen && openPanels.has(p.id));

  useEffect(() => {
    if (cineCell === undefined) return;
    const viewport = stackViewport(viewportIdOf(cineCell));
    if (!viewport) return;
    toolUtilities.cine.playClip(viewport.element, { framesPerSecond: cineFps, loop: true });
    return () => toolUtilities.cine.stopClip(viewport.element);
  }, [cineCell, cineFps]);

  useStudyMeasurements(series, session.reportError);

  // The stage's sync groups, while it is hung as the protocol says.
  useEffect(() => {
    if (!hung || manual || !stageResult) return;
    const stops: Array<() => void> = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const groups = stageResult.syncGroups.map((group) => ({
      type: group.type,
      ids: group.members.flatMap(([screen, viewport]) => {
        const cell = hung.viewports.findIndex((v) => v.screen === screen && v.screenViewport === viewport);
        return cell >= 0 ? [viewportIdOf(cell)] : [];
      }),
    }));
    // Scrolling is registered on the images first shown, so it waits until every viewport shows one.
    const start = () => {
      if (!groups.every((g) => g.type !== 'scroll' || registerAsShown(g.ids))) {
        timer = setTimeout(start, 100);
        return;
      }
      for (const group of groups) stops.push(synchroniseViewports([group.ids], [group.type]));
    };
    start();
    return () => {
      clearTimeout(timer);
      stops.forEach((stop) => stop());
    };
  }, [hung, manual, stageResult]);
  useEffect(() => {
    if (!synced || !series) return;
    const groups = new Map<string, string[]>();
    assigned.forEach((seriesIndex, cell) => {
      const frameOfReference = stringOf(series[seriesIndex]?.images[0]?.instance ?? {}, TAG.frameOfReferenceUid);
      if (!frameOfReference || cell >= layout.cells.length) return;
      groups.set(frameOfReference, [...(groups.get(frameOfReference) ?? []), viewportIdOf(cell)]);
    });
    return synchroniseViewports([...groups.values()]);
  }, [synced, series, assigned, layout]);

  // The source is the active stack viewport; panes re-created (series, layout, mode) need the tool told again.
  useEffect(() => {
    showReferenceLines(modes[active] && modes[active] !== 'stack' ? undefined : viewportIdOf(active), referenceLines);
  }, [referenceLines, active, assigned, layout, modes, series]);
  useEffect(() => () => showReferenceLines(undefined, false), []);

  const chooseLayout = (next: Layout) => {
    session.chooseLayout(next);
    setCineCell((cell) => (cell !== undefined && cell < next.cells.length ? cell : undefined));
    setChooserOpen(false);
  };
  const { showSeries, changeStage, markRead } = session;
  const chooseTool = (next: PrimaryTool) => {
    setPrimaryTool(next);
    setTool(next);
  };
  const onActive = (command: (viewport: NonNullable<ReturnType<typeof stackViewport>>) => void) => () => {
    const viewport = stackViewport(viewportIdOf(active));
    if (viewport && viewport.getImageIds().length > 0) command(viewport);
  };
  const stepSeries = (delta: number) => () => {
    const count = series?.length ?? 0;
    if (count === 0) return;
    showSeries(active, ((assigned[active] ?? 0) + delta + count) % count);
  };

  const presetKeys = Object.fromEntries(windowPresets().map((preset, i) => [`preset${i + 1}` as ActionId, onActive((v) => applyPreset(v, preset))])) as ShortcutHandlers;
  useShortcuts('viewer', {
    back: () => (chooserOpen ? setChooserOpen(false) : closable.length > 0 ? togglePanel(closable[closable.length - 1]!.id) : onClose()),
    imagePrevious: onActive((v) => scrollBy(v, -1)),
    imageNext: onActive((v) => scrollBy(v, 1)),
    pagePrevious: onActive((v) => scrollBy(v, -PAGE)),
    pageNext: onActive((v) => scrollBy(v, PAGE)),
    imageFirst: onActive((v) => scrollTo(v, 0)),
    imageLast: onActive((v) => scrollTo(v, v.getImageIds().length - 1)),
    viewportNext: () => setActive((a) => (a + 1) % layout.cells.length),
    seriesPrevious: stepSeries(-1),
    seriesNext: stepSeries(1),
    toolWindowLevel: () => chooseTool('windowLevel'),
    toolPan: () => chooseTool('pan'),
    toolZoom: () => chooseTool('zoom'),
    toolScroll: () => chooseTool('scroll'),
    toolLength: () => chooseTool('length'),
    toolAngle: () => chooseTool('angle'),
    toolCobbAngle: () => chooseTool('cobbAngle'),
    toolEllipseRoi: () => chooseTool('ellipseRoi'),
    toolRectangleRoi: () => chooseTool('rectangleRoi'),
    toolProbe: () => chooseTool('probe'),
    deleteMeasurement: deleteSelectedMeasurements,
    ...presetKeys,
    presetDefault: onActive(applyImageWindow),
    invert: onActive(toggleInvert),
    reset: onActive(resetView),
    fit: onActive(fitToViewport),
    actualPixels: onActive(actualPixels),
    rotate: onActive(rotateQuarter),
    flipHorizontal: onActive((v) => flip(v, 'horizontal')),
    flipVertical: onActive((v) => flip(v, 'vertical')),
    sync: () => setSynced((on) => !on),
    referenceLines: () => setReferenceLines((on) => !on),
    cine: () => setCineCell((cell) => (cell === undefined ? active : undefined)),
    cineFaster: () => setCineFps((fps) => Math.min(CINE_MAX_FPS, fps + CINE_FPS_STEP)),
    cineSlower: () => setCineFps((fps) => Math.max(1, fps - CINE_FPS_STEP)),
    overlays: () => setOverlays((o) => !o),
    layout: () => setChooserOpen((o) => !o),
    markRead,
    sendStudy: () => summary && onSend?.(summary),
    stageNext: changeStage(hanging.nextStage),
    stagePrevious: changeStage(hanging.previousStage),
    protocolNext: changeStage(hanging.nextProtocol),
    protocolEditor: () => togglePanel(PROTOCOL_EDITOR_PANEL),
    mprToggle: () => setModes((m) => ({ ...m, [active]: toggledMode(m[active], 'mpr') })),
    volume3dToggle: () => setModes((m) => ({ ...m, [active]: toggledMode(m[active], '3d') })),
  });

  const title = useMemo(() => {
    if (!summary) return '';
    return [formatPersonName(summary.patientName), summary.patientId, formatDate(summary.studyDate), summary.description].filter(Boolean).join(' · ');
  }, [summary]);

  const viewportOverlays = useMemo(() => inOrder(slots.viewportOverlays), [slots.viewportOverlays]);
  const panelsAt = (side: SidePanel<H>['side']) =>
    inOrder(slots.sidePanels)
      .filter((panel) => panel.side === side && openPanels.has(panel.id))
      .map(({ id, component: Panel }) => <Panel key={id} session={session} onClose={() => togglePanel(id)} />);

  return (
    <main className="viewer">
      <ViewerToolbar
        title={title}
        tool={tool}
        overlays={overlays}
        synced={synced}
        referenceLines={referenceLines}
        readStatus={summary?.readStatus}
        onBack={onClose}
        onTool={chooseTool}
        onPreset={(preset) => onActive((v) => (preset ? applyPreset(v, preset) : applyImageWindow(v)))()}
        onInvert={onActive(toggleInvert)}
        onReset={onActive(resetView)}
        onOverlays={() => setOverlays((o) => !o)}
        onSync={() => setSynced((on) => !on)}
        onReferenceLines={() => setReferenceLines((on) => !on)}
        onLayout={() => setChooserOpen((o) => !o)}
        onMarkRead={markRead}
        onSend={onSend && summary ? () => onSend(summary) : undefined}
      />
      {inOrder(slots.bars).map(({ id, component: Bar }) => (
        <Bar key={id} session={session} togglePanel={togglePanel} />
      ))}
      {chooserOpen && <LayoutChooser current={layout} onChoose={chooseLayout} onClose={() => setChooserOpen(false)} />}
      {error && (
        <div className="viewer-error" role="alert">
          {error}
        </div>
      )}
      <div className="viewer-body">
        {panelsAt('start')}
        {series && series.length === 0 && <p className="empty">This study has no images to display.</p>}
        {series && series.length > 0 && session.protocolSettled && (
          <div className="viewport-grid" style={{ gridTemplateRows: `repeat(${layout.rows}, 1fr)`, gridTemplateColumns: `repeat(${layout.cols}, 1fr)` }}>
            {layout.cells.map((cell, i) => {
              const style = { gridRow: `${cell.row + 1} / span ${cell.rowSpan}`, gridColumn: `${cell.col + 1} / span ${cell.colSpan}` };
              const mode = modes[i];
              const kind = mode && mode !== 'stack' ? slots.viewportKinds.find((k) => k.modes.includes(mode)) : undefined;
              if (kind && mode && mode !== 'stack') {
                const Pane = kind.component;
                return (
                  <Pane
                    key={`${viewportIdOf(i)}-${mode}`}
                    mode={mode}
                    viewportId={viewportIdOf(i)}
                    index={i}
                    studyUid={studyUid}
                    series={series[assigned[i] ?? -1]}
                    active={i === active}
                    showOverlays={overlays}
                    tool={tool}
                    style={style}
                    onActivate={() => setActive(i)}
                    onDropSeries={(s) => showSeries(i, s)}
                    onStack={() => setModes((m) => ({ ...m, [i]: 'stack' }))}
                    initialVoi={!manual && hung === plan ? plan?.viewports[i]?.voi : undefined}
                  />
                );
              }
              return (
                <StackPane
                  key={viewportIdOf(i)}
                  viewportId={viewportIdOf(i)}
                  index={i}
                  studyUid={studyUid}
                  series={series[assigned[i] ?? -1]}
                  active={i === active}
                  showOverlays={overlays}
                  overlays={viewportOverlays}
                  cineFps={cineCell === i ? cineFps : undefined}
                  style={style}
                  onActivate={() => setActive(i)}
                  onDropSeries={(s) => showSeries(i, s)}
                  initialView={!manual && hung === plan ? plan?.viewports[i] : undefined}
                  emptyReason={!manual && hung === plan ? plan?.viewports[i]?.vacancy?.text : undefined}
                />
              );
            })}
          </div>
        )}
        {(!series || (series.length > 0 && !session.protocolSettled)) && !error && <p className="empty">Loading the study…</p>}
        {panelsAt('end')}
      </div>
    </main>
  );
}
