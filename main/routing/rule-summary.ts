/** Routing rules and destinations in words for people: GET /api/routes (the reading room) and `viewbox routes list`. */
import type { DestinationSummary, RuleSummary } from '../../shared/api/routes-api.js';
import type { RouteAction, RouteRule } from '../../shared/routing/rules.js';
import type { Destination } from './destination-list.js';

/** How an action changes the copy: "as stored", "jpeg-ls-lossless", "de-identified (basic: retain-dates)". */
export function transformText(action: RouteAction): string {
  const parts = [action.transcode && action.transcode !== 'as-stored' ? action.transcode : 'as stored'];
  if (action.deidentify) {
    const options = action.deidentify.options ?? [];
    parts.push(`de-identified (${action.deidentify.profile}${options.length ? `: ${options.join(', ')}` : ''})`);
  }
  return parts.join(', ');
}

export function ruleSummary(rule: RouteRule): RuleSummary {
  return {
    id: rule.id,
    ...(rule.description ? { description: rule.description } : {}),
    enabled: rule.enabled !== false,
    priority: rule.priority ?? 'routine',
    trigger: rule.trigger,
    destinations: [...new Set(rule.actions.flatMap((a) => a.forward))],
    transform: rule.actions.map(transformText),
  };
}

export function destinationSummary(destination: Destination): DestinationSummary {
  return { name: destination.name, kind: destination.kind, aiEngine: destination.node.aiEngine === true };
}
