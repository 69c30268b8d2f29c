// Client side of RTSP authentication: Basic (RFC 7617) and Digest (RFC 7616, RFC 2617) with MD5,
// SHA-256 and their -sess variants, qop=auth / auth-int with nc and cnonce, the legacy no-qop form
// (RFC 2069), userhash, and stale=true nonce renewal (RFC 7616 §3.3).
import { createHash, randomBytes } from 'node:crypto';
import { MediaError } from '../media-error.js';
import { type AuthChallenge, parseAuthChallenges, quoteAuthParam } from './rtsp-auth-header.js';
import { ERR_RTSP_AUTH } from './rtsp-errors.js';

export interface RtspCredentials {
  user: string;
  password: string;
}

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

const HASH_OF: Record<DigestAlgorithm, 'md5' | 'sha256'> = {
  MD5: 'md5',
  'MD5-sess': 'md5',
  'SHA-256': 'sha256',
  'SHA-256-sess': 'sha256',
};

export function digestHash(algorithm: DigestAlgorithm, text: string | Uint8Array): string {
  return createHash(HASH_OF[algorithm]).update(text).digest('hex');
}

export function parseDigestAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined || value === '') return 'MD5';
  const upper = value.toUpperCase();
  if (upper === 'MD5') return 'MD5';
  if (upper === 'MD5-SESS') return 'MD5-sess';
  if (upper === 'SHA-256') return 'SHA-256';
  if (upper === 'SHA-256-SESS') return 'SHA-256-sess';
  return undefined;
}

export interface DigestResponseInput {
  algorithm: DigestAlgorithm;
  user: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  /** 'auth', 'auth-int' or undefined for the RFC 2069 form. */
  qop?: string;
  nc?: string;
  cnonce?: string;
  body?: Uint8Array;
}

/** The request-digest of RFC 7616 §3.4.1 (used by both client and server). */
export function computeDigestResponse(input: DigestResponseInput): string {
  const { algorithm: alg } = input;
  let ha1 = digestHash(alg, `${input.user}:${input.realm}:${input.password}`);
  if (alg.endsWith('-sess')) ha1 = digestHash(alg, `${ha1}:${input.nonce}:${input.cnonce ?? ''}`);
  const a2 =
    input.qop === 'auth-int'
      ? `${input.method}:${input.uri}:${digestHash(alg, input.body ?? new Uint8Array(0))}`
      : `${input.method}:${input.uri}`;
  const ha2 = digestHash(alg, a2);
  if (input.qop === undefined) return digestHash(alg, `${ha1}:${input.nonce}:${ha2}`);
  return digestHash(alg, `${ha1}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}:${ha2}`);
}

const ALGORITHM_RANK: Record<DigestAlgorithm, number> = {
  'SHA-256': 4,
  'SHA-256-sess': 3,
  MD5: 2,
  'MD5-sess': 1,
};

/** The challenge we answer: Digest with the strongest supported algorithm, else Basic. */
export function chooseChallenge(challenges: readonly AuthChallenge[]): AuthChallenge | undefined {
  let best: AuthChallenge | undefined;
  let bestRank = 0;
  for (const challenge of challenges) {
    const scheme = challenge.scheme.toLowerCase();
    let rank = 0;
    if (scheme === 'digest' && challenge.params['nonce'] !== undefined) {
      const algorithm = parseDigestAlgorithm(challenge.params['algorithm']);
      rank = algorithm ? 10 + ALGORITHM_RANK[algorithm] : 0;
    } else if (scheme === 'basic') rank = 1;
    if (rank > bestRank) [best, bestRank] = [challenge, rank];
  }
  return best;
}

export interface RtspAuthenticatorOptions {
  /** cnonce source; injectable for golden tests. */
  createCnonce?: () => string;
}

/**
 * Per-connection authentication state: answers the chosen challenge on every request (counting nc
 * per nonce) and decides whether a 401 deserves one retry. Never exposes the password.
 */
export class RtspAuthenticator {
  private challenge: AuthChallenge | undefined;
  private nonceCount = 0;
  private readonly createCnonce: () => string;

  constructor(
    private readonly credentials: RtspCredentials | undefined,
    options: RtspAuthenticatorOptions = {},
  ) {
    this.createCnonce = options.createCnonce ?? (() => randomBytes(8).toString('hex'));
  }

  get scheme(): string | undefined {
    return this.challenge?.scheme;
  }

  /** Authorization header for a request, or undefined before any challenge. */
  authorize(method: string, uri: string, body?: Uint8Array): string | undefined {
    const challenge = this.challenge;
    if (!challenge || !this.credentials) return undefined;
    const { user, password } = this.credentials;
    if (challenge.scheme.toLowerCase() === 'basic') {
      return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
    }
    const params = challenge.params;
    const algorithm = parseDigestAlgorithm(params['algorithm'])!;
    const realm = params['realm'] ?? '';
    const nonce = params['nonce'] ?? '';
    const offered = (params['qop'] ?? '').split(',').map((q) => q.trim().toLowerCase());
    const qop = offered.includes('auth') ? 'auth' : offered.includes('auth-int') ? 'auth-int' : undefined;
    this.nonceCount++;
    const nc = this.nonceCount.toString(16).padStart(8, '0');
    const cnonce = qop !== undefined || algorithm.endsWith('-sess') ? this.createCnonce() : undefined;
    const response = computeDigestResponse({
      algorithm,
      user,
      password,
      realm,
      nonce,
      method,
      uri,
      qop,
      nc,
      cnonce,
      body,
    });
    const userhash = params['userhash']?.toLowerCase() === 'true';
    const username = userhash ? digestHash(algorithm, `${user}:${realm}`) : user;
    const parts = [
      `username=${quoteAuthParam(username)}`,
      `realm=${quoteAuthParam(realm)}`,
      `nonce=${quoteAuthParam(nonce)}`,
      `uri=${quoteAuthParam(uri)}`,
      `response=${quoteAuthParam(response)}`,
    ];
    if (params['algorithm'] !== undefined) parts.push(`algorithm=${params['algorithm']}`);
    if (cnonce !== undefined) parts.push(`cnonce=${quoteAuthParam(cnonce)}`);
    if (params['opaque'] !== undefined) parts.push(`opaque=${quoteAuthParam(params['opaque'])}`);
    if (qop !== undefined) parts.push(`qop=${qop}`, `nc=${nc}`);
    if (userhash) parts.push('userhash=true');
    return `Digest ${parts.join(', ')}`;
  }

  /**
   * Takes the WWW-Authenticate values of a 401. Returns true when a retry may succeed: credentials
   * were not sent yet, or the Digest nonce was stale (RFC 7616 §3.3). Throws ARGUS_ERR_RTSP_AUTH
   * when there is nothing to answer with.
   */
  onUnauthorized(wwwAuthenticate: readonly string[], sentCredentials: boolean): boolean {
    if (!this.credentials)
      throw new MediaError(ERR_RTSP_AUTH, 'server requires authentication; no credentials given');
    const chosen = chooseChallenge(parseAuthChallenges(wwwAuthenticate));
    if (!chosen) throw new MediaError(ERR_RTSP_AUTH, 'server offers no supported authentication scheme');
    const stale = chosen.params['stale']?.toLowerCase() === 'true';
    const nonceChanged = chosen.params['nonce'] !== this.challenge?.params['nonce'];
    this.challenge = chosen;
    if (nonceChanged) this.nonceCount = 0;
    return !sentCredentials || stale;
  }
}
