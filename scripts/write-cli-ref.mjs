#!/usr/bin/env node
// Rewrites the generated command section of docs/ref/cli.md from the built CLI's --help texts (run
// `npm run build` first). A test fails when the committed copy is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { withCliReference } from '../packages/cli/dist/cli-reference.js';

const file = new URL('../docs/ref/cli.md', import.meta.url);
writeFileSync(file, withCliReference(readFileSync(file, 'utf8')));
console.log(`wrote ${file.pathname}`);
