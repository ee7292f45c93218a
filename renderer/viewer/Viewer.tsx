/**
 * The study viewer: series strip, viewport grid of Cornerstone3D stack
 * viewports, tool bar and keyboard. Images come from the node's WADO-RS
 * (study metadata once, then frames per image). Opening an unread study
 * marks it in progress.
 */
import { utilities as toolUtilities } from '@cornerstonejs/tools';
import { useEffect, useMemo, useRef, useState } from 'react';
import { apiPaths, type ReadStatus, type StudySummary } from '../../shared/api/app-api.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { getDicomJson, getJson, putJson } from '../app/lib/api-client.js';
import { formatDate, formatPersonName } from '../app/lib/format.js';
import type { ActionId } from '../app/lib/keyboard-map.js';
import { useShortcuts, type ShortcutHandlers } from '../app/lib/use-shortcuts.js';
import { primaryTool, setPrimaryTool, type PrimaryTool } from '../imaging/cornerstone-setup.js';
import { assignSeries, defaultLayout, gridLayout, type Layout } from '../imaging/layouts.js';
import { LayoutChooser } from './LayoutChooser.js';
import { SeriesStrip } from './SeriesStrip.js';
import { StackPane, stackViewport } from './StackPane.js';
import { seriesOfStudy, type FrameUrl, type ViewerSeries } from '../imaging/study-series.js';
import { ViewerToolbar } from './ViewerToolbar.js';
import { useStudyMeasurements } from './measurement-store.js';
import { priorStudies } from './prior-studies.js';
import { deleteSelectedMeasurements } from './measurements.js';
import { actualPixels, applyImageWindow, applyPreset, fitToViewport, flip, resetView, rotateQuarter, scrollBy, scrollTo, toggleInvert } from './viewport-commands.js';
import { stringOf, TAG } from '../imaging/dicom-json.js';
import { registerAsShown, synchroniseViewports } from './sync.js';
import { CT_PRESETS } from '../imaging/voi-presets.js';
import type { ViewportAssignment } from '../../shared/hanging-protocols/types.js';
import { HangingBar } from '../protocols/HangingBar.js';
import { ProtocolEditor } from '../protocols/ProtocolEditor.js';
import { useHangingProtocol } from '../protocols/use-hanging-protocol.js';
import { useRemotePriors } from '../protocols/use-remote-priors.js';
import { spreadPlaceOf, useDisplaySpread } from '../protocols/use-display-spread.js';
import { seriesForViewport, windowPlan, type WindowPlan } from '../protocols/window-plan.js';
import { ReconstructionPane } from '../mpr/ReconstructionPane.js';
import { toggledMode, type ViewportMode } from '../mpr/viewport-mode.js';

const frameUrl: FrameUrl = ({ studyUid, seriesUid, sopInstanceUid, frame }) =>
  `${window.location.origin}/dicom-web/studies/${studyUid}/series/${seriesUid}/instances/${sopInstanceUid}/frames/${frame}`;

const viewportIdOf = (cell: number) => `viewport-${cell}`;

/** How a hung viewport is shown: a stack, one MPR plane (or all three), or 3D. */
function modeOf(viewport: ViewportAssignment): ViewportMode {
  if (viewport.type === 'volume3d') return '3d';
  if (viewport.type === 'mpr') return viewport.orientation ? `mpr-${viewport.orientation}` : 'mpr';
  return 'stack';
}

/** Images one Page Up / Page Down moves. */
const PAGE = 10;

const CINE_DEFAULT_FPS = 10;
const CINE_FPS_STEP = 2;
const CINE_MAX_FPS = 60;

