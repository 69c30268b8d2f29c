// Configuration: defaults <- file <- environment <- flags, and one clear message naming a bad key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, StartupError } from '@argus/server';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'argus-config-'));
const file = (name: string, content: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const failure = (fn: () => unknown): StartupError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof StartupError) return err;
    throw err;
  }
  throw new Error('expected a StartupError');
};

describe('loadConfig', () => {
  it('has the manual ports by default', () => {
    const c = loadConfig({ cwd: '/srv' });
    expect(c.https.port).toBe(55754);
    expect(c.http.port).toBe(55752);
    expect(c.mobile).toEqual({ apiPort: 55756, streamingPort: 55757 });
    expect(c.dataDir).toBe('/srv/data');
  });

  it('layers file, environment and flags in that order', () => {
    const f = file(
      'layers.json',
      JSON.stringify({ https: { port: 1001 }, http: { port: 2001 }, auth: { sessionIdleMinutes: 5 } }),
    );
    const c = loadConfig({
      configFile: f,
      env: {
        ARGUS_HTTP_PORT: '2002',
        ARGUS_AUTH_SESSION_IDLE_MINUTES: '7',
        ARGUS_DATA_DIR: '/var/lib/argus',
      },
      overrides: { 'https.port': '1003' },
    });
    expect(c.https.port).toBe(1003);
    expect(c.http.port).toBe(2002);
    expect(c.auth.sessionIdleMinutes).toBe(7);
    expect(c.dataDir).toBe('/var/lib/argus');
  });

  it('names an unknown key, also a nested one', () => {
    expect(
      failure(() => loadConfig({ configFile: file('u.json', '{"htps": {"port": 1}}') })).message,
    ).toContain('unknown config key "htps"');
    expect(
      failure(() => loadConfig({ configFile: file('n.json', '{"https": {"prot": 1}}') })).message,
    ).toContain('unknown config key "https.prot"');
    expect(failure(() => loadConfig({ overrides: { 'auth.nope': '1' } })).message).toContain('"auth.nope"');
  });

  it('names an invalid value with the file it came from', () => {
    const f = file('bad.json', '{"https": {"port": 70000}}');
    const err = failure(() => loadConfig({ configFile: f }));
    expect(err.code).toBe('ARGUS_ERR_CONFIG');
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain('invalid config key "https.port"');
    expect(err.message).toContain(f);
    expect(failure(() => loadConfig({ env: { ARGUS_HTTPS_PORT: 'eighty' } })).message).toContain(
      '"https.port"',
    );
    expect(failure(() => loadConfig({ overrides: { 'log.level': 'loud' } })).message).toContain(
      '"log.level"',
    );
  });

  it('explains a config file that is not JSON', () => {
    const err = failure(() => loadConfig({ configFile: file('broken.json', '{ port: 1 ') }));
    expect(err.message).toContain('cannot read config file');
  });
});
