/**
 * Layer merging: objects merge key by key, anything else (numbers, strings,
 * arrays such as nodes) is replaced whole by a later layer. Records which
 * layer each leaf value came from.
 */
import { escapePointer } from './schema.js';

export type JsonObject = { [key: string]: unknown };

export interface Provenance<L> {
  value: JsonObject;
  /** JSON pointer of each leaf value → the layer that set it. */
  sources: Map<string, L>;
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergeLayers<L>(layers: Array<{ layer: L; document: JsonObject }>): Provenance<L> {
  const sources = new Map<string, L>();
  const value: JsonObject = {};
  for (const { layer, document } of layers) mergeInto(value, document, '', layer, sources);
  return { value, sources };
}

function mergeInto<L>(target: JsonObject, source: JsonObject, pointer: string, layer: L, sources: Map<string, L>): void {
  for (const [key, incoming] of Object.entries(source)) {
    if (key === '$schema') continue;
    const here = `${pointer}/${escapePointer(key)}`;
    const held = target[key];
    if (isPlainObject(incoming)) {
      const into = isPlainObject(held) ? held : {};
      target[key] = into;
      mergeInto(into, incoming, here, layer, sources);
    } else {
      // A scalar or array replacing an object (or the reverse) drops the old leaves' provenance.
      for (const old of [...sources.keys()]) if (old.startsWith(`${here}/`)) sources.delete(old);
      target[key] = structuredClone(incoming);
      sources.set(here, layer);
    }
  }
}
