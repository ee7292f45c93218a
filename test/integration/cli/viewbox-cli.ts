import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run, type RunResult } from '../../helpers/run.js';

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
const bin = join(repoRoot, 'bin', 'viewbox.js');

/** The built command must exist: these tests drive `node bin/viewbox.js` as a user would (npm test builds first). */
export function assertBuilt(): void {
  if (!existsSync(join(repoRoot, 'dist', 'main', 'cli.js'))) throw new Error('dist/main/cli.js is missing: run `npm run build` first');
}

/** An environment where no machine-wide or user configuration of this machine leaks in. */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    VIEWBOX_MACHINE_CONFIG: join(home, 'machine-config.json'),
    ...extra,
  };
}

export function viewbox(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<RunResult> {
  return run(process.execPath, [bin, ...args], { env, cwd: repoRoot, timeoutMs });
}

export interface ReadyLine {
  aet: string;
  dicomPort: number;
  httpPort: number;
  url: string;
  token: string;
  launchUrl: string;
  data: string;
  pid: number;
}

export interface ServingProcess {
  child: ChildProcess;
  ready: ReadyLine;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `viewbox <args>` and waits for its `viewbox ready {...}` line. */
export function startServing(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<ServingProcess> {
  const child = spawn(process.execPath, [bin, ...args], { env, cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const match = /^viewbox ready (\{.*\})$/m.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveReady({ child, ready: JSON.parse(match[1]) as ReadyLine, stdout: () => stdout, stderr: () => stderr, exited });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`viewbox exited (${code ?? signal}) before it was ready; stderr: ${stderr}`));
    });
  });
}
