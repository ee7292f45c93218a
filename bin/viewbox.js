#!/usr/bin/env node
// The `viewbox` command: runs the compiled CLI (npm run build).
import { main } from '../dist/main/cli.js';

process.exitCode = await main(process.argv.slice(2));
