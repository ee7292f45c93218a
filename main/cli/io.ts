/** Where the CLI writes: results on stdout, everything else (logs, progress, errors) on stderr. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** A progress bar is drawn only for a person watching a terminal. */
  stderrIsTty: boolean;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  stderrIsTty: Boolean(process.stderr.isTTY),
};

/** Exit codes: 0 success, 1 the work failed in part (e.g. rejected files), 2 bad usage or configuration. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
