// Camera credentials at rest: AES-256-GCM envelopes bound to their camera, a 0600 key file created
// once and reused, and every tampering or key mix-up refused with a stable code.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CREDENTIALS_KEY_FILE, CredentialCipher, CredentialError } from '../src/devices/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'argus-cred-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof CredentialError ? err.code : `other: ${String(err)}`;
  }
  return undefined;
};

describe('credential cipher', () => {
  it('creates a 0600 key file once and decrypts across reopenings', () => {
    const a = CredentialCipher.open(dir);
    const file = path.join(dir, CREDENTIALS_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readFileSync(file, 'utf8');
    const env = a.encrypt(3, { user: 'root', password: 'hunter2-secret' });
    expect(env).toMatch(/^v1:[A-Za-z0-9+/=]+$/);
    expect(env).not.toContain('hunter2');
    const b = CredentialCipher.open(dir);
    expect(readFileSync(file, 'utf8')).toBe(key);
    expect(b.decrypt(3, env)).toEqual({ user: 'root', password: 'hunter2-secret' });
    // a fresh IV every time
    expect(a.encrypt(3, { user: 'root', password: 'hunter2-secret' })).not.toBe(env);
  });

  it('refuses an envelope moved to another camera, tampered with, or under another key', () => {
    const c = CredentialCipher.open(dir);
    const env = c.encrypt(1, { user: 'u', password: 'p' });
    expect(codeOf(() => c.decrypt(2, env))).toBe('ARGUS_ERR_CREDENTIALS_DECRYPT');
    const raw = Buffer.from(env.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(codeOf(() => c.decrypt(1, `v1:${raw.toString('base64')}`))).toBe('ARGUS_ERR_CREDENTIALS_DECRYPT');
    expect(codeOf(() => c.decrypt(1, 'v2:abc'))).toBe('ARGUS_ERR_CREDENTIALS_DECRYPT');
    expect(codeOf(() => c.decrypt(1, 'v1:'))).toBe('ARGUS_ERR_CREDENTIALS_DECRYPT');
    const other = CredentialCipher.fromKey(new Uint8Array(32).fill(7));
    expect(codeOf(() => other.decrypt(1, env))).toBe('ARGUS_ERR_CREDENTIALS_DECRYPT');
  });

  it('refuses a damaged key file', () => {
    const bad = mkdtempSync(path.join(dir, 'bad-'));
    writeFileSync(path.join(bad, CREDENTIALS_KEY_FILE), 'c2hvcnQ=\n', { mode: 0o600 });
    expect(codeOf(() => CredentialCipher.open(bad))).toBe('ARGUS_ERR_CREDENTIALS_KEY');
  });

  it('round-trips any user name and password (property)', () => {
    const c = CredentialCipher.fromKey(new Uint8Array(32).fill(1));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.string(),
        fc.string({ unit: 'grapheme' }),
        (id, user, password) => {
          const env = c.encrypt(id, { user, password });
          const back = c.decrypt(id, env);
          return (
            back.user === user &&
            back.password === password &&
            (password.length < 4 || !env.includes(password))
          );
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
