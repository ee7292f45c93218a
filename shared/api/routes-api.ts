/**
 * Routing rules as the reading room and the CLI see them through the node
 * (GET /api/routes, POST /api/routes/run; docs/api.md, docs/routing.md).
 */
import type { RouteTrigger, SendPriority } from '../routing/rules.js';

/** One rule of the routing file in force. */
export interface RuleSummary {
  id: string;
  description?: string;
  enabled: boolean;
  priority: SendPriority;
  trigger: RouteTrigger;
  /** Every destination of every action, in file order, each once. */
  destinations: string[];
  /** How the copies are made, per action: "as stored", "jpeg-ls-lossless, de-identified (basic)". */
  transform: string[];
}

/** A place a study can be sent: a configured DIMSE node or DICOMweb node; `aiEngine` marks an AI engine. */
export interface DestinationSummary {
  name: string;
  kind: 'dimse' | 'dicomweb';
  aiEngine: boolean;
}

/** GET /api/routes. */
export interface RoutesResponse {
  rules: RuleSummary[];
  destinations: DestinationSummary[];
  /** Why the routing file on disk is not in force ("routing.json: /rules/0/actions/0/forward/0: no destination named X"); the rules listed are those still routing. */
  problem?: string;
}

/** POST /api/routes/run: queue a rule's sends for a held study (or one series), whatever its trigger; answers 202 with the job. */
export interface RunRuleRequest {
  rule: string;
  studyUid: string;
  seriesUid?: string;
}
