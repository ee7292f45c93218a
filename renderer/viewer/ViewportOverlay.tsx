/**
 * The overlays of a stack viewport that come with the viewer: the text in its
 * corners (who, which study and series, which image, how it is displayed) and
 * the scale bar. They are registered as viewport overlays (slots.ts).
 */
import { PatientCorner, StudyCorner } from '../imaging/IdentityCorners.js';
import { numberOf, numbersOf, TAG } from '../imaging/dicom-json.js';
import { scaleBar } from './scale-bar.js';
import type { EdgeMarkers } from '../../shared/volume/orientation-labels.js';
import { windowOf } from '../imaging/voi-presets.js';
import type { ViewportOverlayProps } from './slots.js';
import { scaleBarPlace, type Box, type ScaleBarPlace } from './overlay-layout.js';

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
  /** The viewport's height in CSS pixels. */
  height: number;
  /** Where the image is drawn in the viewport (CSS pixels, may reach past its edges when zoomed). */
  imageBox: Box | undefined;
  /** Overlay text size in CSS pixels, for this pane on this display. */
  textPx: number;
}

function scaleBarStyle(place: ScaleBarPlace, pixels: number): React.CSSProperties {
  if (place.along === 'vertical') return { left: `${place.left}px`, top: `${place.top - pixels / 2}px`, height: `${pixels}px` };
  if (place.along === 'horizontal') return { left: `${place.centre}px`, top: `${place.top}px`, bottom: 'auto', width: `${pixels}px` };
  return { width: `${pixels}px` };
}

/**
 * The scale bar beside the image (scaleBarPlace): drawn only when the file gives a pixel spacing;
 * with only Imager Pixel Spacing it measures at the detector plane and says so.
 */
export function ScaleBarOverlay({ instance, state }: ViewportOverlayProps) {
  const atPatient = numbersOf(instance, TAG.pixelSpacing) !== undefined;
  const atDetector = !atPatient && numbersOf(instance, TAG.imagerPixelSpacing) !== undefined;
  const place = scaleBarPlace(state.width, state.height, state.imageBox, state.textPx);
  const bar = (atPatient || atDetector) && scaleBar(state.mmPerPixel, place.maxPixels);
  if (!bar) return null;
  return (
    <div className={`scale-bar ${place.along}`} style={scaleBarStyle(place, bar.pixels)} data-mm={bar.mm}>
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

export function CornerTexts({ instance, state, cineFps, prior }: ViewportOverlayProps) {
  const sliceLocation = numberOf(instance, TAG.sliceLocation);
  const thickness = numberOf(instance, TAG.sliceThickness);
  const window = state.voi && windowOf(state.voi);
  return (
    <>
      <PatientCorner instance={instance} />
      <StudyCorner instance={instance} prior={prior} />
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
    </>
  );
}
