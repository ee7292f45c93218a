/** The send queue's routes of the app API (contract in shared/api/queue-api.ts): list, retry, purge. */
import type { Hono } from 'hono';
import type { QueueApi, QueueChangeResponse, QueueListResponse } from '../../shared/api/queue-api.js';
import { checkQueueSelection, type QueueAction } from '../../shared/api/queue-selection.js';
import { QueueSelectionError } from '../routing/queue-service.js';

export interface QueueDeps {
  api: QueueApi;
  /** The configured destination names (nodes and dicomwebNodes), to name them when a request gives another. */
  destinations: () => string[];
}

export function addQueueRoutes(api: Hono, deps: QueueDeps): void {
  api.get('/queue', (c) => {
    const checked = checkQueueSelection(Object.fromEntries(new URL(c.req.url).searchParams), deps.destinations(), 'list');
    if (!checked.ok) return c.json({ error: checked.error }, 400);
    return c.json(deps.api.list(checked.value) satisfies QueueListResponse);
  });

  const change = (action: Exclude<QueueAction, 'list'>) =>
    api.post(`/queue/${action}`, async (c) => {
      const body: unknown = await c.req.json().catch(() => NOT_JSON);
      if (body === NOT_JSON) return c.json({ error: `POST /api/queue/${action}: the body must be JSON, e.g. {"destination": "PACS", "state": "dead"}` }, 400);
      const checked = checkQueueSelection(body, deps.destinations(), action);
      if (!checked.ok) return c.json({ error: checked.error }, 400);
      try {
        const changed = action === 'retry' ? deps.api.retry(checked.value) : deps.api.purge(checked.value);
        return c.json({ changed } satisfies QueueChangeResponse);
      } catch (error) {
        if (error instanceof QueueSelectionError) return c.json({ error: error.message }, 400);
        throw error;
      }
    });
  change('retry');
  change('purge');
}

const NOT_JSON = Symbol('not JSON');
