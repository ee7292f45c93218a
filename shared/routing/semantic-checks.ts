/**
 * What the JSON Schema cannot say about a routing file: rule ids are unique,
 * match keys name attributes and their values are C-FIND keys, and every
 * destination is a configured node. Runs on a document the schema accepted.
 */
import { compileMatch } from './match-keys.js';
import type { RoutingIssue } from './routing-issue.js';
import type { RoutingFile } from './rules.js';

/** `destinations`: the names of the configured nodes and DICOMweb nodes. */
export function semanticIssues(file: RoutingFile, destinations: readonly string[]): RoutingIssue[] {
  const issues: RoutingIssue[] = [];
  const firstById = new Map<string, number>();
  const known = new Set(destinations);
  file.rules.forEach((rule, r) => {
    const base = `/rules/${r}`;
    const first = firstById.get(rule.id);
    if (first === undefined) firstById.set(rule.id, r);
    else issues.push({ pointer: `${base}/id`, message: `duplicate rule id "${rule.id}" (also /rules/${first}/id)` });
    // Keys are keywords, tags or callingAe (the schema's pattern): nothing to escape in a pointer.
    for (const key of compileMatch(rule.match)) if ('problem' in key) issues.push({ pointer: `${base}/match/${key.key}`, message: key.problem });
    rule.actions.forEach((action, a) =>
      action.forward.forEach((name, d) => {
        if (!known.has(name)) issues.push({ pointer: `${base}/actions/${a}/forward/${d}`, message: unknownDestination(name, destinations) });
      }),
    );
  });
  return issues;
}

function unknownDestination(name: string, destinations: readonly string[]): string {
  const configured = destinations.length === 0 ? 'none is configured' : `configured: ${destinations.join(', ')}`;
  return `unknown destination "${name}": not a configured node or DICOMweb node (${configured})`;
}
