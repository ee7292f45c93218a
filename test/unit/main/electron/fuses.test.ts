/**
 * The packaged shell's Electron fuses: the configuration the afterPack hook
 * burns in, the hook's place in electron-builder.yml, and the hook run on a
 * stand-in binary carrying a fuse wire as Electron's does (no Electron binary
 * can be downloaded on the build machines).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FuseV1Options, FuseVersion, getCurrentFuseWire, type FuseV1Config } from '@electron/fuses';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../../helpers/tmp.js';

interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName: string };
}
const hook = createRequire(import.meta.url)('../../../../main/electron/after-pack.cjs') as {
  default: (context: AfterPackContext) => Promise<void>;
  SHELL_FUSES: FuseV1Config;
  electronBinary: (context: AfterPackContext) => string;
};
const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const dirs = tempDirsPerTest('viewbox-fuses-', afterEach);

/** Electron's fuse sentinel, then wire version 1, the wire length, and one byte per fuse ('0' off, '1' on). */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

describe('Electron fuses', () => {
  it('turn off RunAsNode, NODE_OPTIONS and inspect arguments; turn on cookie encryption, asar integrity and app.asar only', () => {
    const fuses = hook.SHELL_FUSES;
    expect(fuses.version).toBe(FuseVersion.V1);
    expect(fuses[FuseV1Options.RunAsNode]).toBe(false);
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(Object.isFrozen(fuses)).toBe(true);
  });

  it('are burnt by the afterPack hook that electron-builder.yml names', async () => {
    const yml = await readFile(join(repoRoot, 'electron-builder.yml'), 'utf8');
    const named = /^afterPack:\s*(\S+)\s*$/m.exec(yml)?.[1];
    expect(named).toBe('main/electron/after-pack.cjs');
    expect(createRequire(import.meta.url).resolve(join(repoRoot, named!))).toBe(join(repoRoot, 'main', 'electron', 'after-pack.cjs'));
  });

  it('the hook flips the wire of the packed binary and leaves fuses it does not name alone', async () => {
    const dir = await dirs.dataDir();
    const appOutDir = join(dir, 'linux-unpacked');
    await mkdir(appOutDir);
    const context = { appOutDir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'Viewbox' }, executableName: 'viewbox' } };
    const binary = hook.electronBinary(context);
    expect(binary).toBe(join(appOutDir, 'viewbox'));
    // Electron's defaults (RunAsNode, NODE_OPTIONS, inspect and file: privileges on), and a ninth fuse we do not name.
    const wire = '101100011';
    await writeFile(binary, Buffer.concat([Buffer.from('\x7fELF...code...'), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), Buffer.from('...more code')]));
    await hook.default(context);
    const burnt = await getCurrentFuseWire(binary);
    const on = '1'.charCodeAt(0);
    const off = '0'.charCodeAt(0);
    expect(burnt[FuseV1Options.RunAsNode]).toBe(off);
    expect(burnt[FuseV1Options.EnableCookieEncryption]).toBe(on);
    expect(burnt[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(off);
    expect(burnt[FuseV1Options.EnableNodeCliInspectArguments]).toBe(off);
    expect(burnt[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(on);
    expect(burnt[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on);
    expect(burnt[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(off);
    expect(burnt[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(on);
    expect(burnt[8 as FuseV1Options]).toBe(on);
  });

  it('names the binary electron-builder packs on each platform, and says which one it could not set', async () => {
    const packager = { appInfo: { productFilename: 'Viewbox' }, executableName: 'viewbox' };
    expect(hook.electronBinary({ appOutDir: '/out', electronPlatformName: 'darwin', arch: 3, packager })).toBe(join('/out', 'Viewbox.app'));
    expect(hook.electronBinary({ appOutDir: '/out', electronPlatformName: 'win32', arch: 1, packager })).toBe(join('/out', 'Viewbox.exe'));
    const dir = await dirs.dataDir();
    await writeFile(join(dir, 'viewbox'), 'not electron');
    await expect(hook.default({ appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager })).rejects.toThrow(`cannot set the Electron fuses of ${join(dir, 'viewbox')}`);
  });
});
