/** The viewer settings file: read and checked against its schema, whose action names are the keyboard map's. */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourcePath } from '../../../../main/paths.js';
import { readViewerSettings } from '../../../../main/web/viewer-settings.js';
import { SHORTCUTS } from '../../../../renderer/app/lib/keyboard-map.js';
import { tempDir } from '../../../helpers/tmp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir('viewer-settings-');
});
afterAll(() => dir.cleanup());

describe('viewer settings file', () => {
  it('names every action of the keyboard map in its schema, and no other', () => {
    const schema = JSON.parse(readFileSync(resourcePath('schemas', 'viewer-settings.schema.json'), 'utf8')) as { properties: { keys: { propertyNames: { enum: string[] } } } };
    expect([...schema.properties.keys.propertyNames.enum].sort()).toEqual(SHORTCUTS.map((s) => s.id).sort());
  });

  it('is empty without a file, the settings when valid, and every problem with its pointer otherwise', async () => {
    const file = join(dir.path, 'viewer-settings.json');
    expect(readViewerSettings(file)).toEqual({ file, settings: {}, issues: [] });
    const valid = { windowPresets: [{ name: 'Temporal bone', width: 4000, center: 700 }], keys: { invert: ['j', 'J'] } };
    await writeFile(file, JSON.stringify(valid));
    expect(readViewerSettings(file)).toEqual({ file, settings: valid, issues: [] });
    await writeFile(file, JSON.stringify({ windowPresets: [{ name: '', width: 0 }], keys: { invert: [] }, colour: 'blue' }));
    expect(readViewerSettings(file).issues.map((i) => `${i.pointer} ${i.message}`).sort()).toEqual([
      '/colour unknown key "colour"',
      '/keys/invert must NOT have fewer than 1 items',
      '/windowPresets/0 missing required key "center"',
      '/windowPresets/0/name must NOT have fewer than 1 characters',
      '/windowPresets/0/width must be > 0',
    ]);
  });
});
