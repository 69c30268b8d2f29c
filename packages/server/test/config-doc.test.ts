// docs/ref/config.md shows the whole default configuration: every key, with its default value.
import { readFileSync } from 'node:fs';
import { defaultConfig } from '@argus/server';
import { describe, expect, it } from 'vitest';

describe('docs/ref/config.md', () => {
  it('documents every default key and value', () => {
    const doc = readFileSync(new URL('../../../docs/ref/config.md', import.meta.url), 'utf8');
    const block = /```jsonc\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const parsed = JSON.parse(block.replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1')) as unknown;
    expect(parsed).toEqual(defaultConfig());
  });
});
