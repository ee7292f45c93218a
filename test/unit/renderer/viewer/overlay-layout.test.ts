import { describe, expect, it } from 'vitest';
import { overlayTextPx, scaleBarPlace } from '../../../../renderer/viewer/overlay-layout.js';

describe('overlay text size', () => {
  it('grows with the pane: one pane at 1920×1080 vs 2560×1440', () => {
    const hd = overlayTextPx(1830, 990, 1);
    const qhd = overlayTextPx(2470, 1350, 1);
    expect(hd).toBe(14);
    expect(qhd).toBe(19);
  });

  it('never goes below a legible size in small panes, nor grows without end', () => {
    expect(overlayTextPx(300, 200, 1)).toBe(11);
    expect(overlayTextPx(8000, 5000, 1)).toBe(22);
  });

  it('keeps enough device pixels on a display (or page zoom) below one device pixel per CSS pixel', () => {
    expect(overlayTextPx(300, 200, 0.5)).toBe(22);
    expect(overlayTextPx(300, 200, 2)).toBe(11);
  });
});

describe('scale bar place', () => {
  const text = 14;

  it('goes right of the image when the pane is wider than the image', () => {
    const place = scaleBarPlace(1800, 1000, { left: 400, top: 0, right: 1400, bottom: 1000 }, text);
    expect(place).toEqual({ along: 'vertical', left: 1407, top: 500, maxPixels: 250 });
  });

  it('goes under the image when the pane is taller than the image', () => {
    const place = scaleBarPlace(600, 1000, { left: 0, top: 200, right: 600, bottom: 800 }, text);
    expect(place).toEqual({ along: 'horizontal', centre: 300, top: 800 + text * 1.4 + 7, maxPixels: 150 });
  });

  it('stays on the bottom of the pane when the image fills it (zoomed) or margins are too thin', () => {
    expect(scaleBarPlace(600, 600, { left: -100, top: -100, right: 700, bottom: 700 }, text)).toEqual({ along: 'bottom', maxPixels: 150 });
    expect(scaleBarPlace(640, 600, { left: 20, top: 10, right: 620, bottom: 590 }, text)).toEqual({ along: 'bottom', maxPixels: 160 });
    expect(scaleBarPlace(640, 600, undefined, text)).toEqual({ along: 'bottom', maxPixels: 160 });
  });

  it('measures only the visible part of an image that reaches past the pane', () => {
    const place = scaleBarPlace(1800, 1000, { left: 400, top: -200, right: 1400, bottom: 1200 }, text);
    expect(place).toMatchObject({ along: 'vertical', top: 500, maxPixels: 250 });
  });
});
