/**
 * The series of the study, with thumbnails, then the patient's other studies
 * held here (priors, newest first), each loaded on demand: click a series to
 * show it in the active viewport, or drag it onto a viewport.
 */
import { useState } from 'react';
import type { StudySummary } from '../../shared/api/app-api.js';
import { DICOMWEB_ROOT, thumbnailUrl } from '../../shared/api/dicomweb-paths.js';
import { formatDate } from '../app/lib/format.js';
import { SERIES_DRAG_TYPE } from '../imaging/series-drop.js';
import type { ViewerSeries } from '../imaging/study-series.js';
import type { SidePanelProps } from './slots.js';

function SeriesThumbnail({ studyUid, seriesUid }: { studyUid: string; seriesUid: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) return <span className="series-thumb placeholder" aria-hidden="true" />;
  return (
    <img
      className="series-thumb"
      alt=""
      draggable={false}
      src={thumbnailUrl(DICOMWEB_ROOT, 96, studyUid, seriesUid)}
      onError={() => setFailed(true)}
    />
  );
}

interface Props {
  /** Series of every loaded study, the opened one first. */
  series: ViewerSeries[];
  /** Series index shown in each viewport. */
  shown: number[];
  activeSeries: number;
  onChoose: (seriesIndex: number) => void;
  /** The patient's other studies held here. */
  priors: StudySummary[];
  /** Prior studies whose series are loaded, or loading. */
  loaded: ReadonlySet<string>;
  onLoadPrior: (studyUid: string) => void;
}

function SeriesItem({ series, index, active, shown, onChoose }: { series: ViewerSeries; index: number; active: boolean; shown: boolean; onChoose: (index: number) => void }) {
  return (
    <button
      type="button"
      className={`series-item${active ? ' active' : ''}${shown ? ' shown' : ''}`}
      data-study-uid={series.studyUid}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(SERIES_DRAG_TYPE, String(index));
        e.dataTransfer.effectAllowed = 'copy';
      }}
      onClick={() => onChoose(index)}
      title={`Series ${series.number ?? '?'}: ${series.description}`}
    >
      <SeriesThumbnail studyUid={series.studyUid} seriesUid={series.seriesUid} />
      <span className="series-label">
        <span className="series-number">
          {series.modality} {series.number ?? ''}
        </span>
        <span className="series-description">{series.description}</span>
        <span className="series-count">
          {series.images.length} {series.images.length === 1 ? 'image' : 'images'}
        </span>
      </span>
    </button>
  );
}

export function SeriesStrip({ series, shown, activeSeries, onChoose, priors, loaded, onLoadPrior }: Props) {
  const items = (studyUid: string) =>
    series.map((s, i) => s.studyUid === studyUid && <SeriesItem key={s.seriesUid} series={s} index={i} active={i === activeSeries} shown={shown.includes(i)} onChoose={onChoose} />);
  return (
    <nav className="series-strip" aria-label="Series">
      {series[0] && items(series[0].studyUid)}
      {priors.map((prior) => (
        <section key={prior.studyUid} className="prior-study" data-study-uid={prior.studyUid}>
          <button
            type="button"
            className="prior-header"
            aria-expanded={loaded.has(prior.studyUid)}
            disabled={loaded.has(prior.studyUid)}
            onClick={() => onLoadPrior(prior.studyUid)}
            title={loaded.has(prior.studyUid) ? undefined : 'Load the series of this prior study'}
          >
            <span className="prior-date">Prior {formatDate(prior.studyDate)}</span>
            <span className="prior-description">
              {prior.modalities.join(' ')} {prior.description ?? ''}
            </span>
          </button>
          {items(prior.studyUid)}
        </section>
      ))}
    </nav>
  );
}

/** The strip as the viewer's side panel: click shows a series in the active viewport. */
export function SeriesStripPanel({ session }: SidePanelProps) {
  const { series, assigned, active } = session;
  if (!series) return null;
  return <SeriesStrip series={series} shown={assigned} activeSeries={assigned[active] ?? -1} onChoose={(i) => session.showSeries(active, i)} priors={session.priors} loaded={session.loadedPriors} onLoadPrior={session.loadPrior} />;
}
