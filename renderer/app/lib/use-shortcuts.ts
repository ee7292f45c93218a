/** Binds the keyboard map's actions of one scope to handlers while a component is shown. */
import { useEffect, useRef } from 'react';
import { actionFor, type ActionId, type ShortcutScope } from './keyboard-map.js';

/** A key press is handled once, by the first of our listeners that has a handler for it. */
const handled = new WeakSet<Event>();

export type ShortcutHandlers = Partial<Record<ActionId, () => void>>;

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
