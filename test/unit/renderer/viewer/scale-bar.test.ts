import { describe, expect, it } from 'vitest';
import { scaleBar } from '../../../../renderer/viewer/scale-bar.js';

describe('scale bar', () => {
  it.each([
    // mm per pixel, room in pixels → length, label
    [1, 250, 200, '20 cm'],
    [1, 199, 100, '10 cm'],
    [0.5, 120, 50, '5 cm'],
    [0.7, 200, 100, '10 cm'],
    [0.1, 150, 10, '1 cm'],
    [0.01, 150, 1, '1 mm'],
    [0.004, 150, 0.5, '0.5 mm'],
    [3, 100, 200, '20 cm'],
    [2, 40, 50, '5 cm'],
  ])('at %f mm per pixel in %i pixels: %f mm, "%s"', (mmPerPixel, room, mm, label) => {
    const bar = scaleBar(mmPerPixel, room)!;
    expect(bar.mm).toBeCloseTo(mm, 9);
    expect(bar.label).toBe(label);
    expect(bar.pixels).toBeCloseTo(mm / mmPerPixel, 6);
    expect(bar.pixels).toBeLessThanOrEqual(room);
  });

  it('draws nothing without a scale or without room', () => {
    expect(scaleBar(0, 200)).toBeUndefined();
    expect(scaleBar(Number.NaN, 200)).toBeUndefined();
    expect(scaleBar(1, 10)).toBeUndefined();
  });
});
