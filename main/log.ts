/**
 * Structured logging: one JSON object per line on stderr, quiet by default.
 * Every line names its subsystem and carries the context needed to act on it
 * (which AE, which file, which tag).
 */

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const rank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  /** A logger whose lines all carry these fields (e.g. {sub: 'dicom', assoc: 7}). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; stderr by default. */
  write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions, base: LogFields = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const max = rank[options.level];
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (rank[level] > max) return;
    const record = { time: new Date().toISOString(), level, msg, ...base, ...fields };
    write(JSON.stringify(record, errorReplacer) + '\n');
  };
  return {
    error: (m, f) => emit('error', m, f),
    warn: (m, f) => emit('warn', m, f),
    info: (m, f) => emit('info', m, f),
    debug: (m, f) => emit('debug', m, f),
    child: (fields) => createLogger(options, { ...base, ...fields }),
  };
}

/** A logger that drops everything (tests and library callers that pass none). */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as NodeJS.ErrnoException).code;
    return { message: value.message, ...(code ? { code } : {}) };
  }
  return value;
}