export function Viewer({ studyUid, onClose }: { studyUid: string; onClose: () => void }) {
  const [series, setSeries] = useState<ViewerSeries[]>();
  const [error, setError] = useState<string>();
  const [layout, setLayout] = useState<Layout>(() => gridLayout(1, 1));
  const [assigned, setAssigned] = useState<number[]>([]);
  const [active, setActive] = useState(0);
  const [overlays, setOverlays] = useState(true);
  const [chooserOpen, setChooserOpen] = useState(false);
  const [tool, setTool] = useState<PrimaryTool>(primaryTool);
  const [summary, setSummary] = useState<StudySummary>();
  const [cineFps, setCineFps] = useState(CINE_DEFAULT_FPS);
  /** The viewport playing cine, if one is. */
  const [cineCell, setCineCell] = useState<number>();
  const [synced, setSynced] = useState(false);
  /** Cells showing MPR or 3D instead of their stack. */
  const [modes, setModes] = useState<Record<number, ViewportMode>>({});
  /** The patient's other studies held here, and which of them are loaded (or loading). */
  const [priors, setPriors] = useState<StudySummary[]>([]);
  const [loadedPriors, setLoadedPriors] = useState<ReadonlySet<string>>(new Set());
  const requestedPriors = useRef(new Set<string>());
  const place = useMemo(() => spreadPlaceOf(window.location.search), []);
  const hanging = useHangingProtocol(studyUid, { protocolId: place.protocolId, stage: place.stage });
  const spread = useDisplaySpread(studyUid, place, hanging);
  const remotePriors = useRemotePriors(hanging, hanging.reloadInput);
  /** The reader changed the layout or a viewport's series: the protocol stops re-hanging until the stage changes. */
  const [manual, setManual] = useState(false);
  /** The stage as hung in this window, once applied. */
  const [hung, setHung] = useState<WindowPlan>();
  const [editorOpen, setEditorOpen] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    getDicomJson<DicomJsonDataset[]>(`/dicom-web/studies/${encodeURIComponent(studyUid)}/metadata`, controller.signal).then(
      (instances) => {
        const found = seriesOfStudy(instances, frameUrl);
        const initial = defaultLayout(found.length);
        setSeries(found);
        setLayout(initial);
        setAssigned(assignSeries([], initial.cells.length, found.length));
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => controller.abort();
  }, [studyUid]);

  useEffect(() => {
    let cancelled = false;
    const setStatus = (readStatus: ReadStatus) =>
      putJson(apiPaths.readStatus(studyUid), { readStatus }).then(() => !cancelled && setSummary((s) => s && { ...s, readStatus }));
    getJson<StudySummary[]>(`${apiPaths.studies}?StudyInstanceUID=${encodeURIComponent(studyUid)}`)
      .then((found) => {
        const study = found[0];
        if (cancelled || !study) return;
        setSummary(study);
        if (study.patientId !== '') {
          getJson<StudySummary[]>(`${apiPaths.studies}?PatientID=${encodeURIComponent(study.patientId)}`).then(
            (others) => !cancelled && setPriors(priorStudies(study, others)),
            (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
          );
        }
        if (study.readStatus === 'unread') return setStatus('in-progress');
      })
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [studyUid]);

  useEffect(() => {
    if (cineCell === undefined) return;
    const viewport = stackViewport(viewportIdOf(cineCell));
    if (!viewport) return;
    toolUtilities.cine.playClip(viewport.element, { framesPerSecond: cineFps, loop: true });
    return () => toolUtilities.cine.stopClip(viewport.element);
  }, [cineCell, cineFps]);

  useStudyMeasurements(series, setError);

  const loadPrior = (priorUid: string) => {
    if (requestedPriors.current.has(priorUid)) return;
    requestedPriors.current.add(priorUid);
    setLoadedPriors((current) => new Set(current).add(priorUid));
    getDicomJson<DicomJsonDataset[]>(`/dicom-web/studies/${encodeURIComponent(priorUid)}/metadata`).then(
      (instances) => setSeries((current) => [...(current ?? []), ...seriesOfStudy(instances, frameUrl)]),
      (e: unknown) => {
        requestedPriors.current.delete(priorUid);
        setLoadedPriors((current) => new Set([...current].filter((uid) => uid !== priorUid)));
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };

  const stageResult = hanging.result?.stages[hanging.stage];
  const plan = useMemo(() => stageResult && windowPlan(stageResult, spread.displays, spread.display), [stageResult, spread.displays, spread.display]);
  // The priors the protocol chose are loaded beside the study (loadPrior asks for each once).
  useEffect(() => {
    for (const prior of hanging.result?.priors.chosen ?? []) loadPrior(prior.studyUid);
  }, [hanging.result]);
  // Hang the stage: layout, series (a split view becomes a series of its own), MPR/3D modes.
  useEffect(() => {
    if (!plan || !series || manual) return;
    const extra: ViewerSeries[] = [];
    const indices = plan.viewports.map((viewport) => {
      const shown = seriesForViewport(viewport, series);
      if (!shown) return -1;
      const at = series.findIndex((s) => s.seriesUid === shown.seriesUid && s.studyUid === shown.studyUid);
      if (at >= 0) return at;
      extra.push(shown);
      return series.length + extra.length - 1;
    });
    if (extra.length > 0) return setSeries([...series, ...extra]);
    setLayout(plan.layout);
    setAssigned(indices);
    setModes(Object.fromEntries(plan.viewports.map((v, i) => [i, modeOf(v)])));
    setActive((a) => Math.min(a, plan.layout.cells.length - 1));
    setHung(plan);
  }, [plan, series, manual]);
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
  // The grid waits for the protocol (a few milliseconds), so that nothing the reader does is undone by a late hanging;
  // without protocols (or when none hangs this window) the default layout shows.
  const protocolSettled = hung !== undefined || hanging.error !== undefined || (hanging.result !== undefined && !plan) || manual;
  const changeStage = (step: () => void) => () => {
    setManual(false);
    step();
  };

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

  const markRead = () => {
    putJson(apiPaths.readStatus(studyUid), { readStatus: 'read' }).then(
      () => setSummary((s) => s && { ...s, readStatus: 'read' }),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };

  const chooseLayout = (next: Layout) => {
    setManual(true);
    setLayout(next);
    setAssigned((current) => assignSeries(current, next.cells.length, series?.length ?? 0));
    setActive((a) => Math.min(a, next.cells.length - 1));
    setCineCell((cell) => (cell !== undefined && cell < next.cells.length ? cell : undefined));
    setChooserOpen(false);
  };
  const showSeries = (cell: number, seriesIndex: number) => {
    setManual(true);
    setAssigned((current) => current.map((s, i) => (i === cell ? seriesIndex : s)));
    setActive(cell);
  };
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

  const presetKeys = Object.fromEntries(CT_PRESETS.map((preset, i) => [`preset${i + 1}` as ActionId, onActive((v) => applyPreset(v, preset))])) as ShortcutHandlers;
  useShortcuts('viewer', {
    back: () => (chooserOpen ? setChooserOpen(false) : editorOpen ? setEditorOpen(false) : onClose()),
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
    cine: () => setCineCell((cell) => (cell === undefined ? active : undefined)),
    cineFaster: () => setCineFps((fps) => Math.min(CINE_MAX_FPS, fps + CINE_FPS_STEP)),
    cineSlower: () => setCineFps((fps) => Math.max(1, fps - CINE_FPS_STEP)),
    overlays: () => setOverlays((o) => !o),
    layout: () => setChooserOpen((o) => !o),
    markRead,
    stageNext: changeStage(hanging.nextStage),
    stagePrevious: changeStage(hanging.previousStage),
    protocolNext: changeStage(hanging.nextProtocol),
    protocolEditor: () => setEditorOpen((open) => !open),
    mprToggle: () => setModes((m) => ({ ...m, [active]: toggledMode(m[active], 'mpr') })),
    volume3dToggle: () => setModes((m) => ({ ...m, [active]: toggledMode(m[active], '3d') })),
  });

  const title = useMemo(() => {
    if (!summary) return '';
    return [formatPersonName(summary.patientName), summary.patientId, formatDate(summary.studyDate), summary.description].filter(Boolean).join(' · ');
  }, [summary]);

  return (
    <main className="viewer">
      <ViewerToolbar
        title={title}
        tool={tool}
        overlays={overlays}
        synced={synced}
        readStatus={summary?.readStatus}
        onBack={onClose}
        onTool={chooseTool}
        onPreset={(preset) => onActive((v) => (preset ? applyPreset(v, preset) : applyImageWindow(v)))()}
        onInvert={onActive(toggleInvert)}
        onReset={onActive(resetView)}
        onOverlays={() => setOverlays((o) => !o)}
        onSync={() => setSynced((on) => !on)}
        onLayout={() => setChooserOpen((o) => !o)}
        onMarkRead={markRead}
      />
      <HangingBar hanging={hanging} remotePriors={remotePriors} spread={spread} manual={manual} onStage={changeStage} onEdit={() => setEditorOpen((open) => !open)} />
      {chooserOpen && <LayoutChooser current={layout} onChoose={chooseLayout} onClose={() => setChooserOpen(false)} />}
      {error && (
        <div className="viewer-error" role="alert">
          {error}
        </div>
      )}
      <div className="viewer-body">
        {series && (
          <SeriesStrip series={series} shown={assigned} activeSeries={assigned[active] ?? -1} onChoose={(i) => showSeries(active, i)} priors={priors} loaded={loadedPriors} onLoadPrior={loadPrior} />
        )}
        {series && series.length === 0 && <p className="empty">This study has no images to display.</p>}
        {series && series.length > 0 && protocolSettled && (
          <div className="viewport-grid" style={{ gridTemplateRows: `repeat(${layout.rows}, 1fr)`, gridTemplateColumns: `repeat(${layout.cols}, 1fr)` }}>
            {layout.cells.map((cell, i) =>
              modes[i] && modes[i] !== 'stack' ? (
                <ReconstructionPane
                  key={`${viewportIdOf(i)}-${modes[i]}`}
                  mode={modes[i]}
                  viewportId={viewportIdOf(i)}
                  index={i}
                  series={series[assigned[i] ?? -1]}
                  active={i === active}
                  showOverlays={overlays}
                  tool={tool}
                  style={{ gridRow: `${cell.row + 1} / span ${cell.rowSpan}`, gridColumn: `${cell.col + 1} / span ${cell.colSpan}` }}
                  onActivate={() => setActive(i)}
                  onDropSeries={(s) => showSeries(i, s)}
                  onStack={() => setModes((m) => ({ ...m, [i]: 'stack' }))}
                />
              ) : (
              <StackPane
                key={viewportIdOf(i)}
                viewportId={viewportIdOf(i)}
                index={i}
                studyUid={studyUid}
                series={series[assigned[i] ?? -1]}
                active={i === active}
                showOverlays={overlays}
                cineFps={cineCell === i ? cineFps : undefined}
                style={{ gridRow: `${cell.row + 1} / span ${cell.rowSpan}`, gridColumn: `${cell.col + 1} / span ${cell.colSpan}` }}
                onActivate={() => setActive(i)}
                onDropSeries={(s) => showSeries(i, s)}
                initialView={!manual && hung === plan ? plan?.viewports[i] : undefined}
                emptyReason={!manual && hung === plan ? plan?.viewports[i]?.unmatched : undefined}
              />
              ),
            )}
          </div>
        )}
        {(!series || (series.length > 0 && !protocolSettled)) && !error && <p className="empty">Loading the study…</p>}
        {editorOpen && hanging.catalog && <ProtocolEditor hanging={hanging} onClose={() => setEditorOpen(false)} />}
      </div>
    </main>
  );
}
