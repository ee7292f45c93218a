/** The routing routes of the app API (contract in shared/api/routes-api.ts): the rules in force, and a rule run on demand. */
import type { Hono } from 'hono';
import type { JobInfo } from '../../shared/api/jobs.js';
import type { RoutesResponse, RunRuleRequest } from '../../shared/api/routes-api.js';
import { RunRuleError, type RunRuleRefusal } from '../routing/run-rule.js';

export interface RoutingRoutesDeps {
  routes: () => RoutesResponse;
  /** Starts the rule's sends as a job; throws RunRuleError when it cannot. */
  run: (request: RunRuleRequest) => JobInfo;
}

const REFUSAL_STATUS: Record<RunRuleRefusal, 404 | 409> = {
  'unknown-rule': 404,
  'not-held': 404,
  disabled: 409,
  'no-match': 409,
  'rules-unreadable': 409,
};

export function addRoutingRoutes(api: Hono, deps: RoutingRoutesDeps): void {
  api.get('/routes', (c) => c.json(deps.routes()));

  api.post('/routes/run', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!body || typeof body.rule !== 'string' || typeof body.studyUid !== 'string' || (body.seriesUid !== undefined && typeof body.seriesUid !== 'string')) {
      return c.json({ error: 'expected {"rule": RULE_ID, "studyUid": UID, "seriesUid"?: UID}' }, 400);
    }
    const request: RunRuleRequest = { rule: body.rule, studyUid: body.studyUid, ...(typeof body.seriesUid === 'string' ? { seriesUid: body.seriesUid } : {}) };
    try {
      return c.json(deps.run(request), 202);
    } catch (error) {
      if (error instanceof RunRuleError) return c.json({ error: error.message }, REFUSAL_STATUS[error.refusal]);
      throw error;
    }
  });
}
