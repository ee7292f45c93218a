/**
 * electron-builder.yml and the shell's module boundaries. electron-builder
 * itself cannot run here (it downloads Electron and the packaging tools), so
 * its configuration is checked against the schema it ships, when installed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const requireHere = createRequire(join(root, 'package.json'));
const schemePath = join(root, 'node_modules', 'app-builder-lib', 'scheme.json');
const hasScheme = existsSync(schemePath);

function yamlParser(): ((text: string) => unknown) | undefined {
  try {
    return (requireHere('js-yaml') as { load(text: string): unknown }).load;
  } catch {
    return undefined;
  }
}
const parseYaml = yamlParser();

function builderConfig(): Record<string, unknown> {
  return parseYaml!(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
}

// electron-builder's target names (its schema types them as free strings).
const KNOWN_TARGETS: Record<string, string[]> = {
  win: ['nsis', 'nsis-web', 'portable', 'appx', 'msi', 'msiwrapped', 'squirrel', '7z', 'zip', 'tar.xz', 'tar.gz', 'tar.bz2', 'dir'],
  mac: ['dmg', 'pkg', 'mas', 'mas-dev', '7z', 'zip', 'tar.xz', 'tar.gz', 'tar.bz2', 'dir'],
  linux: ['AppImage', 'flatpak', 'snap', 'deb', 'rpm', 'freebsd', 'pacman', 'p5p', 'apk', '7z', 'zip', 'tar.xz', 'tar.gz', 'tar.bz2', 'dir'],
};

describe('electron-builder.yml', () => {
  it.skipIf(!hasScheme || !parseYaml)(
    `validates against node_modules/app-builder-lib/scheme.json${hasScheme ? '' : ' (skipped: app-builder-lib is not installed)'}`,
    () => {
      const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });
      const validate = ajv.compile(JSON.parse(readFileSync(schemePath, 'utf8')) as object);
      const valid = validate(builderConfig());
      expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
      expect(valid).toBe(true);
    },
  );

  it.skipIf(!parseYaml)(`names only targets electron-builder knows, and packages the shell's entry${parseYaml ? '' : ' (skipped: no YAML parser installed)'}`, () => {
    const config = builderConfig();
    for (const platform of Object.keys(KNOWN_TARGETS)) {
      const targets = ((config[platform] as { target?: Array<{ target: string }> } | undefined)?.target ?? []).map((t) => t.target);
      expect(targets.length, `${platform} has targets`).toBeGreaterThan(0);
      for (const t of targets) expect(KNOWN_TARGETS[platform], `${platform} target "${t}"`).toContain(t);
    }
    const main = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string }).main;
    expect(main).toBe('dist/main/electron/entry.js');
    expect(config.files).toContain('dist/**');
  });
});

describe('electron imports', () => {
  function sources(dir: string): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : /\.(c|m)?tsx?$/.test(name) ? [path] : [];
    });
  }

  it('only the main entry and the preload import electron', () => {
    const importsElectron = /(from\s+|require\(\s*|import\(\s*)['"]electron['"]/;
    const files = ['main', 'shared', 'renderer'].flatMap((d) => sources(join(root, d)));
    const importers = files.filter((f) => importsElectron.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(importers.sort()).toEqual(['main/electron/entry.ts', 'main/electron/preload.cts']);
  });
});
