/** The study's series, with thumbnails: click to show one in the active viewport, or drag it onto a viewport. */
import { useState } from 'react';
import { SERIES_DRAG_TYPE } from './StackPane.js';
import type { ViewerSeries } from './study-series.js';

function SeriesThumbnail({ studyUid, seriesUid }: { studyUid: string; seriesUid: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) return <span className="series-thumb placeholder" aria-hidden="true" />;
  return (
    <img
      className="series-thumb"
      alt=""
      draggable={false}
      src={`/dicom-web/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}/thumbnail?viewport=96,96`}
      onError={() => setFailed(true)}
    />
  );
}

interface Props {
  studyUid: string;
  series: ViewerSeries[];
  /** Series index shown in each viewport. */
  shown: number[];
  activeSeries: number;
  onChoose: (seriesIndex: number) => void;
}

export function SeriesStrip({ studyUid, series, shown, activeSeries, onChoose }: Props) {
  return (
    <nav className="series-strip" aria-label="Series">
      {series.map((s, i) => (
        <button
          type="button"
          key={s.seriesUid}
          className={`series-item${i === activeSeries ? ' active' : ''}${shown.includes(i) ? ' shown' : ''}`}
          draggable
          onDragStart={(e) => {
            e.dataTransfer.setData(SERIES_DRAG_TYPE, String(i));
            e.dataTransfer.effectAllowed = 'copy';
          }}
          onClick={() => onChoose(i)}
          title={`Series ${s.number ?? '?'}: ${s.description}`}
        >
          <SeriesThumbnail studyUid={studyUid} seriesUid={s.seriesUid} />
          <span className="series-label">
            <span className="series-number">
              {s.modality} {s.number ?? ''}
            </span>
            <span className="series-description">{s.description}</span>
            <span className="series-count">
              {s.images.length} {s.images.length === 1 ? 'image' : 'images'}
            </span>
          </span>
        </button>
      ))}
    </nav>
  );
}
