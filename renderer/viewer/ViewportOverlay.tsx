/** The text in the corners of a viewport: who, which study and series, which image, and how it is displayed. */
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { formatDate, formatPersonName, formatTime } from '../app/lib/format.js';
import { numberOf, numbersOf, personNameOf, stringOf, TAG } from '../imaging/dicom-json.js';
import { scaleBar } from './scale-bar.js';
import { OrientationMarkers } from '../imaging/OrientationMarkers.js';
import type { EdgeMarkers } from '../../shared/volume/orientation-labels.js';
import { windowOf } from '../imaging/voi-presets.js';

export interface DisplayState {
  /** 0-based. */
  index: number;
  total: number;
  voi: { lower: number; upper: number } | undefined;
  zoom: number;
  invert: boolean;
  /** Patient directions at the edges; absent for images without Image Orientation (Patient). */
  markers: EdgeMarkers | undefined;
  /** Image mm per CSS pixel as drawn. */
  mmPerPixel: number;
  /** The viewport's width in CSS pixels. */
  width: number;
}

/** A quarter of the viewport's width at most: it marks size, it must not hide the image. */
const SCALE_BAR_SHARE = 0.25;

/**
 * The bar under the image: drawn only when the file gives a pixel spacing;
 * with only Imager Pixel Spacing it measures at the detector plane and says so.
 */
function ScaleBarOverlay({ instance, state }: { instance: DicomJsonDataset; state: DisplayState }) {
  const atPatient = numbersOf(instance, TAG.pixelSpacing) !== undefined;
  const atDetector = !atPatient && numbersOf(instance, TAG.imagerPixelSpacing) !== undefined;
  const bar = (atPatient || atDetector) && scaleBar(state.mmPerPixel, state.width * SCALE_BAR_SHARE);
  if (!bar) return null;
  return (
    <div className="scale-bar" style={{ width: `${bar.pixels}px` }} data-mm={bar.mm}>
      <span className="scale-bar-label">
        {bar.label}
        {atDetector && ' (detector)'}
      </span>
    </div>
  );
}

function round(value: number, digits = 0): string {
  return value.toFixed(digits).replace(/^-0(\.0+)?$/, '0$1');
}

/** `prior`: the image is of another study than the one opened. */
export function ViewportOverlay({ instance, state, cineFps, prior }: { instance: DicomJsonDataset; state: DisplayState; cineFps: number | undefined; prior: boolean }) {
  const sliceLocation = numberOf(instance, TAG.sliceLocation);
  const thickness = numberOf(instance, TAG.sliceThickness);
  const seriesNumber = stringOf(instance, TAG.seriesNumber);
  const window = state.voi && windowOf(state.voi);
  const ageSex = [stringOf(instance, TAG.patientAge), stringOf(instance, TAG.patientSex)].filter(Boolean).join(' ');
  return (
    <div className="overlay" aria-hidden="false">
      <div className="corner top-left">
        <div className="overlay-patient-name">{formatPersonName(personNameOf(instance, TAG.patientName))}</div>
        <div className="overlay-patient-id">{stringOf(instance, TAG.patientId)}</div>
        <div>
          {formatDate(stringOf(instance, TAG.patientBirthDate))} {ageSex}
        </div>
      </div>
      <div className="corner top-right">
        {prior && <div className="overlay-prior">PRIOR</div>}
        <div className="overlay-study">
          {formatDate(stringOf(instance, TAG.studyDate))} {formatTime(stringOf(instance, TAG.studyTime))}
        </div>
        <div>{stringOf(instance, TAG.studyDescription)}</div>
        <div className="overlay-series">
          {seriesNumber !== undefined && `Se ${seriesNumber}: `}
          {stringOf(instance, TAG.seriesDescription)}
        </div>
      </div>
      <div className="corner bottom-left">
        <div className="overlay-image">
          Im {state.index + 1}/{state.total}
        </div>
        {sliceLocation !== undefined && <div className="overlay-location">Loc {round(sliceLocation, 2)} mm</div>}
        {thickness !== undefined && <div>Th {round(thickness, 2)} mm</div>}
      </div>
      <div className="corner bottom-right">
        {window && (
          <div className="overlay-window">
            W {round(window.width)} L {round(window.center)}
            {state.invert && ' inv'}
          </div>
        )}
        <div className="overlay-zoom">Zoom {round(state.zoom, 2)}×</div>
        {cineFps !== undefined && <div className="overlay-cine">Cine {cineFps} fps</div>}
      </div>
      <ScaleBarOverlay instance={instance} state={state} />
      <OrientationMarkers markers={state.markers} />
    </div>
  );
}
