/** Loading presets from real folders: precedence, invalid files skipped whole, hot reload, saving. */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProtocolSet } from '../../../../main/protocols/load-protocols.js';
import { builtInProtocolsDir, protocolFolders, type ProtocolFolder } from '../../../../main/protocols/protocol-folders.js';
import { ProtocolValidationError, saveUserProtocol } from '../../../../main/protocols/save-protocol.js';
import { openProtocolLibrary, type ProtocolLibrary } from '../../../../main/protocols/watch-protocols.js';
import type { HangingProtocol } from '../../../../shared/hanging-protocols/types.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';

const temp = tempDirsPerTest('viewbox-protocols-', afterEach);
const libraries: ProtocolLibrary[] = [];
afterEach(() => {
  while (libraries.length) libraries.pop()!.close();
});

function protocol(id: string, name = id): HangingProtocol {
  return {
    id,
    name,
    version: 1,
    match: [{ attribute: 'modalities', operator: 'equals', value: 'CT' }],
    displaySets: { any: { rules: [] } },
    stages: [{ id: 's', name: 'S', screens: [{ layout: { type: 'grid', rows: 1, columns: 1 }, viewports: [{ displaySet: 'any' }] }] }],
  };
}

async function folders(): Promise<{ site: string; user: string; list: ProtocolFolder[] }> {
  const root = await temp.dataDir();
  const site = join(root, 'site');
  const user = join(root, 'user');
  return { site, user, list: [{ layer: 'built-in', dir: builtInProtocolsDir() }, { layer: 'site', dir: site }, { layer: 'user', dir: user }] };
}

