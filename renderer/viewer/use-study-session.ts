/**
 * The study session of one viewer window: the study (summary and read
 * status), its series from WADO-RS metadata, the patient's priors and those
 * loaded beside it, and the hanging state (the protocol's, from the hanging
 * slot, and the grid's layout, which series each cell shows and how). Panels and
 * overlays read it; the viewer's grid, tools and keys act on it.
 */
import { useEffect, useRef, useState } from 'react';
import { apiPaths, type ReadStatus, type StudySummary } from '../../shared/api/app-api.js';
import { DICOMWEB_ROOT, frameUrl as dicomWebFrameUrl, studyMetadataUrl } from '../../shared/api/dicomweb-paths.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { errorMessage } from '../../shared/error-message.js';
import type { StageResult, ViewportAssignment } from '../../shared/hanging-protocols/types.js';
import { getDicomJson, getJson, putJson } from '../app/lib/api-client.js';
import { assignSeries, defaultLayout, gridLayout, type Layout } from '../imaging/layouts.js';
import { seriesOfStudy, type FrameUrl, type ViewerSeries } from '../imaging/study-series.js';
import type { ViewportMode } from '../imaging/viewport-mode.js';
import type { Hanging, HangingPlan, HangingProvider } from './hanging-slot.js';
import { priorStudies } from './prior-studies.js';

const frameUrl: FrameUrl = ({ frame, ...uids }) => dicomWebFrameUrl(`${window.location.origin}${DICOMWEB_ROOT}`, uids, frame);

/** How a hung viewport is shown: a stack, one MPR plane (or all three), or 3D. */
function modeOf(viewport: ViewportAssignment): ViewportMode {
  if (viewport.type === 'volume3d') return '3d';
  if (viewport.type === 'mpr') return viewport.orientation ? `mpr-${viewport.orientation}` : 'mpr';
  return 'stack';
}

export interface StudySession<H extends Hanging = Hanging> {
  studyUid: string;
  summary: StudySummary | undefined;
  /** Series of every loaded study, the opened one first; undefined until its metadata arrives. */
  series: ViewerSeries[] | undefined;
  error: string | undefined;
  reportError: (message: string) => void;
  markRead: () => void;
  /** The patient's other studies held here, and which of them are loaded (or loading). */
  priors: StudySummary[];
  loadedPriors: ReadonlySet<string>;
  loadPrior: (studyUid: string) => void;
  /** The hanging slot's state (protocol, stage, this window's plan), as its provider gives it. */
  hanging: H;
  /** The stage as this window should hang it, and as it is hung once applied. */
  plan: HangingPlan | undefined;
  hung: HangingPlan | undefined;
  stageResult: StageResult | undefined;
  /** The reader changed the layout or a viewport's series: the protocol stops re-hanging until the stage changes. */
  manual: boolean;
  /** The grid waits for the protocol, so that nothing the reader does is undone by a late hanging. */
  protocolSettled: boolean;
  layout: Layout;
  /** Series index shown in each cell. */
  assigned: number[];
  active: number;
  setActive: (update: number | ((current: number) => number)) => void;
  /** Cells showing MPR or 3D instead of their stack. */
  modes: Record<number, ViewportMode>;
  setModes: (update: (current: Record<number, ViewportMode>) => Record<number, ViewportMode>) => void;
  chooseLayout: (next: Layout) => void;
  showSeries: (cell: number, seriesIndex: number) => void;
  /** A stage or protocol step: hanging by the protocol again. */
  changeStage: (step: () => void) => () => void;
}

