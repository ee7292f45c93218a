import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, formatIssue, type ConfigIssue } from '../../../../main/config/errors.js';
import { defaultConfigFile, loadConfig, validateConfigFile } from '../../../../main/config/load.js';
import { validateConfig, validateLayer } from '../../../../main/config/schema.js';
import { effectiveValues } from '../../../../main/config/show.js';
import type { PlatformContext } from '../../../../main/paths.js';
import { tempDir } from '../../../helpers/tmp.js';

let dir: { path: string; cleanup: () => Promise<void> };
let platform: PlatformContext;
let machineFile: string;
let userFile: string;

beforeEach(async () => {
  dir = await tempDir('viewbox-config-');
  machineFile = join(dir.path, 'etc', 'config.json');
  userFile = join(dir.path, 'xdg-config', 'viewbox', 'config.json');
  platform = {
    platform: 'linux',
    home: dir.path,
    env: { VIEWBOX_MACHINE_CONFIG: machineFile, XDG_CONFIG_HOME: join(dir.path, 'xdg-config') },
  };
});
afterEach(() => dir.cleanup());

async function writeJson(file: string, value: unknown): Promise<string> {
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, JSON.stringify(value, null, 2));
  return file;
}

function issuesOf(fn: () => unknown): ConfigIssue[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('schema validation', () => {
  it('names a wrong type by its JSON pointer', () => {
    const issues = validateLayer({ dicomPort: '104', limits: { maxAssociations: 'many' } }, 'site.json');
    expect(issues.map((i) => i.pointer).sort()).toEqual(['/dicomPort', '/limits/maxAssociations']);
    expect(issues.every((i) => i.file === 'site.json' && /integer/.test(i.message))).toBe(true);
  });

  it('names an unknown key, nested too', () => {
    const issues = validateLayer({ aetitle: 'X', limits: { maxPdu: 1 } }, 'f.json');
    expect(issues).toEqual([
      { file: 'f.json', pointer: '/aetitle', message: 'unknown key "aetitle"' },
      { file: 'f.json', pointer: '/limits/maxPdu', message: 'unknown key "maxPdu"' },
    ]);
  });

  it.each([
    ['BAD\\AE', 'backslash'],
    ['THIS_IS_SEVENTEEN', 'too long'],
    ['    ', 'all spaces'],
    ['', 'empty'],
    ['TAB\tAE', 'control character'],
    ['ÄRZTE', 'outside the default repertoire'],
  ])('refuses the AE title %j (%s)', (aet) => {
    const issues = validateLayer({ aet }, 'f.json');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.pointer === '/aet')).toBe(true);
  });

  it('accepts legal AE titles, including inner spaces', () => {
    for (const aet of ['VIEWBOX', 'A', 'CT SCANNER 1', 'SIXTEEN_CHARS_XX']) expect(validateLayer({ aet }, 'f.json')).toEqual([]);
  });

  it('refuses duplicate node names, pointing at the second one', () => {
    const node = { aet: 'PACS', host: 'pacs.local', port: 104, allow: ['store'] };
    const issues = validateLayer({ nodes: [{ name: 'pacs', ...node }, { name: 'ct', ...node }, { name: 'pacs', ...node }] }, 'f.json');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ pointer: '/nodes/2/name' });
    expect(issues[0]?.message).toContain('/nodes/0/name');
  });

  it('refuses a DICOMweb node named like a DIMSE node (routing names destinations by name)', () => {
    const issues = validateLayer({ nodes: [{ name: 'pacs', aet: 'PACS', host: 'pacs.local', port: 104, allow: [] }], dicomwebNodes: [{ name: 'pacs', url: 'http://pacs.local/dicom-web' }] }, 'f.json');
    expect(issues).toEqual([{ file: 'f.json', pointer: '/dicomwebNodes/0/name', message: 'duplicate node name "pacs" (also /nodes/0/name)' }]);
  });

  it('refuses, in the whole configuration, a node called over TLS without dicomTls', () => {
    const effective = loadConfig({ platform, flags: {} }).config;
    const nodes = [{ name: 'pacs', aet: 'PACS', host: 'pacs.local', port: 2762, allow: [], tls: true }];
    expect(validateConfig({ ...effective, nodes }, 'f.json')).toEqual([{ file: 'f.json', pointer: '/nodes/0/tls', message: expect.stringContaining('needs dicomTls') }]);
    const dicomTls = { port: 2762, certificate: 'c.pem', privateKey: 'k.pem', caCertificates: 'ca.pem' };
    expect(validateConfig({ ...effective, nodes, dicomTls }, 'f.json')).toEqual([]);
    // A layer may leave dicomTls to another layer.
    expect(validateLayer({ nodes }, 'f.json')).toEqual([]);
  });

  it('checks each node whole (arrays replace, they do not merge) and its allow list', () => {
    const issues = validateLayer({ nodes: [{ name: 'x', aet: 'X', port: 70000, allow: ['store', 'delete'] }] }, 'f.json');
    const pointers = issues.map((i) => i.pointer);
    expect(pointers).toContain('/nodes/0'); // host missing
    expect(pointers).toContain('/nodes/0/port');
    expect(pointers).toContain('/nodes/0/allow/1');
    expect(issues.find((i) => i.pointer === '/nodes/0')?.message).toContain('host');
  });

  it('prints issues as FILE: /pointer: reason', () => {
    expect(formatIssue({ file: '/etc/viewbox/config.json', pointer: '/aet', message: 'too long' })).toBe('/etc/viewbox/config.json: /aet: too long');
  });

  it('validates a file on its own: every error at once', async () => {
    const file = await writeJson(join(dir.path, 'bad.json'), { aet: 'A\\B', dicomPort: -1, duplicates: 'overwrite', colour: 'blue' });
    const issues = validateConfigFile(file);
    expect(issues.map((i) => i.pointer).sort()).toEqual(['/aet', '/colour', '/dicomPort', '/duplicates']);
    expect(issues.every((i) => i.file === file)).toBe(true);
    expect(validateConfigFile(await writeJson(join(dir.path, 'good.json'), { aet: 'SITE_AE' }))).toEqual([]);
  });

  it('reports a file that is not JSON', async () => {
    const file = join(dir.path, 'broken.json');
    await writeFile(file, '{ "aet": "X", }');
    const [issue] = validateConfigFile(file);
    expect(issue).toMatchObject({ file, pointer: '' });
    expect(issue?.message).toMatch(/not valid JSON/);
  });
});

