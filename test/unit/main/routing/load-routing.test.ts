/**
 * The routing file on disk: where a node looks for it, a missing one routes
 * nothing, an invalid one is refused with every problem naming the file, and
 * the shipped example is valid.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resourcePath } from '../../../../main/paths.js';
import { formatRoutingIssue, loadRoutingFile, RoutingFileError, routingFilePath } from '../../../../main/routing/load-routing.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';

const dirs = tempDirsPerTest('viewbox-routing-', afterEach);

describe('routingFilePath', () => {
  it('is routing.json in the data folder by default, a relative rulesFile is in the data folder, an absolute one stands', () => {
    expect(routingFilePath({}, '/data')).toBe('/data/routing.json');
    expect(routingFilePath({ routing: {} }, '/data')).toBe('/data/routing.json');
    expect(routingFilePath({ routing: { rulesFile: 'rules/site.json' } }, '/data')).toBe('/data/rules/site.json');
    expect(routingFilePath({ routing: { rulesFile: '/etc/viewbox/routing.json' } }, '/data')).toBe('/etc/viewbox/routing.json');
  });
});

describe('loadRoutingFile', () => {
  it('a missing file routes nothing', async () => {
    expect(await loadRoutingFile(join(await dirs.dataDir(), 'routing.json'), [])).toEqual({ rules: [] });
  });

  it('the example file is valid with its destinations configured, and names them when they are not', async () => {
    const example = resourcePath('routing', 'example.json');
    const routing = await loadRoutingFile(example, ['PACS', 'AI_NODULES', 'RESEARCH_WEB', 'TEACHING']);
    expect(routing.rules.map((r) => r.id)).toEqual(['ct-to-pacs', 'stat-ed', 'chest-ct-to-ai', 'research-copy', 'teaching-file']);
    const error = await loadRoutingFile(example, ['PACS']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoutingFileError);
    expect((error as RoutingFileError).issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/unknown destination "AI_NODULES"/),
      expect.stringMatching(/unknown destination "RESEARCH_WEB"/),
      expect.stringMatching(/unknown destination "TEACHING"/),
    ]);
  });

  it('an invalid file throws every problem, each naming the file and the place', async () => {
    const file = join(await dirs.dataDir(), 'routing.json');
    await writeFile(file, JSON.stringify({ rules: [{ id: 'a', match: { Modallity: 'CT' }, trigger: { on: 'instance' }, actions: [{ forward: ['PACS'] }] }] }));
    const error = (await loadRoutingFile(file, ['PACS']).catch((e: unknown) => e)) as RoutingFileError;
    expect(error).toBeInstanceOf(RoutingFileError);
    expect(error.issues).toEqual([{ file, pointer: '/rules/0/match/Modallity', message: expect.stringMatching(/not a DICOM keyword/) }]);
    expect(error.message).toContain(`${file} /rules/0/match/Modallity`);
  });

  it('a syntax error names line and column', async () => {
    const file = join(await dirs.dataDir(), 'routing.json');
    await writeFile(file, '{\n  "rules": [,]\n}\n');
    const error = (await loadRoutingFile(file, []).catch((e: unknown) => e)) as RoutingFileError;
    expect(error.issues).toHaveLength(1);
    expect(formatRoutingIssue(error.issues[0]!)).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}:2:13 / not valid JSON: `));
  });
});
