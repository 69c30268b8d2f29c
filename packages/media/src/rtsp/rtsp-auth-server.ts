// Server side of RTSP Digest authentication (RFC 7616 §3.3-3.5, RFC 2617 §3.2.2): stateless HMAC
// nonces with an age limit (an expired nonce with a correct response earns stale=true), MD5 and
// SHA-256 challenges, qop=auth and the legacy no-qop form. nc replay is not tracked.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseAuthorization, quoteAuthParam } from './rtsp-auth-header.js';
import { computeDigestResponse, parseDigestAlgorithm } from './rtsp-auth.js';

export interface DigestVerifierOptions {
  realm: string;
  /** user -> password. */
  users: Readonly<Record<string, string>>;
  /** Challenges offered, strongest first. Responses with either algorithm are accepted. */
  algorithms?: ReadonlyArray<'SHA-256' | 'MD5'>;
  nonceLifetimeMs?: number;
  nowMs: () => number;
  /** HMAC key for nonces; random per verifier by default. */
  secret?: Uint8Array;
}

export type DigestVerdict = { ok: true; user: string } | { ok: false; stale: boolean };

export class DigestVerifier {
  private readonly secret: Uint8Array;
  private readonly algorithms: ReadonlyArray<'SHA-256' | 'MD5'>;
  private readonly nonceLifetimeMs: number;

  constructor(private readonly options: DigestVerifierOptions) {
    this.secret = options.secret ?? randomBytes(32);
    this.algorithms = options.algorithms ?? ['MD5'];
    this.nonceLifetimeMs = options.nonceLifetimeMs ?? 300_000;
  }

  private sign(issuedMs: string): string {
    return createHmac('sha256', this.secret).update(issuedMs).digest('base64url').slice(0, 22);
  }

  createNonce(): string {
    const issued = Math.floor(this.options.nowMs()).toString(16);
    return `${issued}.${this.sign(issued)}`;
  }

  /** WWW-Authenticate values for a 401, one per offered algorithm, sharing one nonce. */
  challenges(stale = false): string[] {
    const nonce = this.createNonce();
    return this.algorithms.map(
      (algorithm) =>
        `Digest realm=${quoteAuthParam(this.options.realm)}, nonce=${quoteAuthParam(nonce)}, ` +
        `algorithm=${algorithm}, qop="auth"${stale ? ', stale=true' : ''}`,
    );
  }

  /** 'fresh', 'stale' (ours but too old) or 'invalid'. */
  private checkNonce(nonce: string): 'fresh' | 'stale' | 'invalid' {
    const match = /^([0-9a-f]{1,13})\.([A-Za-z0-9_-]{22})$/.exec(nonce);
    if (!match) return 'invalid';
    const expected = Buffer.from(this.sign(match[1]!));
    if (!timingSafeEqual(expected, Buffer.from(match[2]!))) return 'invalid';
    const ageMs = this.options.nowMs() - Number.parseInt(match[1]!, 16);
    return ageMs >= 0 && ageMs <= this.nonceLifetimeMs ? 'fresh' : 'stale';
  }

  /** Verifies an Authorization header for a request method; never throws. */
  verify(method: string, authorization: string | undefined): DigestVerdict {
    const fail: DigestVerdict = { ok: false, stale: false };
    if (authorization === undefined) return fail;
    let params: Record<string, string>;
    try {
      const parsed = parseAuthorization(authorization);
      if (parsed.scheme.toLowerCase() !== 'digest') return fail;
      params = parsed.params;
    } catch {
      return fail;
    }
    const { username, nonce, uri, response, realm } = params;
    const algorithm = parseDigestAlgorithm(params['algorithm']);
    if (!username || !nonce || !uri || !response || realm !== this.options.realm) return fail;
    if (algorithm !== 'MD5' && algorithm !== 'SHA-256') return fail;
    if (!Object.hasOwn(this.options.users, username)) return fail;
    const nonceState = this.checkNonce(nonce);
    if (nonceState === 'invalid') return fail;
    const qop = params['qop'];
    if (qop !== undefined && (qop !== 'auth' || !params['nc'] || !params['cnonce'])) return fail;
    const expected = computeDigestResponse({
      algorithm,
      user: username,
      password: this.options.users[username]!,
      realm,
      nonce,
      method,
      uri,
      qop,
      nc: params['nc'],
      cnonce: params['cnonce'],
    });
    const a = Buffer.from(expected);
    const b = Buffer.from(response.toLowerCase());
    if (a.length !== b.length || !timingSafeEqual(a, b)) return fail;
    if (nonceState === 'stale') return { ok: false, stale: true };
    return { ok: true, user: username };
  }
}
