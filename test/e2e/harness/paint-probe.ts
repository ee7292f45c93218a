/**
 * What viewport 0 draws, recorded in the page: every image Cornerstone puts
 * on its stack (STACK_NEW_IMAGE, with the loader's own load and decode times)
 * and every render (IMAGE_RENDERED, with the index of the image it drew), and
 * the ArrowDown key events the page receives. The listeners capture on the
 * document: Cornerstone's events do not bubble, and viewports come and go
 * with the route. Used by the browser tests and by the viewer benchmark.
 */
import type { Page } from 'playwright-core';

export interface NewImage {
  /** performance.now() in the page. */
  t: number;
  index: number;
  loadMs: number | undefined;
  decodeMs: number | undefined;
}

export interface Render {
  t: number;
  /** The image drawn: the last one put on the stack. */
  index: number;
}

export interface PaintRecords {
  newImages: NewImage[];
  renders: Render[];
  /** Times of the ArrowDown key events. */
  keys: number[];
}

interface Probe extends PaintRecords {
  shown: number | undefined;
  reset(): void;
}

/** The page's globals the probe uses (the test project compiles without the DOM library). */
interface PageScope {
  paintProbe?: Probe;
  document: { addEventListener(type: string, listener: (event: ProbeEvent) => void, capture: boolean): void };
  addEventListener(type: string, listener: (event: { key: string }) => void, capture: boolean): void;
  performance: { now(): number };
}

interface ProbeEvent {
  target: { closest?(selector: string): { getAttribute(name: string): string | null } | null } | null;
  detail: { imageIdIndex: number; image?: { loadTimeInMS?: number; decodeTimeInMS?: number } };
}

/** Install (or reset) the probe in the page. */
export function installPaintProbe(page: Page): Promise<void> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as PageScope;
    if (scope.paintProbe) return scope.paintProbe.reset();
    const inViewport0 = (event: ProbeEvent) => event.target?.closest?.('.viewport')?.getAttribute('data-viewport-index') === '0';
    const probe: Probe = {
      newImages: [],
      renders: [],
      keys: [],
      shown: undefined,
      reset() {
        probe.newImages = [];
        probe.renders = [];
        probe.keys = [];
        probe.shown = undefined;
      },
    };
    scope.document.addEventListener(
      'CORNERSTONE_STACK_NEW_IMAGE',
      (event) => {
        if (!inViewport0(event)) return;
        const { imageIdIndex, image } = event.detail;
        probe.shown = imageIdIndex;
        probe.newImages.push({ t: scope.performance.now(), index: imageIdIndex, loadMs: image?.loadTimeInMS, decodeMs: image?.decodeTimeInMS });
      },
      true,
    );
    scope.document.addEventListener(
      'CORNERSTONE_IMAGE_RENDERED',
      (event) => {
        if (inViewport0(event) && probe.shown !== undefined) probe.renders.push({ t: scope.performance.now(), index: probe.shown });
      },
      true,
    );
    scope.addEventListener('keydown', (event) => event.key === 'ArrowDown' && probe.keys.push(scope.performance.now()), true);
    scope.paintProbe = probe;
  });
}

export function resetPaintProbe(page: Page): Promise<void> {
  return page.evaluate(() => (globalThis as unknown as PageScope).paintProbe!.reset());
}

export function paintRecords(page: Page): Promise<PaintRecords> {
  return page.evaluate(() => {
    const { newImages, renders, keys } = (globalThis as unknown as PageScope).paintProbe!;
    return { newImages, renders, keys };
  });
}

/** Indices between the first and the last image drawn that were never drawn. */
export function skippedIndices(renders: readonly Render[]): number[] {
  if (renders.length === 0) return [];
  const drawn = new Set(renders.map((r) => r.index));
  const low = Math.min(...drawn);
  const high = Math.max(...drawn);
  const skipped: number[] = [];
  for (let i = low + 1; i < high; i++) if (!drawn.has(i)) skipped.push(i);
  return skipped;
}

/**
 * Hold ArrowDown until viewport 0 draws image `lastIndex`: key events at
 * `rate` per second (the first a press, the rest auto-repeats, as a held key
 * sends them), sent as real input through the DevTools protocol. Gives up
 * when nothing new is drawn for `idleMs`. Resets the probe first; returns
 * once the key is released and the step under way is drawn.
 */
export async function holdArrowDown(page: Page, lastIndex: number, rate: number, idleMs = 5000): Promise<PaintRecords> {
  await resetPaintProbe(page);
  const lastDrawn = () => page.evaluate(() => (globalThis as unknown as PageScope).paintProbe!.renders.at(-1)?.index ?? -1);
  const sent: Array<Promise<void>> = [];
  const started = performance.now();
  let progress = { index: -1, at: started };
  const checkEvery = Math.max(1, Math.round(rate / 4));
  for (let i = 0; ; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // Not awaited: the events keep their pace while the page is busy drawing, as a keyboard's do.
    sent.push(page.keyboard.down('ArrowDown'));
    if (i % checkEvery !== 0) continue;
    const index = await lastDrawn();
    if (index === lastIndex) break;
    if (index !== progress.index) progress = { index, at: performance.now() };
    else if (performance.now() - progress.at > idleMs) break;
  }
  await Promise.all(sent);
  await page.keyboard.up('ArrowDown');
  await page.waitForTimeout(500);
  return paintRecords(page);
}
