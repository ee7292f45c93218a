/**
 * What the JSON Schema cannot say about a routing file: rule ids are unique,
 * match keys name attributes and their values are C-FIND keys, and every
 * destination is a configured node. Runs on a document the schema accepted.
 */
import { compileMatch, type CompiledKey } from './match-keys.js';
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
    for (const key of compileMatch(rule.match)) {
      const problem = 'problem' in key ? key.problem : literalWildcard(key);
      if (problem) issues.push({ pointer: `${base}/match/${key.key}`, message: problem });
    }
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

/** C-FIND takes `*` and `?` literally for some VRs (UI, dates, numbers): a rule author meant a wildcard and would never match. */
function literalWildcard(key: Extract<CompiledKey, { matcher: unknown }>): string | undefined {
  const { matcher } = key;
  if (matcher.kind !== 'values' || !matcher.alternatives.some((test) => test.kind === 'exact' && /[*?]/.test(test.text))) return undefined;
  return `"${key.wanted}": wildcards do not apply to ${key.key} (VR ${matcher.vr}), the value would be compared as written`;
}
