/**
 * The node's server-sent events (/api/events). EventSource reconnects by
 * itself; after a reconnect `onReconnect` runs, since events sent while the
 * stream was down are lost.
 */
import { useEffect, useRef } from 'react';
import { apiPaths, type ServerEvent } from '../../shared/api/app-api.js';

export function useServerEvents(onEvent: (event: ServerEvent) => void, onReconnect?: () => void): void {
  const handlers = useRef({ onEvent, onReconnect });
  handlers.current = { onEvent, onReconnect };
  useEffect(() => {
    const source = new EventSource(apiPaths.events);
    let opened = false;
    const deliver = (message: MessageEvent<string>) => {
      try {
        handlers.current.onEvent(JSON.parse(message.data) as ServerEvent);
      } catch {
        // A malformed event is dropped; the next search shows the truth anyway.
      }
    };
    source.addEventListener('study-updated', deliver);
    source.addEventListener('job', deliver);
    source.addEventListener('protocols-changed', deliver);
    source.addEventListener('open', () => {
      if (opened) handlers.current.onReconnect?.();
      opened = true;
    });
    return () => source.close();
  }, []);
}