describe('layered loading', () => {
  it('uses the built-in defaults when nothing else exists', () => {
    const { config, layers } = loadConfig({ platform });
    expect(config.aet).toBe('VIEWBOX');
    expect(layers.map((l) => l.layer)).toEqual(['default']);
  });

  it('applies defaults < machine < user < --config < flags, key by key', async () => {
    await writeJson(machineFile, { aet: 'MACHINE', dicomPort: 104, httpPort: 9000, limits: { maxAssociations: 4 } });
    await writeJson(userFile, { dicomPort: 2000, httpPort: 9001, logLevel: 'info' });
    const extra = await writeJson(join(dir.path, 'extra.json'), { httpPort: 9002, duplicates: 'reject' });
    const { config, sources } = loadConfig({ platform, configFile: extra, flags: { aet: 'FLAGGED' } });
    expect(config).toMatchObject({ aet: 'FLAGGED', dicomPort: 2000, httpPort: 9002, logLevel: 'info', duplicates: 'reject' });
    // limits merged, not replaced: the machine set one key, the rest stay default.
    expect(config.limits.maxAssociations).toBe(4);
    expect(config.limits.maxPduLength).toBe(262144);
    expect(sources.get('/aet')).toEqual({ layer: 'flags', file: 'command line' });
    expect(sources.get('/dicomPort')).toEqual({ layer: 'user', file: userFile });
    expect(sources.get('/httpPort')).toEqual({ layer: 'config-file', file: extra });
    expect(sources.get('/limits/maxAssociations')).toEqual({ layer: 'machine', file: machineFile });
    expect(sources.get('/limits/maxPduLength')).toEqual({ layer: 'default', file: defaultConfigFile() });
  });

  it('replaces the nodes list of a lower layer whole', async () => {
    const node = (name: string) => ({ name, aet: name.toUpperCase(), host: '127.0.0.1', port: 104, allow: ['store'] });
    await writeJson(machineFile, { nodes: [node('pacs'), node('ct')] });
    await writeJson(userFile, { nodes: [node('mine')] });
    expect(loadConfig({ platform }).config.nodes.map((n) => n.name)).toEqual(['mine']);
  });

  it('collects the errors of every layer, each with its own file', async () => {
    await writeJson(machineFile, { aet: 'WAY_TOO_LONG_AE_TITLE' });
    await writeJson(userFile, { limits: { idleTimeoutSeconds: 'soon' } });
    const issues = issuesOf(() => loadConfig({ platform, flags: { dicomPort: 'abc' } }));
    expect(issues.map((i) => [i.file, i.pointer])).toEqual([
      [machineFile, '/aet'],
      [userFile, '/limits/idleTimeoutSeconds'],
      ['command line', '/dicomPort'],
    ]);
  });

  it('refuses a missing --config file but ignores missing machine and user files', () => {
    const issues = issuesOf(() => loadConfig({ platform, configFile: join(dir.path, 'nope.json') }));
    expect(issues).toEqual([{ file: join(dir.path, 'nope.json'), pointer: '', message: 'file not found' }]);
  });

  it('honours the OS user config location', async () => {
    const home = join(dir.path, 'home');
    await writeJson(join(home, '.config', 'viewbox', 'config.json'), { aet: 'HOME_AE' });
    const { config } = loadConfig({ platform: { platform: 'linux', home, env: { VIEWBOX_MACHINE_CONFIG: machineFile } } });
    expect(config.aet).toBe('HOME_AE');
  });
});

