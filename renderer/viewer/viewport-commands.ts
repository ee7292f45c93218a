/** What the keyboard and the toolbar do to one stack viewport (Cornerstone3D calls, then a render). */
import { Enums, type StackViewport } from '@cornerstonejs/core';
import { voiRangeOf, type VoiPreset } from '../imaging/voi-presets.js';

export function scrollTo(viewport: StackViewport, index: number): void {
  const last = viewport.getImageIds().length - 1;
  void viewport.setImageIdIndex(Math.max(0, Math.min(last, index)));
}

/** Longest wait for a step's image to be drawn: a step that is never drawn must not hold up the keys. */
const STEP_TIMEOUT_MS = 1000;

/** Per viewport being stepped: the step asked for while the current one is not drawn yet (0: none). */
const stepping = new WeakMap<StackViewport, { next: number }>();

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
 * Scrolling by keys, one step at a time: a step waits until its image is
 * drawn before the next one starts, so a held arrow key shows every slice
 * however slowly images load or draw (left to itself, Cornerstone drops an
 * image that arrives after a newer one was asked for, and the view freezes
 * while the key is held). Key repeats that come while a step is under way
 * collapse into one next step, so the stack stops when the key is released.
 */
export function scrollBy(viewport: StackViewport, delta: number): void {
  const current = stepping.get(viewport);
  if (current) {
    current.next = delta;
    return;
  }
  const from = viewport.getCurrentImageIdIndex();
  const target = Math.max(0, Math.min(viewport.getImageIds().length - 1, from + delta));
  if (target === from) return;
  const state = { next: 0 };
  stepping.set(viewport, state);
  // setImageIdIndex resolves once the image is on the stack and its render asked for (the next frame);
  // if something else moved the stack meanwhile (wheel, scrollbar, sync), this step draws nothing.
  const step = viewport.setImageIdIndex(target).then(() => (viewport.getCurrentImageIdIndex() === target ? nextRender(viewport) : undefined));
  void step
    .catch(() => undefined)
    .then(() => {
      stepping.delete(viewport);
      if (state.next !== 0 && !viewport.isDisabled) scrollBy(viewport, state.next);
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
