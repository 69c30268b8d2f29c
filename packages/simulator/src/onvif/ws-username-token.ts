// WS-Security UsernameToken check (OASIS WSS UsernameToken Profile 1.0 §3.1, as ONVIF Core §5.12
// requires): PasswordDigest = Base64(SHA-1(nonce + created + password)), Created within a skew
// window of the camera clock, and each nonce accepted once (replay protection, bounded memory).
import { createHash, timingSafeEqual } from 'node:crypto';
import { child, childText, type XmlElement } from './xml.js';

export const WS_PASSWORD_DIGEST_TYPE =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';

export const MAX_CREATED_SKEW_MS = 5 * 60_000;
const MAX_REMEMBERED_NONCES = 4096;

export type UsernameTokenVerdict = 'ok' | 'missing' | 'invalid';

export function wsPasswordDigest(nonce: Uint8Array, created: string, password: string): string {
  return createHash('sha1').update(nonce).update(created, 'utf8').update(password, 'utf8').digest('base64');
}

export class UsernameTokenVerifier {
  private readonly seenNonces = new Set<string>();

  constructor(private readonly check: { user: string; password: () => string; nowMs: () => number }) {}

  verify(header: XmlElement | undefined): UsernameTokenVerdict {
    const token = child(child(header, 'Security'), 'UsernameToken');
    if (token === undefined) return 'missing';
    const user = childText(token, 'Username');
    const passwordEl = child(token, 'Password');
    if (user === undefined || passwordEl === undefined) return 'invalid';
    const given = passwordEl.text.trim();
    const expectedPassword = this.check.password();
    if (user !== this.check.user) return 'invalid';
    const type = passwordEl.attrs['Type'] ?? '';
    if (!type.endsWith('#PasswordDigest')) {
      return safeEqual(given, expectedPassword) ? 'ok' : 'invalid';
    }
    const nonceText = childText(token, 'Nonce');
    const created = childText(token, 'Created');
    if (nonceText === undefined || created === undefined) return 'invalid';
    const createdMs = Date.parse(created);
    if (!Number.isFinite(createdMs) || Math.abs(createdMs - this.check.nowMs()) > MAX_CREATED_SKEW_MS)
      return 'invalid';
    const nonce = Buffer.from(nonceText, 'base64');
    if (nonce.length === 0 || nonce.length > 256) return 'invalid';
    if (!safeEqual(given, wsPasswordDigest(nonce, created, expectedPassword))) return 'invalid';
    const key = `${nonceText}|${created}`;
    if (this.seenNonces.has(key)) return 'invalid';
    this.seenNonces.add(key);
    if (this.seenNonces.size > MAX_REMEMBERED_NONCES) {
      const oldest = this.seenNonces.values().next().value;
      if (oldest !== undefined) this.seenNonces.delete(oldest);
    }
    return 'ok';
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
