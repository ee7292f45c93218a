// `npm run bench -- NAME [flags]`: runs test/bench/NAME.mjs (after the build).
import { register } from 'node:module';

const benches = { ingest: './ingest.mjs', qr: './qr.mjs', web: './web.mjs', viewer: './viewer.mjs', mpr: './mpr.mjs', route: './route.mjs' };
const [name, ...args] = process.argv.slice(2);
const module = benches[name ?? ''];
if (!module) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [flags]`);
  process.exit(2);
}
register('./ts-hooks.mjs', import.meta.url);
const { main } = await import(module);
process.exitCode = await main(args);
