/** The automatic window of thumbnails: the file's when it shows the content, else the histogram's 1st..99th percentile. */
import { describe, expect, it } from 'vitest';
import { chooseWindow, contentRange, valueRange, windowShowsContent } from '../../../../main/codec/render-window.js';

const ramp = (count: number, from: number, to: number) => (i: number) => from + ((to - from) * i) / (count - 1);

describe('render window', () => {
  it('takes the 1st and 99th percentiles, leaving out a few extreme pixels and padding', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i < 5 ? 30_000 : i < 400 ? NaN : i));
    const range = contentRange(values.length, (i) => values[i]!);
    expect(range!.low).toBeGreaterThanOrEqual(400);
    expect(range!.low).toBeLessThan(410);
    expect(range!.high).toBeLessThan(1000);
    expect(valueRange(values.length, (i) => values[i]!)!.high).toBe(30_000);
  });

  it('keeps a file window that spans the content, and replaces one that misses it or washes it out', () => {
    // A CT chest in a mediastinal window: air and bone clip, soft tissue fills the window.
    expect(windowShowsContent({ center: 40, width: 400 }, { low: -1000, high: 1200 })).toBe(true);
    // All values above the window: a white thumbnail.
    expect(windowShowsContent({ center: 30, width: 100 }, { low: 80, high: 1300 })).toBe(false);
    // MR values in the window's upper third: grey on white.
    expect(windowShowsContent({ center: 349, width: 829 }, { low: 478, high: 798 })).toBe(false);
  });

  it('uses the asked window, else the file window for a rendered resource (min..max without one), the content for a thumbnail', () => {
    const count = 101;
    const ranges = { minMax: () => valueRange(count, ramp(count, 0, 100)), content: () => contentRange(count, ramp(count, 0, 100)) };
    expect(chooseWindow({ requested: { center: 1, width: 2 }, file: { center: 5, width: 5 }, fitToContent: true }, ranges)).toEqual({ center: 1, width: 2 });
    expect(chooseWindow({ file: { center: 1000, width: 10 }, fitToContent: false }, ranges)).toEqual({ center: 1000, width: 10 });
    expect(chooseWindow({ fitToContent: false }, ranges)).toEqual({ center: 50.5, width: 101 });
    const thumbnail = chooseWindow({ file: { center: 1000, width: 10 }, fitToContent: true }, ranges);
    expect(thumbnail.center).toBeCloseTo(50.5, 0);
    expect(thumbnail.width).toBeGreaterThan(95);
    expect(chooseWindow({ file: { center: 50, width: 120 }, fitToContent: true }, ranges)).toEqual({ center: 50, width: 120 });
  });
});
