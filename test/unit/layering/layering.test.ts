import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rules of DESIGN.md live in eslint.config.js; these cases prove a
// wrong import fails lint and a right one passes.
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layering lint', () => {
  it.each([
    ['shared/dicom/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"],
    ['shared/dicom/x.ts', "import { createLogger } from '../../main/log.js';\nexport const f = createLogger;\n"],
    ['shared/x.ts', 'export const f = () => process.cwd();\n'],
    ['shared/x.ts', 'export const f = () => Buffer.alloc(1);\n'],
    ['renderer/app/x.ts', "import { join } from 'node:path';\nexport const f = join;\n"],
    ['renderer/app/x.ts', "import { createLogger } from '../../main/log.js';\nexport const f = createLogger;\n"],
    ['main/dicom/x.ts', "import { app } from 'electron';\nexport const f = app;\n"],
  ])('refuses the wrong import in %s', async (filePath, code) => {
    const ids = await ruleIdsFor(filePath, code);
    expect(ids.some((id) => id === 'no-restricted-imports' || id === 'no-restricted-globals')).toBe(true);
  });

  it.each([
    ['shared/dicom/x.ts', "import type { DicomJsonDataset } from './json.js';\nexport const f = (d: DicomJsonDataset) => d;\n"],
    ['main/dicom/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"],
    ['main/electron/x.ts', "import { app } from 'electron';\nexport const f = app;\n"],
  ])('allows the right import in %s', async (filePath, code) => {
    expect(await ruleIdsFor(filePath, code)).toEqual([]);
  });
});
