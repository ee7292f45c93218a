/** What the keyboard and the toolbar do to one stack viewport (Cornerstone3D calls, then a render). */
import { Enums, type StackViewport } from '@cornerstonejs/core';
import { voiRangeOf, type VoiPreset } from '../imaging/voi-presets.js';

/** Longest wait for a step's image to be drawn: a step that is never drawn must not hold up the keys. */
const STEP_TIMEOUT_MS = 1000;

/** Per viewport being stepped by keys: the image the presses so far ask for. */
const stepping = new WeakMap<StackViewport, { target: number }>();

/** A jump (Home, End, the scrollbar) while arrow presses are being shown ends where the jump says. */
export function scrollTo(viewport: StackViewport, index: number): void {
  const last = viewport.getImageIds().length - 1;
  const target = Math.max(0, Math.min(last, index));
  const keys = stepping.get(viewport);
  if (keys) keys.target = target;
  else void viewport.setImageIdIndex(target);
}

/** Resolves when the viewport next draws, or after STEP_TIMEOUT_MS. */
function nextRender(viewport: StackViewport): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      viewport.element.removeEventListener(Enums.Events.IMAGE_RENDERED, done);
      resolve();
    };
    const timer = setTimeout(done, STEP_TIMEOUT_MS);
    viewport.element.addEventListener(Enums.Events.IMAGE_RENDERED, done);
  });
}

/**
 * Scrolling by keys: every press counts (20 presses move 20 images), however
 * slowly images load or draw. Presses add up to a target; the viewport shows
 * the target of the moment, waits until it is drawn, then shows the newer
 * target if presses came meanwhile. A held key may so skip drawing some
 * slices, never a step, and the stack stops where the last key event put it
 * when the key is released (left to itself, Cornerstone drops an image that
 * arrives after a newer one was asked for, and with it the press).
 */
export function scrollBy(viewport: StackViewport, delta: number): void {
  const last = viewport.getImageIds().length - 1;
  const clamp = (index: number) => Math.max(0, Math.min(last, index));
  const current = stepping.get(viewport);
  if (current) {
    current.target = clamp(current.target + delta);
    return;
  }
  const from = viewport.getCurrentImageIdIndex();
  const state = { target: clamp(from + delta) };
  if (state.target === from) return;
  stepping.set(viewport, state);
  showTarget(viewport, state);
}

function showTarget(viewport: StackViewport, state: { target: number }): void {
  const { target } = state;
  // setImageIdIndex resolves once the image is on the stack and its render asked for (the next frame);
  // if something else moved the stack meanwhile (wheel, scrollbar, sync), this step draws nothing.
  const step = viewport.setImageIdIndex(target).then(() => (viewport.getCurrentImageIdIndex() === target ? nextRender(viewport) : undefined));
  void step
    .catch(() => undefined)
    .then(() => {
      if (state.target === target || viewport.isDisabled) stepping.delete(viewport);
      else showTarget(viewport, state);
    });
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