describe('config show', () => {
  it('lists every leaf with the layer it came from', async () => {
    await writeJson(machineFile, { limits: { idleTimeoutSeconds: 60 } });
    const rows = effectiveValues(loadConfig({ platform, flags: { httpPort: 0 } }));
    const byPointer = new Map(rows.map((r) => [r.pointer, r]));
    expect(byPointer.get('/httpPort')).toMatchObject({ value: 0, source: { layer: 'flags' } });
    expect(byPointer.get('/limits/idleTimeoutSeconds')).toMatchObject({ value: 60, source: { layer: 'machine', file: machineFile } });
    expect(byPointer.get('/nodes')).toMatchObject({ value: [], source: { layer: 'default' } });
    expect(byPointer.get('/aet')).toMatchObject({ value: 'VIEWBOX', source: { layer: 'default' } });
    // Every leaf of the effective configuration is listed, and nothing else.
    expect(rows.map((r) => r.pointer).sort()).toEqual([
      '/acceptUnknownCallers', '/aet', '/bindAddress', '/dicomPort', '/duplicates', '/httpPort',
      '/limits/artimTimeoutSeconds', '/limits/bulkDataThresholdBytes', '/limits/idleTimeoutSeconds', '/limits/maxAssociations',
      '/limits/maxObjectBytes', '/limits/maxPduLength',
      '/limits/minReceiveBytesPerSecond', '/limits/pduTimeoutSeconds', '/limits/receiveRateWindowSeconds', '/logLevel', '/nodes',
      '/queue/concurrencyPerDestination', '/queue/maxAgeHours', '/queue/maxAttempts', '/queue/retryInitialSeconds', '/queue/retryMaxSeconds',
    ]);
  });
});
