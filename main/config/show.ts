/** `viewbox config show`: the effective values, one leaf per line, each with the layer it came from. */
import { isPlainObject } from './merge.js';
import type { EffectiveConfig, LayerSource } from './load.js';
import { escapePointer } from './schema.js';

export interface ShownValue {
  pointer: string;
  value: unknown;
  source: LayerSource;
}

export function effectiveValues(effective: EffectiveConfig): ShownValue[] {
  const rows: ShownValue[] = [];
  const walk = (value: unknown, pointer: string) => {
    if (isPlainObject(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, `${pointer}/${escapePointer(key)}`);
      return;
    }
    const source = effective.sources.get(pointer);
    if (source) rows.push({ pointer, value, source });
  };
  walk(effective.config, '');
  return rows;
}

export function formatEffectiveValues(rows: ShownValue[]): string {
  const width = Math.max(0, ...rows.map((r) => r.pointer.length));
  return rows
    .map((r) => `${r.pointer.padEnd(width)}  ${JSON.stringify(r.value)}  (${r.source.layer}: ${r.source.file})`)
    .join('\n');
}
