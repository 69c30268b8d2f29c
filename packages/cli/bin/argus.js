#!/usr/bin/env node
// Entry of the `argus` command: runs the compiled CLI (built by `npm ci` through the root `prepare`).
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
