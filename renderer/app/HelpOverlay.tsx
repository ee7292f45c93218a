/** The shortcut list, from the keyboard map, for the page you are on. */
import { Fragment } from 'react';
import { keyLabel, SHORTCUTS, type ShortcutScope } from './lib/keyboard-map.js';

export function HelpOverlay({ scope, onClose }: { scope: ShortcutScope; onClose: () => void }) {
  const shown = SHORTCUTS.filter((s) => s.scope === scope || s.scope === 'global');
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="help" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <div className="help-list">
          {shown.map((s) => (
            <Fragment key={`${s.scope}-${s.id}`}>
              <span className="keys">
                {s.keys.map((k) => (
                  <kbd key={k}>{keyLabel(k)}</kbd>
                ))}
              </span>
              <span>{s.description}</span>
            </Fragment>
          ))}
        </div>
      </div>
    </div>
  );
}
