/**
 * The routing rules in force, kept in step with the routing file: its folder
 * is watched (fs.watch, debounced so an editor's write-rename burst is one
 * reload). A valid file replaces the rules at once; an invalid one is logged
 * and the rules before it stay in force; a removed file routes nothing. A
 * file invalid when the node starts routes nothing until it is fixed (the
 * instances received meanwhile are routed then: the router's cursor waits).
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { errorMessage } from '../../shared/error-message.js';
import type { RouteRule } from '../../shared/routing/rules.js';
import type { Logger } from '../log.js';
import { loadRoutingFile, RoutingFileError } from './load-routing.js';

export interface LiveRules {
  readonly file: string;
  /** The rules in force; undefined while none could ever be read. */
  rules(): readonly RouteRule[] | undefined;
  /** Why the file on disk is not in force ("routing.json: /rules/0/trigger: ..."), if it is not. */
  problem(): string | undefined;
  /** Re-read now (the watcher does it on its own). */
  reload(): Promise<void>;
  close(): void;
}

export interface LiveRulesOptions {
  /** Quiet time after the last change before re-reading; default 300 ms. */
  debounceMs?: number;
  logger: Logger;
  /** Called after each reload that put new rules in force. */
  onChange?: () => void;
}

export async function watchRoutingFile(file: string, destinations: readonly string[], options: LiveRulesOptions): Promise<LiveRules> {
  const { logger } = options;
  let rules: readonly RouteRule[] | undefined;
  let problem: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let closed = false;
  let reading: Promise<void> = Promise.resolve();

  async function read(first: boolean): Promise<void> {
    try {
      const next = (await loadRoutingFile(file, destinations)).rules;
      if (closed) return;
      rules = next;
      problem = undefined;
      logger.info(first ? 'routing rules loaded' : 'routing file reloaded: its rules are in force', { file, rules: next.map((r) => r.id) });
      if (!first) options.onChange?.();
    } catch (error) {
      if (closed) return;
      problem = problemText(file, error);
      const consequence = rules ? 'the previous rules stay in force' : 'nothing is routed until it is fixed';
      logger.error(`the routing file is invalid: ${consequence}`, { file, problem, error });
    }
  }

  const reload = () => (reading = reading.then(() => read(false)));

  await read(true);
  const dir = dirname(file);
  if (existsSync(dir)) {
    try {
      watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name !== null && String(name) !== basename(file)) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = undefined;
          if (!closed) void reload();
        }, options.debounceMs ?? 300);
      });
      watcher.on('error', (error) => logger.warn('the routing file is no longer watched: changes need a restart', { file, error }));
    } catch (error) {
      logger.warn('cannot watch the routing file: changes need a restart', { file, error });
    }
  } else {
    logger.warn('the routing file\'s folder does not exist: it is not watched', { file });
  }

  return {
    file,
    rules: () => rules,
    problem: () => problem,
    reload,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}

/** One line per problem: "routing.json: /rules/0/actions/0/forward/0: no destination named X". */
function problemText(file: string, error: unknown): string {
  const name = basename(file);
  if (error instanceof RoutingFileError) return error.issues.map((issue) => `${name}: ${issue.line === undefined ? '' : `line ${issue.line}: `}${issue.pointer || '/'}: ${issue.message}`).join('; ');
  return `${name}: ${errorMessage(error)}`;
}
