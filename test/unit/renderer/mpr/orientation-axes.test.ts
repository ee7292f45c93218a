import { describe, expect, it } from 'vitest';
import { axisEnds } from '../../../../renderer/mpr/orientation-axes.js';

const at = (ends: ReturnType<typeof axisEnds>, letter: string) => {
  const end = ends.find((e) => e.letter === letter)!;
  return [Math.round(end.x * 100) / 100 + 0, Math.round(end.y * 100) / 100 + 0, Math.round(end.depth * 100) / 100 + 0];
};

describe('orientation axes of a 3D view', () => {
  it('seen from the front: head up, the patient\'s left on the right, anterior towards the viewer', () => {
    const ends = axisEnds([0, 0, 1], [0, -1, 0]);
    expect(at(ends, 'H')).toEqual([0, -1, 0]);
    expect(at(ends, 'L')).toEqual([1, 0, 0]);
    expect(at(ends, 'R')).toEqual([-1, 0, 0]);
    expect(at(ends, 'A')).toEqual([0, 0, 1]);
    // Drawn back to front: the end towards the viewer last.
    expect(ends.at(-1)!.letter).toBe('A');
  });

  it('seen from the feet (axial): anterior up, the patient\'s left on the right', () => {
    const ends = axisEnds([0, -1, 0], [0, 0, -1]);
    expect(at(ends, 'A')).toEqual([0, -1, 0]);
    expect(at(ends, 'L')).toEqual([1, 0, 0]);
    expect(at(ends, 'F')).toEqual([0, 0, 1]);
  });

  it('seen from the patient\'s left side: head up, the face towards the viewer\'s left', () => {
    const ends = axisEnds([0, 0, 1], [1, 0, 0]);
    expect(at(ends, 'H')).toEqual([0, -1, 0]);
    expect(at(ends, 'A')[0]).toBe(-1);
    expect(at(ends, 'L')[2]).toBe(1);
  });
});
