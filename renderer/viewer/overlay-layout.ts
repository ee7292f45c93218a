/**
 * Where a stack viewport's overlays go and how large their text is: sized by
 * the pane and the display, and kept beside the image when the pane leaves room.
 * Pure: boxes and sizes in CSS pixels of the pane.
 */

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Text this share of the pane's shorter side: ~14 px in one pane at 1920×1080, ~19 px at 2560×1440. */
const TEXT_SHARE = 1 / 72;
const MIN_CSS_PX = 11;
const MAX_CSS_PX = 22;
/** Fewer device pixels than this are not legible, whatever the CSS size (a page zoomed out has a ratio below 1). */
const MIN_DEVICE_PX = 11;

/** Overlay text size in CSS pixels for a pane of `width`×`height` CSS pixels on a display of `devicePixelRatio`. */
export function overlayTextPx(width: number, height: number, devicePixelRatio: number): number {
  const ratio = devicePixelRatio > 0 ? devicePixelRatio : 1;
  const byPane = Math.min(width, height) * TEXT_SHARE;
  return Math.round(Math.min(Math.max(byPane, MIN_CSS_PX, MIN_DEVICE_PX / ratio), Math.max(MAX_CSS_PX, MIN_DEVICE_PX / ratio)));
}

/** At most this share of the image's side: the bar marks size, it must not dominate. */
const SCALE_BAR_SHARE = 0.25;

export type ScaleBarPlace =
  /** Right of the image, centred on it, running top to bottom. */
  | { along: 'vertical'; left: number; top: number; maxPixels: number }
  /** Under the image, centred on it. */
  | { along: 'horizontal'; centre: number; top: number; maxPixels: number }
  /** No room beside the image: above the pane's bottom edge, as wide as a quarter of the pane. */
  | { along: 'bottom'; maxPixels: number };

/**
 * The scale bar's place: to the right of the image when the margin there holds
 * the bar, its label and the orientation marker at the pane's edge; else under
 * the image when the margin there holds the label, the bar and the bottom marker;
 * else on the bottom of the pane.
 */
export function scaleBarPlace(width: number, height: number, image: Box | undefined, textPx: number): ScaleBarPlace {
  if (image) {
    const gap = textPx / 2;
    const rightMargin = width - image.right;
    const imageHeight = Math.min(image.bottom, height) - Math.max(image.top, 0);
    // Bar, label ("10 cm"), the marker letter and the scrollbar: about six text heights.
    if (rightMargin >= textPx * 6 && imageHeight > 0) {
      return { along: 'vertical', left: image.right + gap, top: (Math.max(image.top, 0) + Math.min(image.bottom, height)) / 2, maxPixels: imageHeight * SCALE_BAR_SHARE };
    }
    const bottomMargin = height - image.bottom;
    const imageWidth = Math.min(image.right, width) - Math.max(image.left, 0);
    // Label line, bar, the bottom marker letter: about three and a half text heights.
    if (bottomMargin >= textPx * 3.5 && imageWidth > 0) {
      return { along: 'horizontal', centre: (Math.max(image.left, 0) + Math.min(image.right, width)) / 2, top: image.bottom + textPx * 1.4 + gap, maxPixels: imageWidth * SCALE_BAR_SHARE };
    }
  }
  return { along: 'bottom', maxPixels: width * SCALE_BAR_SHARE };
}
