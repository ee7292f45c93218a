/**
 * The addresses each configured node may call from: an IP literal as written,
 * a host name resolved (all its addresses) at start and again in the
 * background, so the association policy can decide synchronously. A name that
 * stops resolving keeps its last addresses; one never resolved matches nothing.
 */
import { lookup } from 'node:dns/promises';
import { errorMessage } from '../../../shared/error-message.js';
import type { Logger } from '../../log.js';
import { canonicalAddress } from './ip-address.js';

/** All addresses of a host name. */
export type ResolveHost = (host: string) => Promise<string[]>;

export const resolveWithDns: ResolveHost = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

export interface CallerAddressesOptions {
  hosts: readonly string[];
  logger: Logger;
  resolve?: ResolveHost;
  /** How often names are resolved again (default 60 s). */
  refreshMs?: number;
  /** How long the first resolution may hold up the start (default 5 s); names still unresolved then are resolved in the background. */
  startWaitMs?: number;
}

export class CallerAddresses {
  private readonly names: string[];
  private readonly resolved = new Map<string, readonly string[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CallerAddressesOptions) {
    this.names = [...new Set(options.hosts.filter((host) => canonicalAddress(host) === undefined))];
  }

  /** Resolve every name once (waiting at most startWaitMs), then keep them fresh. */
  async start(): Promise<void> {
    if (this.names.length === 0) return;
    let wait: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((done) => (wait = setTimeout(done, this.options.startWaitMs ?? 5000)));
    await Promise.race([this.refresh(), gaveUp]);
    clearTimeout(wait);
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs ?? 60_000);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Canonical addresses `host` may call from; undefined while a name has never resolved. */
  addressesOf(host: string): readonly string[] | undefined {
    const literal = canonicalAddress(host);
    return literal !== undefined ? [literal] : this.resolved.get(host);
  }

  private async refresh(): Promise<void> {
    const resolve = this.options.resolve ?? resolveWithDns;
    await Promise.all(
      this.names.map(async (host) => {
        try {
          const addresses = (await resolve(host)).map((a) => canonicalAddress(a)).filter((a) => a !== undefined);
          this.resolved.set(host, addresses);
        } catch (error) {
          this.options.logger.warn('cannot resolve a node host name: its last known addresses stay in use (none: calls with its AE title are refused)', {
            host,
            lastKnown: this.resolved.get(host) ?? [],
            error: errorMessage(error),
          });
        }
      }),
    );
  }
}
