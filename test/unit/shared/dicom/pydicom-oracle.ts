import { run } from '../../../helpers/run.js';

/** Debian's python with pydicom (the python3 on PATH has no pydicom). */
export const debianPython = '/usr/bin/python3';

/** Run a Python snippet under Debian's pydicom once and parse the JSON it prints. */
export async function pydicomJson<T>(script: string, args: string[] = []): Promise<T> {
  const result = await run(debianPython, ['-c', script, ...args], { timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`pydicom oracle failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
