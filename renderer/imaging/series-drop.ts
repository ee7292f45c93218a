/** Dragging a series from the strip onto a viewport: the data type, and the drop target's handlers. */
import type { DragEvent } from 'react';

export const SERIES_DRAG_TYPE = 'application/x-viewbox-series';

/** Props that make an element accept a dragged series; `onDropSeries` gets its index in the series list. */
export function seriesDropTarget(onDropSeries: (seriesIndex: number) => void) {
  return {
    onDragOver: (e: DragEvent) => {
      if (e.dataTransfer.types.includes(SERIES_DRAG_TYPE)) e.preventDefault();
    },
    onDrop: (e: DragEvent) => {
      const dropped = Number(e.dataTransfer.getData(SERIES_DRAG_TYPE));
      if (Number.isInteger(dropped)) onDropSeries(dropped);
    },
  };
}
