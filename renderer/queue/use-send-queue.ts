/**
 * The node's send queue, kept current: read once, then again whenever the
 * node says a destination's queue changed (the 'queue' server event, at most
 * once a second per destination) or the event stream reconnects. Reads never
 * overlap: an event during a read asks for one more read after it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiPaths } from '../../shared/api/app-api.js';
import type { QueueChangeResponse, QueueListResponse, QueueSelection } from '../../shared/api/queue-api.js';
import { errorMessage } from '../../shared/error-message.js';
import { ApiError, getJson, postJson } from '../app/lib/api-client.js';
import { useServerEvents } from '../app/lib/use-server-events.js';

/** Study rows the panel shows; the per-destination counts are always complete. */
const STUDY_ROWS = 500;

export interface SendQueue {
  queue: QueueListResponse | undefined;
  /** The node serves no send queue (an older node, or routing not set up). */
  unavailable: boolean;
  error: string | undefined;
  retry(selection: QueueSelection): Promise<number>;
  purge(selection: QueueSelection): Promise<number>;
}

export function useSendQueue(): SendQueue {
  const [queue, setQueue] = useState<QueueListResponse>();
  const [unavailable, setUnavailable] = useState(false);
  const [error, setError] = useState<string>();
  const reads = useRef({ running: false, again: false, mounted: true });

  const refresh = useCallback(() => {
    const state = reads.current;
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    getJson<QueueListResponse>(`${apiPaths.queue}?limit=${STUDY_ROWS}`)
      .then(
        (answer) => {
          if (!state.mounted) return;
          setQueue(answer);
          setUnavailable(false);
          setError(undefined);
        },
        (failure: unknown) => {
          if (!state.mounted) return;
          if (failure instanceof ApiError && failure.status === 404) setUnavailable(true);
          else setError(errorMessage(failure));
        },
      )
      .finally(() => {
        state.running = false;
        if (state.again && state.mounted) {
          state.again = false;
          refresh();
        }
      });
  }, []);

  useEffect(() => {
    reads.current.mounted = true;
    refresh();
    return () => {
      reads.current.mounted = false;
    };
  }, [refresh]);
  useServerEvents((event) => {
    if (event.type === 'queue') refresh();
  }, refresh);

  const change = useCallback(
    async (path: string, selection: QueueSelection) => {
      const { changed } = await postJson<QueueChangeResponse>(path, selection);
      refresh();
      return changed;
    },
    [refresh],
  );
  return {
    queue,
    unavailable,
    error,
    retry: useCallback((selection) => change(apiPaths.queueRetry, selection), [change]),
    purge: useCallback((selection) => change(apiPaths.queuePurge, selection), [change]),
  };
}
