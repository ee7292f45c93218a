/** The selected row of a list and the keys that move it (↑ ↓ Home End), kept by key across refreshes. */
import { useState } from 'react';
import type { ShortcutHandlers } from '../app/lib/use-shortcuts.js';

export interface RowSelection<T> {
  selectedKey: string | undefined;
  selected: T | undefined;
  select: (row: T) => void;
  /** Handlers for rowPrevious, rowNext, rowFirst, rowLast. */
  keys: ShortcutHandlers;
}

export function useRowSelection<T>(rows: readonly T[], keyOf: (row: T) => string, initial?: string): RowSelection<T> {
  const [selectedKey, setSelectedKey] = useState(initial);
  const index = rows.findIndex((row) => keyOf(row) === selectedKey);
  const selectAt = (at: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, at))];
    if (row !== undefined) setSelectedKey(keyOf(row));
  };
  return {
    selectedKey,
    selected: rows[index],
    select: (row) => setSelectedKey(keyOf(row)),
    keys: {
      rowPrevious: () => selectAt(index < 0 ? 0 : index - 1),
      rowNext: () => selectAt(index + 1),
      rowFirst: () => selectAt(0),
      rowLast: () => selectAt(rows.length - 1),
    },
  };
}
