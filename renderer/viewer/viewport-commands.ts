/** What the keyboard and the toolbar do to one stack viewport (Cornerstone3D calls, then a render). */
import type { StackViewport } from '@cornerstonejs/core';
import { voiRangeOf, type VoiPreset } from './voi-presets.js';

export function scrollTo(viewport: StackViewport, index: number): void {
  const last = viewport.getImageIds().length - 1;
  void viewport.setImageIdIndex(Math.max(0, Math.min(last, index)));
}

export function scrollBy(viewport: StackViewport, delta: number): void {
  scrollTo(viewport, viewport.getCurrentImageIdIndex() + delta);
}

export function applyPreset(viewport: StackViewport, preset: VoiPreset): void {
  viewport.setProperties({ voiRange: voiRangeOf(preset.width, preset.center) });
  viewport.render();
}

/** Back to the window the image brings (its VOI LUT or Window Center/Width), keeping inversion as it is. */
export function applyImageWindow(viewport: StackViewport): void {
  const invert = !!viewport.getProperties().invert;
  viewport.resetProperties();
  if (invert) viewport.setProperties({ invert });
  viewport.render();
}

export function toggleInvert(viewport: StackViewport): void {
  viewport.setProperties({ invert: !viewport.getProperties().invert });
  viewport.render();
}

/** Window, zoom, pan, rotation, flips and inversion as when the series was opened. */
export function resetView(viewport: StackViewport): void {
  viewport.resetProperties();
  viewport.setViewPresentation({ rotation: 0, flipHorizontal: false, flipVertical: false });
  viewport.resetCamera();
  viewport.render();
}

/** Rotate the view a quarter turn clockwise. */
export function rotateQuarter(viewport: StackViewport): void {
  const { rotation = 0 } = viewport.getViewPresentation();
  viewport.setViewPresentation({ rotation: (rotation + 90) % 360 });
  viewport.render();
}

export function flip(viewport: StackViewport, direction: 'horizontal' | 'vertical'): void {
  const { flipHorizontal = false, flipVertical = false } = viewport.getViewPresentation();
  viewport.setViewPresentation(direction === 'horizontal' ? { flipHorizontal: !flipHorizontal } : { flipVertical: !flipVertical });
  viewport.render();
}

/** The whole image fitted to the viewport, centred (rotation and flips stay). */
export function fitToViewport(viewport: StackViewport): void {
  viewport.setViewPresentation({ zoom: 1, pan: [0, 0] });
  viewport.render();
}

/**
 * One image pixel on one device pixel, centred: measured through the
 * viewport's own world-to-canvas transform (CSS pixels), so it holds
 * whatever Cornerstone's zoom is relative to.
 */
export function actualPixels(viewport: StackViewport): void {
  const image = viewport.getImageData();
  if (!image) return;
  const { focalPoint } = viewport.getCamera();
  if (!focalPoint) return;
  const [rx, ry, rz] = [image.direction[0], image.direction[1], image.direction[2]];
  const step = image.spacing[0];
  const a = viewport.worldToCanvas(focalPoint);
  const b = viewport.worldToCanvas([focalPoint[0] + rx * step, focalPoint[1] + ry * step, focalPoint[2] + rz * step]);
  const devicePixelsPerImagePixel = Math.hypot(b[0] - a[0], b[1] - a[1]) * (window.devicePixelRatio || 1);
  if (!(devicePixelsPerImagePixel > 0)) return;
  viewport.setViewPresentation({ zoom: viewport.getZoom() / devicePixelsPerImagePixel, pan: [0, 0] });
  viewport.render();
}
