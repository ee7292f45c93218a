/** Configuration errors: every problem found, each with its file and JSON pointer, so site IT can fix them all at once. */

export interface ConfigIssue {
  /** The file the value came from, or a label such as "command line" for flags. */
  file: string;
  /** JSON pointer (RFC 6901) to the offending value; "" for the whole document. */
  pointer: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
  }
}

/** `FILE: /pointer: reason`, the form the CLI prints (one line per issue). */
export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}: ${issue.pointer || '/'}: ${issue.message}`;
}
