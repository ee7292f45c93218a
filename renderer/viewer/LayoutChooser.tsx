/** Picks the viewport layout: a grid up to 4×4 (hover, click) or an asymmetric 1+2 / 1+3. */
import { useState } from 'react';
import { ASYMMETRIC_LAYOUTS, gridLayout, MAX_GRID, type Layout } from '../imaging/layouts.js';

export function LayoutChooser({ current, onChoose, onClose }: { current: Layout; onChoose: (layout: Layout) => void; onClose: () => void }) {
  const [hover, setHover] = useState({ rows: current.rows, cols: current.cols });
  const cells = [];
  for (let row = 1; row <= MAX_GRID; row++) {
    for (let col = 1; col <= MAX_GRID; col++) {
      const lit = row <= hover.rows && col <= hover.cols;
      cells.push(
        <button
          type="button"
          key={`${row}x${col}`}
          className={`layout-cell${lit ? ' lit' : ''}`}
          aria-label={`${row}×${col}`}
          onMouseEnter={() => setHover({ rows: row, cols: col })}
          onFocus={() => setHover({ rows: row, cols: col })}
          onClick={() => onChoose(gridLayout(row, col))}
        />,
      );
    }
  }
  return (
    <div className="layout-chooser" role="dialog" aria-label="Layout" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="layout-grid">{cells}</div>
      <div className="layout-hint">
        {hover.rows}×{hover.cols}
      </div>
      <div className="layout-asymmetric">
        {ASYMMETRIC_LAYOUTS.map((layout) => (
          <button type="button" key={layout.id} className={current.id === layout.id ? 'active' : ''} onClick={() => onChoose(layout)}>
            {layout.label}
          </button>
        ))}
      </div>
    </div>
  );
}
