// Test helper: HTTP requests with Digest authentication (RFC 7616), computed with @argus/media's
// client-side functions, so the simulator's verifier is exercised by an independent code path.
import { computeDigestResponse, parseAuthChallenges } from '@argus/media';
import { randomBytes } from 'node:crypto';

export interface DigestResult {
  status: number;
  headers: Headers;
  body: Buffer;
}

export async function digestFetch(
  url: string,
  user: string,
  password: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<DigestResult> {
  const method = init.method ?? 'GET';
  const first = await fetch(url, { method, body: init.body, headers: init.headers });
  if (first.status !== 401)
    return { status: first.status, headers: first.headers, body: Buffer.from(await first.arrayBuffer()) };
  await first.arrayBuffer();
  const challenges = parseAuthChallenges([first.headers.get('www-authenticate') ?? '']);
  const c = challenges.find((ch) => ch.scheme.toLowerCase() === 'digest');
  if (c === undefined) throw new Error('no Digest challenge');
  const u = new URL(url);
  const uri = `${u.pathname}${u.search}`;
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const response = computeDigestResponse({
    algorithm: 'MD5',
    user,
    password,
    realm: c.params['realm']!,
    nonce: c.params['nonce']!,
    method,
    uri,
    qop: 'auth',
    nc,
    cnonce,
  });
  const authorization =
    `Digest username="${user}", realm="${c.params['realm']}", nonce="${c.params['nonce']}", uri="${uri}", ` +
    `algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`;
  const second = await fetch(url, {
    method,
    body: init.body,
    headers: { ...init.headers, Authorization: authorization },
  });
  return { status: second.status, headers: second.headers, body: Buffer.from(await second.arrayBuffer()) };
}
