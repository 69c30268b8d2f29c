// The import-direction check must fail on a forbidden package edge, an upward server import,
// a bypassed index.ts and a cycle, and pass on a clean tree.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { checkImports } from '../check-imports.mjs';

const check = checkImports as (root: string) => string[];
let root = '';

function write(rel: string, text: string): void {
  const full = path.join(root, rel);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
}

describe('check-imports', () => {
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function fresh(): void {
    root = mkdtempSync(path.join(tmpdir(), 'argus-imports-'));
    write('packages/media/src/index.ts', 'export const x = 1;\n');
    write('packages/server/src/base/index.ts', "export { x } from '@argus/media';\n");
    write('packages/server/src/db/index.ts', "import { x } from '../base/index.js';\nexport const y = x;\n");
    write('packages/server/src/index.ts', "export { y } from './db/index.js';\n");
  }

  it('passes a clean tree', () => {
    fresh();
    expect(check(root)).toEqual([]);
  });

  it('fails when media imports the server', () => {
    fresh();
    write('packages/media/src/bad.ts', "import { y } from '@argus/server';\nexport const z = y;\n");
    expect(check(root).join('\n')).toMatch(/package media may not import @argus\/server/);
  });

  it('fails on an upward server import and a bypassed index', () => {
    fresh();
    write('packages/server/src/base/clock.ts', "import { y } from '../db/index.js';\nexport const c = y;\n");
    write('packages/server/src/db/users.ts', "import { c } from '../base/clock.js';\nexport const u = c;\n");
    const problems = check(root).join('\n');
    expect(problems).toMatch(/layer base may not import db/);
    expect(problems).toMatch(/bypasses base\/index.ts/);
  });

  it('fails on a cycle', () => {
    fresh();
    write('packages/media/src/a.ts', "import { b } from './b.js';\nexport const a = b;\n");
    write('packages/media/src/b.ts', "import { a } from './a.js';\nexport const b = a;\n");
    expect(check(root).join('\n')).toMatch(
      /import cycle: packages\/media\/src\/a.ts -> packages\/media\/src\/b.ts/,
    );
  });
});
