/**
 * What a request to the send queue may ask (GET /api/queue, POST
 * /api/queue/retry|purge): read from query parameters or a JSON body and
 * checked against the configured destinations, so a typo in a destination
 * name is a 400 that lists the real ones instead of "0 changed".
 */
import type { QueueSelection, SendState } from './queue-api.js';

export type QueueAction = 'list' | 'retry' | 'purge';

/** Which states each action takes. Without one, list shows every state; retry and purge take dead letters. */
export const ACTION_STATES: Record<QueueAction, readonly SendState[]> = {
  list: ['pending', 'in-flight', 'done', 'dead'],
  retry: ['dead', 'pending'],
  purge: ['dead', 'done', 'pending'],
};

/** The most rows a list answers with. */
export const MAX_QUEUE_LIMIT = 10_000;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** `raw`: a JSON body or the query parameters as an object; `known`: the configured destination names. */
export function checkQueueSelection(raw: unknown, known: readonly string[], action: QueueAction): Checked<QueueSelection & { limit?: number }> {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return fail('the selection must be a JSON object: {"destination"?: NAME, "studyUid"?: UID, "state"?: STATE}');
  const fields = raw as Record<string, unknown>;
  const allowed = action === 'list' ? ['destination', 'studyUid', 'state', 'limit'] : ['destination', 'studyUid', 'state'];
  const unknownField = Object.keys(fields).find((key) => !allowed.includes(key));
  if (unknownField !== undefined) return fail(`unknown field "${unknownField}" (expected ${allowed.join(', ')})`);
  const selection: QueueSelection & { limit?: number } = {};
  const { destination, studyUid, state, limit } = fields;
  if (destination !== undefined) {
    if (typeof destination !== 'string' || destination === '') return fail('"destination" must be a destination name');
    if (!known.includes(destination)) {
      return fail(`no destination "${destination}": the configured destinations are ${known.length > 0 ? known.join(', ') : 'none (add nodes or dicomwebNodes to the configuration)'}`);
    }
    selection.destination = destination;
  }
  if (studyUid !== undefined) {
    if (typeof studyUid !== 'string' || !/^[0-9]+(\.[0-9]+)*$/.test(studyUid) || studyUid.length > 64) return fail(`"studyUid" must be a Study Instance UID (digits and dots, at most 64), not ${JSON.stringify(studyUid)}`);
    selection.studyUid = studyUid;
  }
  const states = ACTION_STATES[action];
  if (state !== undefined) {
    if (typeof state !== 'string' || !states.includes(state as SendState)) return fail(`${action} takes "state" ${states.join(', ')}, not ${JSON.stringify(state)}`);
    selection.state = state as SendState;
  } else if (action !== 'list') {
    selection.state = 'dead';
  }
  if (limit !== undefined) {
    const n = typeof limit === 'string' && /^[0-9]+$/.test(limit) ? Number(limit) : limit;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_QUEUE_LIMIT) return fail(`"limit" must be a whole number from 1 to ${MAX_QUEUE_LIMIT}, not ${JSON.stringify(limit)}`);
    selection.limit = n;
  }
  return { ok: true, value: selection };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
