/**
 * DCMTK storescu as a real sending modality. Its `-v` log is parsed into one
 * result per file, so a test knows exactly which instances the sender was
 * told were stored.
 */
import { spawn } from 'node:child_process';
import { run, dcmtkEnv } from '../run.js';

export interface StorescuOptions {
  host?: string;
  port: number;
  aet?: string;
  calledAet: string;
  /** Files to send, in order, in one association. */
  files?: string[];
  /** Or a folder, scanned recursively (`+sd +r`). */
  dir?: string;
  /** e.g. a proposal option such as `-xs`; `-nh` (don't halt on failure) is always given. */
  extraArgs?: string[];
  timeoutMs?: number;
  /** Called with each log line as storescu prints it (e.g. to act mid-transfer). */
  onLine?: (line: string) => void;
}

export type FileOutcome =
  /** C-STORE-RSP Success. */
  | 'success'
  /** A C-STORE-RSP with a warning status (the instance was stored). */
  | 'warning'
  /** A C-STORE-RSP with a failure status. */
  | 'failure'
  /** Never sent: storescu could not read it, no presentation context, or the association broke. */
  | 'not-sent';

export interface FileResult {
  file: string;
  outcome: FileOutcome;
  /** DCMTK's text: the response status (e.g. "Refused: OutOfResources") or the error it logged. */
  detail: string;
}

export interface StorescuResult {
  code: number | null;
  /** Seconds from storescu's "Requesting Association" (after it has read and checked its input files) to its exit. */
  associationSeconds: number;
  /** storescu's whole log (stdout + stderr). */
  log: string;
  results: FileResult[];
  /** Files the receiver answered with Success (or a warning: stored too). */
  stored: string[];
}

function outcomeOf(status: string): FileOutcome {
  if (status === 'Success') return 'success';
  if (status.startsWith('Warning')) return 'warning';
  return 'failure';
}

/** Parse `storescu -v` output: "Sending file: F" then a response line or error lines. */
export function parseStorescuLog(log: string): FileResult[] {
  const results: FileResult[] = [];
  let current: FileResult | undefined;
  for (const line of log.split('\n')) {
    const sending = /^I: Sending file: (.*)$/.exec(line);
    if (sending) {
      current = { file: sending[1]!, outcome: 'not-sent', detail: '' };
      results.push(current);
      continue;
    }
    if (!current) continue;
    const response = /^I: Received Store Response \((.*)\)\s*$/.exec(line);
    if (response) {
      current.outcome = outcomeOf(response[1]!);
      current.detail = response[1]!;
    } else if (line.startsWith('E: ') && current.outcome === 'not-sent') {
      current.detail = current.detail ? `${current.detail}; ${line.slice(3)}` : line.slice(3);
    }
  }
  return results;
}

export async function storescu(options: StorescuOptions): Promise<StorescuResult> {
  const { host = '127.0.0.1', port, aet = 'STORESCU', calledAet, files = [], dir, extraArgs = [], timeoutMs = 300_000, onLine } = options;
  if (!dir && files.length === 0) throw new Error('storescu: give files or dir');
  const inputs = dir ? ['+sd', '+r', dir] : files;
  const args = ['-v', '-nh', '-aet', aet, '-aec', calledAet, ...extraArgs, host, String(port), ...inputs];
  const child = spawn('storescu', args, { env: dcmtkEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  // DCMTK logs everything, in order, on stderr; watch it live to time the association alone.
  let log = '';
  let requestedAt: bigint | undefined;
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', () => {});
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    log += d;
    const lines = (partial + d).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (requestedAt === undefined && line.startsWith('I: Requesting Association')) requestedAt = process.hrtime.bigint();
      onLine?.(line);
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  });
  clearTimeout(timer);
  const endedAt = process.hrtime.bigint();
  const results = parseStorescuLog(log);
  return {
    code,
    associationSeconds: requestedAt === undefined ? 0 : Number(endedAt - requestedAt) / 1e9,
    log,
    results,
    stored: results.filter((r) => r.outcome === 'success' || r.outcome === 'warning').map((r) => r.file),
  };
}

/** echoscu: true when the peer answered C-ECHO with Success. */
export async function echoscu(options: { host?: string; port: number; aet?: string; calledAet: string }): Promise<{ ok: boolean; log: string }> {
  const { host = '127.0.0.1', port, aet = 'ECHOSCU', calledAet } = options;
  const result = await run('echoscu', ['-v', '-aet', aet, '-aec', calledAet, host, String(port)], { env: dcmtkEnv, timeoutMs: 30_000 });
  const log = result.stdout + result.stderr;
  return { ok: result.code === 0 && /Received Echo Response \(Success\)/.test(log), log };
}
