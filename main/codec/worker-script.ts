/**
 * Where a worker thread's module is, and how Node is to run it. From dist/
 * (tsc output, what users run) it is the compiled `.js` beside the caller.
 * From TypeScript sources (vitest runs them in place) it is the `.ts` file,
 * which Node 20 cannot run by itself: the worker then starts with loader
 * hooks (ts-source-hooks.mjs) that transpile it with the project's
 * TypeScript compiler, a dev dependency that dist/ never loads.
 */
export interface WorkerScript {
  url: URL;
  execArgv: string[];
}

/** `name` without extension, beside the module whose `import.meta.url` is `base`. */
export function workerScript(name: string, base: string): WorkerScript {
  if (!base.endsWith('.ts')) return { url: new URL(`./${name}.js`, base), execArgv: [] };
  const hooks = new URL('./ts-source-hooks.mjs', import.meta.url).href;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(hooks)});`;
  return { url: new URL(`./${name}.ts`, base), execArgv: ['--import', `data:text/javascript,${encodeURIComponent(register)}`] };
}
