/** The routing file's schema is one an editor can show: draft-07, and every node that constrains a value says what it is. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resourcePath } from '../../../../main/paths.js';

describe('routing.schema.json', () => {
  const schema = JSON.parse(readFileSync(resourcePath('schemas', 'routing.schema.json'), 'utf8')) as Record<string, unknown>;

  it('is draft-07', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('describes every node that has a type', () => {
    const undescribed: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      if ('type' in record && typeof record.description !== 'string') undescribed.push(path || '/');
      for (const [key, child] of Object.entries(record)) walk(child, `${path}/${key}`);
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);
  });
});
