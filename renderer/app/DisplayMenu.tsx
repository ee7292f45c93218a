/**
 * Shows the current page on another display, in that display's own window
 * (HostBridge: Electron windows, or the browser's Window Management API),
 * or puts this window full screen on its display.
 * Displays are asked for only when the menu opens: in a browser that asks
 * the user's permission.
 */
import { useState } from 'react';
import { errorMessage } from '../../shared/error-message.js';
import type { HostDisplay } from '../../shared/host/host-bridge.js';
import { hostBridge } from '../host/host-bridge-instance.js';
import { useEscapeLayer } from './lib/use-shortcuts.js';

function displayLabel(display: HostDisplay, index: number): string {
  const { width, height } = display.bounds;
  const name = display.label || `Display ${index + 1}`;
  return `${name} · ${width}×${height}${display.primary ? ' · primary' : ''}`;
}

export function DisplayMenu({ route }: { route: string }) {
  const [displays, setDisplays] = useState<HostDisplay[]>();
  const [current, setCurrent] = useState<string>();
  const [error, setError] = useState<string>();
  useEscapeLayer(!!displays, () => setDisplays(undefined));

  const toggle = async () => {
    if (displays) return setDisplays(undefined);
    try {
      const host = hostBridge();
      const [list, here] = await Promise.all([host.displays(), host.currentDisplayId()]);
      setDisplays(list);
      setCurrent(here);
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const [fullScreen, setFullScreen] = useState(false);
  const toggleFullScreen = () => {
    setDisplays(undefined);
    hostBridge()
      .setFullScreen(!fullScreen)
      .then(
        () => setFullScreen(!fullScreen),
        (e: unknown) => setError(errorMessage(e)),
      );
  };
  const open = (display: HostDisplay) => {
    setDisplays(undefined);
    hostBridge()
      .openWindowOnDisplay(display.id, route)
      .catch((e: unknown) => setError(errorMessage(e)));
  };

  return (
    <span className="display-menu">
      <button type="button" className="tab" onClick={() => void toggle()} aria-expanded={!!displays} title="Show this page on another display">
        Displays
      </button>
      {error && <span className="display-error">{error}</span>}
      {displays && (
        <ul className="display-list" role="menu" aria-label="Displays">
          {displays.map((display, i) => (
            <li key={display.id}>
              <button type="button" role="menuitem" disabled={display.id === current} onClick={() => open(display)}>
                {displayLabel(display, i)}
                {display.id === current && ' (this one)'}
              </button>
            </li>
          ))}
          <li>
            <button type="button" role="menuitem" className="full-screen" onClick={toggleFullScreen}>
              {fullScreen ? 'Leave full screen' : 'Full screen on this display'}
            </button>
          </li>
          {displays.length === 1 && <li className="display-note">Only one display is known (or the browser was not allowed to list them).</li>}
        </ul>
      )}
    </span>
  );
}
