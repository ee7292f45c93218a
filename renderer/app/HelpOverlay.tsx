/** The shortcut list, from the keyboard map, for the page you are on. */
import { Fragment } from 'react';
import { descriptionOf, keyLabel, keysOf, SHORTCUTS, type ShortcutScope } from './lib/keyboard-map.js';
import { viewerSettingsIssues } from './lib/viewer-settings.js';

export function HelpOverlay({ scope, onClose }: { scope: ShortcutScope; onClose: () => void }) {
  const shown = SHORTCUTS.filter((s) => s.scope === scope || s.scope === 'global');
  const issues = viewerSettingsIssues();
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="help" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        {issues.length > 0 && (
          <div className="settings-issues" role="alert">
            Your settings file {issues[0]!.file} is not used (the built-in presets and keys are):
            <ul>
              {issues.map((issue) => (
                <li key={`${issue.pointer} ${issue.message}`}>
                  {issue.pointer || '/'}: {issue.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="help-list">
          {shown.map((s) => (
            <Fragment key={`${s.scope}-${s.id}`}>
              <span className="keys">
                {keysOf(s).map((k) => (
                  <kbd key={k}>{keyLabel(k)}</kbd>
                ))}
              </span>
              <span>{descriptionOf(s)}</span>
            </Fragment>
          ))}
        </div>
      </div>
    </div>
  );
}
