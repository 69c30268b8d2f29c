// The server's version and the built web client's location, read from the installed packages.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export function serverVersion(): string {
  return (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
}

/** packages/web/dist when the web client has been built, else undefined (the API still works). */
export function defaultWebRoot(): string | undefined {
  try {
    const dir = path.join(path.dirname(require.resolve('@argus/web/package.json')), 'dist');
    return existsSync(path.join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}
