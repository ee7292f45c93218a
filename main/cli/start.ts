/**
 * `viewbox start`: the Electron app where Electron can run; otherwise (no
 * Electron binary, e.g. headless build machines) a notice and `viewbox serve`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../paths.js';
import { EXIT_OK, type CliIo } from './io.js';
import { serveCommand, serveUsage } from './serve.js';

export const startUsage = `Usage: viewbox start [serve options]

Opens the Viewbox app (Electron). Where Electron is not available, says so on
stderr and runs \`viewbox serve\` with the same options instead.

${serveUsage.slice(serveUsage.indexOf('Options:'))}`;

/**
 * The Electron executable, or why there is none. Found without importing
 * `electron` (outside main/electron/ that import may try to download it):
 * the package records its binary's path in path.txt once downloaded.
 */
export function findElectronBinary(): { path: string } | { unavailable: string } {
  let packageJson: string;
  try {
    packageJson = createRequire(join(packageRoot(), 'package.json')).resolve('electron/package.json');
  } catch {
    return { unavailable: 'the electron package is not installed' };
  }
  const pathFile = join(dirname(packageJson), 'path.txt');
  if (!existsSync(pathFile)) return { unavailable: "Electron's binary was never downloaded" };
  const binary = join(dirname(packageJson), 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { unavailable: `Electron's binary is missing (${binary})` };
}

export async function startCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(startUsage);
    return EXIT_OK;
  }
  const electron = findElectronBinary();
  if ('unavailable' in electron) {
    io.err(`viewbox: Electron is unavailable (${electron.unavailable}); starting \`viewbox serve\` instead\n`);
    return serveCommand(argv, io);
  }
  const child = spawn(electron.path, [packageRoot(), ...argv], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
