/**
 * A warning that may repeat many times a second (a connection flood, a TLS
 * scan): logged at most once per interval, with how many occurred since the
 * last line, so a flood does not flood the log too.
 */
import type { LogFields, Logger } from '../../log.js';

export class ThrottledWarning {
  private sinceLog = 0;
  private lastLog = 0;

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly intervalMs = 1000,
  ) {}

  /** One occurrence; `fields` describe the latest one. */
  note(fields: LogFields, now = Date.now()): void {
    this.sinceLog++;
    if (now - this.lastLog < this.intervalMs) return;
    this.logger.warn(this.message, { ...fields, count: this.sinceLog });
    this.lastLog = now;
    this.sinceLog = 0;
  }
}
