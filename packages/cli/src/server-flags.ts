// Flags shared by every command that works on a server's configuration and data directory.
import type { ParseArgsConfig } from 'node:util';

export const SERVER_FLAGS = {
  data: { type: 'string' },
  'https-port': { type: 'string' },
  'http-port': { type: 'string' },
  config: { type: 'string' },
  set: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const SERVER_FLAGS_HELP = `  --data DIR          data directory (database, certificate, recordings); default ./data
  --https-port N      HTTPS port for the web client, API and WebSocket; default 55754
  --http-port N       HTTP port that redirects to HTTPS and serves /healthz; default 55752
  --config FILE       JSON configuration file (see docs/ref/config.md)
  --set KEY=VALUE     set any configuration key, e.g. --set log.level=debug (repeatable)
  -h, --help          show this help`;

export interface ServerFlagValues {
  data?: string | undefined;
  'https-port'?: string | undefined;
  'http-port'?: string | undefined;
  config?: string | undefined;
  set?: string[] | undefined;
}

/** Flags become dotted config overrides; the server validates them and names a bad key. */
export function configOverrides(values: ServerFlagValues): Record<string, string> {
  const overrides: Record<string, string> = {};
  if (values.data !== undefined) overrides['dataDir'] = values.data;
  if (values['https-port'] !== undefined) overrides['https.port'] = values['https-port'];
  if (values['http-port'] !== undefined) overrides['http.port'] = values['http-port'];
  for (const pair of values.set ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--set expects KEY=VALUE, got "${pair}"`);
    overrides[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return overrides;
}
