/**
 * Labelled patient axes in a corner of the 3D view, turned as the volume is:
 * R/L red, A/P green, H/F blue; an end pointing away from the reader is
 * drawn fainter.
 */
import type { AxisEnd } from './orientation-axes.js';

const SIZE = 76;
const RADIUS = 24;
const LABEL = 32;
const COLOURS: Record<string, string> = { R: '#e65a5a', L: '#e65a5a', A: '#5ac878', P: '#5ac878', H: '#6aa0ff', F: '#6aa0ff' };

export function OrientationAxes({ ends }: { ends: readonly AxisEnd[] }) {
  const c = SIZE / 2;
  return (
    <svg className="orientation-axes" width={SIZE} height={SIZE} viewBox={`0 0 ${SIZE} ${SIZE}`} aria-label="Patient orientation">
      {ends.map(({ letter, x, y, depth }) => (
        <g key={letter} opacity={depth < -0.1 ? 0.45 : 1}>
          <line x1={c} y1={c} x2={c + x * RADIUS} y2={c + y * RADIUS} stroke={COLOURS[letter]} strokeWidth={2} />
          <text data-letter={letter} x={c + x * LABEL} y={c + y * LABEL} fill={COLOURS[letter]} textAnchor="middle" dominantBaseline="central">
            {letter}
          </text>
        </g>
      ))}
    </svg>
  );
}
