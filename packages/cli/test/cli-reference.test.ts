// docs/ref/cli.md carries every command's --help text as the program prints it: regenerating the
// section must give the committed file (run `npm run build && npm run cli-ref` after changing help).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliReferenceMarkdown, withCliReference } from '../src/cli-reference.js';
import type { CliIo } from '../src/cli-io.js';
import { main } from '../src/main.js';

const DOC = new URL('../../../docs/ref/cli.md', import.meta.url);

describe('docs/ref/cli.md', () => {
  it('holds the current help of every command', () => {
    const doc = readFileSync(DOC, 'utf8');
    expect(withCliReference(doc)).toBe(doc);
  });

  it('lists every command main() knows, with the help it prints', async () => {
    const section = cliReferenceMarkdown();
    for (const command of ['serve', 'demo', 'cert', 'user', 'probe', 'record', 'sim', 'check']) {
      const out: string[] = [];
      const io: CliIo = {
        out: (s) => out.push(s),
        err: () => undefined,
        env: {},
        cwd: process.cwd(),
        readStdin: async () => '',
      };
      const code = await main([command, '--help'], io);
      expect(code, command).toBe(0);
      expect(section, command).toContain(`### \`argus ${command}\``);
      expect(section, command).toContain(out.join('\n').trimEnd());
    }
  });
});
