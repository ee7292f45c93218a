/**
 * Panels that must not just vanish (the protocol editor with unsaved edits).
 * Whatever closes a panel (its ✕, Esc, its key, a bar's button) asks
 * mayClose first; a guard that says no asks the reader itself.
 */
import { useEffect, useRef } from 'react';

const guards = new Map<string, () => boolean>();

/** While mounted, closing panel `id` asks `guard` (true: close now; false: not now). */
export function useCloseGuard(id: string | undefined, guard: () => boolean): void {
  const current = useRef(guard);
  current.current = guard;
  useEffect(() => {
    if (id === undefined) return;
    const ask = () => current.current();
    guards.set(id, ask);
    return () => {
      if (guards.get(id) === ask) guards.delete(id);
    };
  }, [id]);
}

export function mayClose(id: string): boolean {
  return guards.get(id)?.() ?? true;
}
