/**
 * Binds the keyboard map's actions of one scope to handlers while a component
 * is shown; Escape first closes the topmost transient thing (escape layers).
 */
import { useEffect, useRef } from 'react';
import { actionFor, type ActionId, type ShortcutScope } from './keyboard-map.js';

/** A key press is handled once, by the first of our listeners that has a handler for it. */
const handled = new WeakSet<Event>();

export type ShortcutHandlers = Partial<Record<ActionId, () => void>>;

/** Transient things open over the page (a menu, a question), the last opened on top. */
const escapeLayers: Array<{ close: () => void }> = [];

/**
 * While `open`, Escape calls `close` instead of doing what it does beneath
 * (leaving the study): one press closes the topmost layer only.
 */
export function useEscapeLayer(open: boolean, close: () => void): void {
  const current = useRef(close);
  current.current = close;
  useEffect(() => {
    if (!open) return;
    const layer = { close: () => current.current() };
    escapeLayers.push(layer);
    return () => {
      escapeLayers.splice(escapeLayers.indexOf(layer), 1);
    };
  }, [open]);
}

/** Typing in a filter must not fire shortcuts; only Escape leaves the field. */
function isTextEntry(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** `first`: handle keys before the page's own handlers (the help overlay is modal). */
export function useShortcuts(scope: ShortcutScope, handlers: ShortcutHandlers, first = false): void {
  // The latest handlers, without re-binding the listener on every render.
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Not `defaultPrevented`: Cornerstone's tools prevent the default of every key pressed on a viewport.
      if (event.ctrlKey || event.metaKey || event.altKey || handled.has(event)) return;
      if (isTextEntry(event.target)) {
        if (event.key === 'Escape' && event.target instanceof HTMLElement) event.target.blur();
        return;
      }
      const top = event.key === 'Escape' ? escapeLayers.at(-1) : undefined;
      if (top) {
        handled.add(event);
        event.preventDefault();
        top.close();
        return;
      }
      const action = actionFor(event.key, scope);
      const handler = action && current.current[action];
      if (!handler) return;
      handled.add(event);
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKey, first);
    return () => window.removeEventListener('keydown', onKey, first);
  }, [scope, first]);
}
