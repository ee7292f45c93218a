/**
 * DCMTK tools with millisecond timestamps on their log lines, so a test can
 * time what happens on the wire (association, request, response) without the
 * tool's own start-up, which on a loaded 2-core machine alone takes 150+ ms.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dcmtkEnv } from '../run.js';

export interface TimedLine {
  /** Milliseconds since midnight, as DCMTK printed it. */
  at: number;
  text: string;
}

export interface TimedRun {
  code: number | null;
  lines: TimedLine[];
  log: string;
}

/** Write a log4cplus configuration for DCMTK's `-lc`: INFO and up, each line prefixed with HH:MM:SS.mmm. */
export function writeTimedLogConfig(dir: string): string {
  const path = join(dir, 'dcmtk-timed-log.cfg');
  writeFileSync(
    path,
    [
      'log4cplus.rootLogger = INFO, console',
      'log4cplus.appender.console = log4cplus::ConsoleAppender',
      'log4cplus.appender.console.layout = log4cplus::PatternLayout',
      'log4cplus.appender.console.layout.ConversionPattern = %D{%H:%M:%S.%q} %m%n',
      '',
    ].join('\n'),
  );
  return path;
}

/** Run a DCMTK tool with `-lc config`; `onLine` sees each timestamped line as it is printed. */
export function runTimed(tool: string, args: string[], config: string, onLine?: (line: TimedLine) => void, timeoutMs = 30_000): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, ['-lc', config, ...args], { env: dcmtkEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: TimedLine[] = [];
    let log = '';
    let pending = '';
    const take = (chunk: string) => {
      log += chunk;
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const part of parts) {
        const match = /^(\d\d):(\d\d):(\d\d)\.(\d\d\d) (.*)$/.exec(part);
        if (!match) continue;
        const [, h, m, s, ms, text] = match;
        const line = { at: ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms), text: text! };
        lines.push(line);
        onLine?.(line);
      }
    };
    child.stdout.setEncoding('utf8').on('data', take);
    child.stderr.setEncoding('utf8').on('data', take);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, lines, log });
    });
  });
}

/** Milliseconds between the first line matching `from` and the first after it matching `to`; undefined if either is missing. */
export function spanMs(lines: TimedLine[], from: RegExp, to: RegExp): number | undefined {
  const start = lines.findIndex((l) => from.test(l.text));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && to.test(l.text));
  if (end < 0) return undefined;
  // Past midnight the clock wraps.
  return (lines[end]!.at - lines[start]!.at + 86_400_000) % 86_400_000;
}

/** echoscu: whether it got Success, and the milliseconds from requesting the association to the C-ECHO response. */
export async function timedEcho(options: { port: number; calledAet: string; config: string }): Promise<{ ok: boolean; ms: number | undefined; log: string }> {
  const run = await runTimed('echoscu', ['-aet', 'ECHOSCU', '-aec', options.calledAet, '127.0.0.1', String(options.port)], options.config);
  return {
    ok: run.code === 0 && /Received Echo Response \(Success\)/.test(run.log),
    ms: spanMs(run.lines, /^Requesting Association/, /^Received Echo Response/),
    log: run.log,
  };
}
