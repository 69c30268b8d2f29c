#!/usr/bin/env node
// Writes docs/ref/openapi.json from the built @argus/api route table (run `npm run build` first).
// A test fails when the committed copy is stale.
import { writeFileSync } from 'node:fs';
import { API_VERSION, buildOpenApi } from '../packages/api/dist/index.js';

const file = new URL('../docs/ref/openapi.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(buildOpenApi(API_VERSION), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
