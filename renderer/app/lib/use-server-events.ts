/**
 * The node's server-sent events (/api/events). One EventSource serves the
 * whole page, however many components listen: each stream holds one of the
 * browser's few connections to the node, which image loads need. EventSource
 * reconnects by itself; after a reconnect `onReconnect` runs, since events
 * sent while the stream was down are lost.
 */
import { useEffect, useRef } from 'react';
import { apiPaths, type ServerEvent } from '../../../shared/api/app-api.js';

interface Listener {
  onEvent(event: ServerEvent): void;
  onReconnect?: (() => void) | undefined;
}

const EVENT_NAMES: ReadonlyArray<ServerEvent['type']> = ['study-updated', 'job', 'protocols-changed', 'queue'];
const listeners = new Set<Listener>();
let source: EventSource | undefined;

function open(): EventSource {
  const stream = new EventSource(apiPaths.events);
  let opened = false;
  const deliver = (message: MessageEvent<string>) => {
    let event: ServerEvent;
    try {
      event = JSON.parse(message.data) as ServerEvent;
    } catch {
      // A malformed event is dropped; the next search shows the truth anyway.
      return;
    }
    for (const listener of [...listeners]) listener.onEvent(event);
  };
  for (const name of EVENT_NAMES) stream.addEventListener(name, deliver);
  stream.addEventListener('open', () => {
    if (opened) for (const listener of [...listeners]) listener.onReconnect?.();
    opened = true;
  });
  return stream;
}

export function useServerEvents(onEvent: (event: ServerEvent) => void, onReconnect?: () => void): void {
  const handlers = useRef({ onEvent, onReconnect });
  handlers.current = { onEvent, onReconnect };
  useEffect(() => {
    const listener: Listener = { onEvent: (event) => handlers.current.onEvent(event), onReconnect: () => handlers.current.onReconnect?.() };
    listeners.add(listener);
    source ??= open();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        source?.close();
        source = undefined;
      }
    };
  }, []);
}