async function put(dir: string, name: string, content: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('protocol folders', () => {
  it('user replaces site replaces built-in, by id; each says what it replaced', async () => {
    const { site, user, list } = await folders();
    const siteFile = await put(site, 'head.json', protocol('ct-head', 'Site head'));
    const userFile = await put(user, 'my-head.json', protocol('ct-head', 'My head'));
    await put(site, 'extra.json', protocol('site-extra'));
    const set = loadProtocolSet(list);
    expect(set.issues).toEqual([]);
    const head = set.protocols.find((p) => p.protocol.id === 'ct-head')!;
    expect(head).toMatchObject({ file: userFile, layer: 'user', protocol: { name: 'My head' } });
    expect(head.replaces).toEqual([
      { file: join(builtInProtocolsDir(), 'ct-head.json'), layer: 'built-in' },
      { file: siteFile, layer: 'site' },
    ]);
    expect(set.protocols.map((p) => p.protocol.id)).toContain('site-extra');
  });

  it('skips an invalid file whole, naming file, pointer and reason; the lower layer’s protocol and the other files keep working', async () => {
    const { user, list } = await folders();
    const broken = { ...protocol('ct-head'), stages: [{ id: 's', name: 'S', screens: [{ layout: { type: 'grid', rows: 1, columns: 1 }, viewports: [{ displaySet: 'nope' }] }] }] };
    const brokenFile = await put(user, 'ct-head.json', broken);
    const syntaxFile = await put(user, 'typo.json', '{ "id": "typo", }');
    await put(user, 'fine.json', protocol('fine'));
    await put(user, 'notes.txt', 'not a protocol');
    const set = loadProtocolSet(list);
    expect(set.issues).toEqual([
      { file: brokenFile, pointer: '/stages/0/screens/0/viewports/0/displaySet', message: 'no display set selector named "nope" (known: any)' },
      { file: syntaxFile, pointer: '', message: 'not valid JSON: expected a key in double quotes, found character "}" at line 1, column 17' },
    ]);
    expect(set.protocols.find((p) => p.protocol.id === 'ct-head')!.layer).toBe('built-in');
    expect(set.protocols.map((p) => p.protocol.id)).toContain('fine');
  });

  it('two files of one folder with one id: the second (by name) is refused', async () => {
    const { site, list } = await folders();
    const first = await put(site, 'a.json', protocol('dup', 'first'));
    const second = await put(site, 'b.json', protocol('dup', 'second'));
    const set = loadProtocolSet(list);
    expect(set.issues).toEqual([{ file: second, pointer: '/id', message: `id "dup" is already defined by ${first} in the same folder` }]);
    expect(set.protocols.find((p) => p.protocol.id === 'dup')!.protocol.name).toBe('first');
  });

  it('default folders: beside the machine configuration and in the data folder; config keys override, relative to the data folder', () => {
    const linux = { platform: 'linux' as const, env: {}, home: '/home/r' };
    expect(protocolFolders({}, '/data', linux).map((f) => f.dir).slice(1)).toEqual(['/etc/viewbox/hanging-protocols', '/data/hanging-protocols']);
    expect(protocolFolders({}, '/data', { ...linux, env: { VIEWBOX_MACHINE_CONFIG: '/opt/site/viewbox.json' } })[1]!.dir).toBe('/opt/site/hanging-protocols');
    expect(protocolFolders({ protocols: { siteDir: '/mnt/share/hp', userDir: 'mine' } }, '/data', linux).map((f) => f.dir).slice(1)).toEqual(['/mnt/share/hp', '/data/mine']);
    const windows = { platform: 'win32' as const, env: { ProgramData: 'C:\\ProgramData' }, home: 'C:\\Users\\r' };
    expect(protocolFolders({}, 'C:\\Users\\r\\AppData\\Local\\Viewbox', windows).map((f) => f.dir).slice(1)).toEqual([
      'C:\\ProgramData\\Viewbox\\hanging-protocols',
      'C:\\Users\\r\\AppData\\Local\\Viewbox\\hanging-protocols',
    ]);
  });
});

describe('the live library', () => {
  it('notices a user folder created later, a changed file and a broken one; close() stops it', async () => {
    const { user, list } = await folders();
    const library = openProtocolLibrary(list, { debounceMs: 30 });
    libraries.push(library);
    const seen: string[] = [];
    library.onChange((set) => seen.push(set.protocols.find((p) => p.protocol.id === 'ct-head')?.protocol.name ?? '?'));
    expect(library.current().protocols.find((p) => p.protocol.id === 'ct-head')!.layer).toBe('built-in');

    await put(user, 'ct-head.json', protocol('ct-head', 'Mine v1'));
    await until('the new user folder', () => (seen.includes('Mine v1') ? true : undefined));

    await put(user, 'ct-head.json', protocol('ct-head', 'Mine v2'));
    await until('the changed file', () => (seen.includes('Mine v2') ? true : undefined));

    await put(user, 'ct-head.json', '{ "id": "ct-head", "name": ');
    const broken = await until('the broken file reported', () => (library.current().issues.length > 0 ? library.current() : undefined));
    expect(broken.issues[0]!.file).toBe(join(user, 'ct-head.json'));
    expect(broken.protocols.find((p) => p.protocol.id === 'ct-head')!.layer).toBe('built-in');

    library.close();
    const count = seen.length;
    await put(user, 'ct-head.json', protocol('ct-head', 'After close'));
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.length).toBe(count);
  });

  it('one burst of writes is one reload', async () => {
    const { user, list } = await folders();
    await mkdir(user, { recursive: true });
    const library = openProtocolLibrary(list, { debounceMs: 100 });
    libraries.push(library);
    let changes = 0;
    library.onChange(() => changes++);
    for (let i = 0; i < 5; i++) await put(user, `p${i}.json`, protocol(`p${i}`));
    await until('the reload', () => (changes > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 250));
    expect(changes).toBe(1);
    expect(library.current().protocols.filter((p) => p.layer === 'user')).toHaveLength(5);
  });
});

describe('saving to the user folder', () => {
  it('writes the author’s text as <id>.json, creating the folder, and refuses an invalid protocol with its problems', async () => {
    const { user } = await folders();
    const text = JSON.stringify(protocol('my-ct'), null, 4);
    const saved = await saveUserProtocol(user, text);
    expect(saved.file).toBe(join(user, 'my-ct.json'));
    expect(await readFile(saved.file, 'utf8')).toBe(`${text}\n`);
    const bad = JSON.stringify({ ...protocol('bad'), version: 0 });
    const error = await saveUserProtocol(user, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolValidationError);
    expect((error as ProtocolValidationError).issues).toEqual([{ pointer: '/version', message: 'must be >= 1' }]);
    expect((await readdir(user)).sort()).toEqual(['my-ct.json']);
  });

  it('replaces the file that already holds the id', async () => {
    const { user } = await folders();
    const file = await put(user, 'Head protocol.json', protocol('ct-head', 'old'));
    const saved = await saveUserProtocol(user, JSON.stringify(protocol('ct-head', 'new')));
    expect(saved.file).toBe(file);
    expect(JSON.parse(await readFile(file, 'utf8')).name).toBe('new');
    expect(await readdir(user)).toEqual(['Head protocol.json']);
  });
});
