import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The pydicom test corpus from Debian's python3-pydicom: real files in many syntaxes and charsets. */
export const pydicomTestFiles = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
export const pydicomCharsetFiles = '/usr/lib/python3/dist-packages/pydicom/data/charset_files';

export function listDcm(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith('.dcm'))
    .sort()
    .map((name) => join(dir, name));
}