export function useStudySession<H extends Hanging>(studyUid: string, provider: HangingProvider<H>): StudySession<H> {
  const [series, setSeries] = useState<ViewerSeries[]>();
  const [error, setError] = useState<string>();
  const [summary, setSummary] = useState<StudySummary>();
  const [layout, setLayout] = useState<Layout>(() => gridLayout(1, 1));
  const [assigned, setAssigned] = useState<number[]>([]);
  const [active, setActive] = useState(0);
  const [modes, setModes] = useState<Record<number, ViewportMode>>({});
  const [priors, setPriors] = useState<StudySummary[]>([]);
  const [loadedPriors, setLoadedPriors] = useState<ReadonlySet<string>>(new Set());
  const requestedPriors = useRef(new Set<string>());
  const hanging = provider.useHanging(studyUid);
  const [manual, setManual] = useState(false);
  const [hung, setHung] = useState<HangingPlan>();

  useEffect(() => {
    const controller = new AbortController();
    getDicomJson<DicomJsonDataset[]>(studyMetadataUrl(DICOMWEB_ROOT, studyUid), controller.signal).then(
      (instances) => {
        const found = seriesOfStudy(instances, frameUrl);
        const initial = defaultLayout(found.length);
        setSeries(found);
        setLayout(initial);
        setAssigned(assignSeries([], initial.cells.length, found.length));
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(e));
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
            (e: unknown) => !cancelled && setError(errorMessage(e)),
          );
        }
        if (study.readStatus === 'unread') return setStatus('in-progress');
      })
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [studyUid]);

  const loadPrior = (priorUid: string) => {
    if (requestedPriors.current.has(priorUid)) return;
    requestedPriors.current.add(priorUid);
    setLoadedPriors((current) => new Set(current).add(priorUid));
    getDicomJson<DicomJsonDataset[]>(studyMetadataUrl(DICOMWEB_ROOT, priorUid)).then(
      (instances) => setSeries((current) => [...(current ?? []), ...seriesOfStudy(instances, frameUrl)]),
      (e: unknown) => {
        requestedPriors.current.delete(priorUid);
        setLoadedPriors((current) => new Set([...current].filter((uid) => uid !== priorUid)));
        setError(errorMessage(e));
      },
    );
  };

  const stageResult = hanging.result?.stages[hanging.stage];
  const { plan } = hanging;
  // The priors the protocol chose are loaded beside the study (loadPrior asks for each once), after the
  // study's own series: those come first, and a prior's metadata answered earlier would be overwritten.
  const studyLoaded = series !== undefined;
  useEffect(() => {
    if (!studyLoaded) return;
    for (const prior of hanging.result?.priors.chosen ?? []) loadPrior(prior.studyUid);
  }, [hanging.result, studyLoaded]);
  // Hang the stage: layout, series (a split view becomes a series of its own), MPR/3D modes.
  useEffect(() => {
    if (!plan || !series || manual) return;
    const extra: ViewerSeries[] = [];
    const indices = plan.viewports.map((viewport) => {
      const shown = provider.seriesForViewport(viewport, series);
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
  // Without protocols (or when none hangs this window) the default layout shows.
  const protocolSettled = hung !== undefined || hanging.error !== undefined || (hanging.result !== undefined && !plan) || manual;

  const markRead = () => {
    putJson(apiPaths.readStatus(studyUid), { readStatus: 'read' }).then(
      () => setSummary((s) => s && { ...s, readStatus: 'read' }),
      (e: unknown) => setError(errorMessage(e)),
    );
  };
  const chooseLayout = (next: Layout) => {
    setManual(true);
    setLayout(next);
    setAssigned((current) => assignSeries(current, next.cells.length, series?.length ?? 0));
    setActive((a) => Math.min(a, next.cells.length - 1));
  };
  const showSeries = (cell: number, seriesIndex: number) => {
    setManual(true);
    setAssigned((current) => current.map((s, i) => (i === cell ? seriesIndex : s)));
    setActive(cell);
  };
  const changeStage = (step: () => void) => () => {
    setManual(false);
    step();
  };

  return {
    studyUid,
    summary,
    series,
    error,
    reportError: setError,
    markRead,
    priors,
    loadedPriors,
    loadPrior,
    hanging,
    plan,
    hung,
    stageResult,
    manual,
    protocolSettled,
    layout,
    assigned,
    active,
    setActive,
    modes,
    setModes,
    chooseLayout,
    showSeries,
    changeStage,
  };
}
