/** The keyboard map: no key means two things at once, and docs/reading-room.md lists every shortcut. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actionFor, keyLabel, SHORTCUTS } from '../../../../renderer/app/lib/keyboard-map.js';

describe('keyboard map', () => {
  it('binds each key to one action per page (global keys count on every page)', () => {
    for (const scope of ['worklist', 'viewer'] as const) {
      const seen = new Map<string, string>();
      for (const shortcut of SHORTCUTS.filter((s) => s.scope === scope || s.scope === 'global')) {
        for (const key of shortcut.keys) {
          expect(seen.get(key), `${scope}: "${key}" is bound to ${seen.get(key)} and ${shortcut.id}`).toBeUndefined();
          seen.set(key, shortcut.id);
        }
      }
    }
  });

  it('finds the action of a key on a page', () => {
    expect(actionFor('4', 'viewer')).toBe('preset4');
    expect(actionFor('4', 'worklist')).toBeUndefined();
    expect(actionFor('?', 'worklist')).toBe('help');
  });

  it('is documented in docs/reading-room.md, key for key', () => {
    const docs = readFileSync(new URL('../../../../docs/reading-room.md', import.meta.url), 'utf8');
    for (const shortcut of SHORTCUTS) {
      const keys = shortcut.keys.map((k) => `\`${keyLabel(k)}\``).join(' ');
      expect(docs, `${shortcut.id}`).toContain(`| ${keys} | ${shortcut.description} |`);
    }
  });
});
