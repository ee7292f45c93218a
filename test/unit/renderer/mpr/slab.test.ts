/** Slab thickness steps and modes, as the keys move through them. */
import { describe, expect, it } from 'vitest';
import { SINGLE_PLANE, SLAB_STEPS_MM, slabLabel, thickerSlab, thinnerSlab, withMode } from '../../../../renderer/mpr/slab.js';

describe('slab', () => {
  it('steps thicker and thinner through the steps, stopping at both ends', () => {
    expect(thickerSlab(0)).toBe(2);
    expect(thickerSlab(2)).toBe(5);
    expect(thickerSlab(7)).toBe(10);
    expect(thickerSlab(SLAB_STEPS_MM.at(-1)!)).toBe(SLAB_STEPS_MM.at(-1));
    expect(thinnerSlab(10)).toBe(5);
    expect(thinnerSlab(7)).toBe(5);
    expect(thinnerSlab(2)).toBe(0);
    expect(thinnerSlab(0)).toBe(0);
  });

  it('gives a chosen mode a thickness at once, and keeps a thickness already chosen', () => {
    expect(withMode(SINGLE_PLANE, 'minip')).toEqual({ mode: 'minip', thickness: 5 });
    expect(withMode({ mode: 'mip', thickness: 20 }, 'average')).toEqual({ mode: 'average', thickness: 20 });
  });

  it('labels slabs as the overlay shows them, and a single plane not at all', () => {
    expect(slabLabel({ mode: 'mip', thickness: 10 })).toBe('MIP 10 mm');
    expect(slabLabel({ mode: 'minip', thickness: 2.5 })).toBe('MinIP 2.5 mm');
    expect(slabLabel({ mode: 'average', thickness: 5 })).toBe('Avg 5 mm');
    expect(slabLabel(SINGLE_PLANE)).toBeUndefined();
  });
});
