/**
 * Routing rules as written in the routing file (resources/schemas/routing.schema.json,
 * docs/routing.md): what is forwarded where, when, and in what form.
 */

/** STAT first; a study's sends keep the priority of the rule (or the manual send) that queued them. */
export type SendPriority = 'stat' | 'high' | 'routine' | 'low';

export type RouteTrigger =
  /** Each instance as it is received. */
  | { on: 'instance' }
  /** A series (or study) once no new instance has arrived for `seconds`. */
  | { on: 'series-stable'; seconds: number }
  | { on: 'study-stable'; seconds: number }
  /** Only when asked (the reading room's "Route…", `viewbox routes run`). */
  | { on: 'manual' };

/** Transfer syntax a copy is sent in: as stored (default: byte-exact), or converted losslessly. */
export type RouteTranscode = 'as-stored' | 'explicit-little' | 'jpeg-ls-lossless';

/** PS3.15 E.1 Basic Application Level Confidentiality Profile and the options a site may add. */
export type DeidentifyOption =
  | 'retain-dates'
  | 'retain-patient-characteristics'
  | 'retain-device-identity'
  | 'retain-institution-identity'
  | 'clean-descriptors';

export interface DeidentifyAction {
  profile: 'basic';
  options?: DeidentifyOption[];
}

export interface RouteAction {
  /** Destinations by name: configured `nodes` (C-STORE) or `dicomwebNodes` (STOW-RS). */
  forward: string[];
  transcode?: RouteTranscode;
  deidentify?: DeidentifyAction;
}

/**
 * What an instance must have for the rule to apply. Keys: `callingAe` (the AE
 * that sent it; its source when imported is no AE) or a DICOM keyword or tag
 * (`Modality`, `00180015`); values: C-FIND matching (`CT`, `*CHEST*`,
 * `CT\\MR`, `20240101-`), as shared/query/matchers.ts parses them.
 */
export type RouteMatch = Record<string, string>;

export interface RouteRule {
  /** Unique in the file; the queue and logs name sends by it. */
  id: string;
  description?: string;
  /** Default true. */
  enabled?: boolean;
  /** Default routine. */
  priority?: SendPriority;
  match: RouteMatch;
  trigger: RouteTrigger;
  actions: RouteAction[];
}

export interface RoutingFile {
  $schema?: string;
  rules: RouteRule[];
}
