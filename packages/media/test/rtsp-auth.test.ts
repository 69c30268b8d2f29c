// Authentication: RFC 2617/7616 worked examples, challenge parsing (captured GStreamer header and
// multi-challenge headers), the client's retry/stale decisions, and server-side verification.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DigestVerifier,
  MediaError,
  RtspAuthenticator,
  chooseChallenge,
  computeDigestResponse,
  isMediaError,
  parseAuthChallenges,
  parseAuthorization,
  parseRtspMessage,
} from '@argus/media';

describe('computeDigestResponse', () => {
  it('matches RFC 2617 §3.5', () => {
    expect(
      computeDigestResponse({
        algorithm: 'MD5',
        user: 'Mufasa',
        password: 'Circle Of Life',
        realm: 'testrealm@host.com',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        method: 'GET',
        uri: '/dir/index.html',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('matches RFC 7616 §3.9.1 for MD5 and SHA-256', () => {
    const input = {
      user: 'Mufasa',
      password: 'Circle of Life',
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      method: 'GET',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    };
    expect(computeDigestResponse({ ...input, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(computeDigestResponse({ ...input, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });
});

describe('parseAuthChallenges', () => {
  it('parses the captured GStreamer challenge', () => {
    const reply = parseRtspMessage(
      readFileSync(new URL('./fixtures/rtsp/gst-describe-401-digest.bin', import.meta.url)),
    );
    const [challenge] = parseAuthChallenges(reply.headers.getAll('WWW-Authenticate'));
    expect(challenge!.scheme).toBe('Digest');
    expect(challenge!.params['realm']).toBe('GStreamer RTSP Server');
    expect(challenge!.params['nonce']).toMatch(/^[0-9a-f]+$/);
  });

  it('splits several challenges in one header and handles quoting', () => {
    const challenges = parseAuthChallenges([
      'Digest realm="a, \\"b\\"", nonce="n1", qop="auth,auth-int", algorithm=SHA-256, Basic realm="x"',
      'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic   realm="simple"',
      'Bearer abc.def==',
    ]);
    expect(challenges.map((c) => c.scheme)).toEqual(['Digest', 'Basic', 'Newauth', 'Basic', 'Bearer']);
    expect(challenges[0]!.params).toEqual({
      realm: 'a, "b"',
      nonce: 'n1',
      qop: 'auth,auth-int',
      algorithm: 'SHA-256',
    });
    expect(challenges[2]!.params['title']).toBe('Login to "apps"');
    expect(challenges[4]!.token68).toBe('abc.def==');
    expect(chooseChallenge(challenges)).toBe(challenges[0]);
  });

  it('prefers SHA-256 over MD5 over Basic and skips unknown algorithms', () => {
    const c = parseAuthChallenges([
      'Basic realm="r"',
      'Digest realm="r", nonce="1", algorithm=MD5',
      'Digest realm="r", nonce="2", algorithm=SHA-512-256',
      'Digest realm="r", nonce="3", algorithm=SHA-256',
    ]);
    expect(chooseChallenge(c)!.params['nonce']).toBe('3');
    expect(chooseChallenge(c.slice(0, 3))!.params['nonce']).toBe('1');
    expect(chooseChallenge(c.slice(2, 3))).toBeUndefined();
  });

  it('throws only MediaError on arbitrary input (property)', () => {
    const alphabet = fc.constantFrom(...'Digest Basic realm="x\\", nonce=, qop=auth\t=='.split(''));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.array(alphabet, { maxLength: 80 }).map((a) => a.join('')),
        ),
        (s) => {
          try {
            for (const c of parseAuthChallenges([s])) expect(typeof c.scheme).toBe('string');
          } catch (err) {
            if (!(err instanceof MediaError)) throw err;
          }
          const verifier = new DigestVerifier({ realm: 'x', users: { u: 'p' }, nowMs: () => 0 });
          expect(verifier.verify('DESCRIBE', s).ok).toBe(false);
        },
      ),
      { seed: 42, numRuns: 2000 },
    );
  });
});

describe('RtspAuthenticator', () => {
  const creds = { user: 'admin', password: 'se:cret"' };

  it('sends nothing before a challenge, retries once, and retries again only on stale', () => {
    const auth = new RtspAuthenticator(creds, { createCnonce: () => 'c0ffee' });
    expect(auth.authorize('DESCRIBE', 'rtsp://h/x')).toBeUndefined();
    expect(auth.onUnauthorized(['Digest realm="r", nonce="n1", qop="auth"'], false)).toBe(true);
    const first = parseAuthorization(auth.authorize('DESCRIBE', 'rtsp://h/x')!);
    expect(first.params).toMatchObject({
      username: 'admin',
      nonce: 'n1',
      uri: 'rtsp://h/x',
      nc: '00000001',
      qop: 'auth',
    });
    expect(first.params['response']).toBe(
      computeDigestResponse({
        algorithm: 'MD5',
        ...creds,
        realm: 'r',
        nonce: 'n1',
        method: 'DESCRIBE',
        uri: 'rtsp://h/x',
        qop: 'auth',
        nc: '00000001',
        cnonce: 'c0ffee',
      }),
    );
    expect(parseAuthorization(auth.authorize('SETUP', 'rtsp://h/x/1')!).params['nc']).toBe('00000002');
    expect(auth.onUnauthorized(['Digest realm="r", nonce="n2"'], true)).toBe(false); // wrong password
    expect(auth.onUnauthorized(['Digest realm="r", nonce="n3", stale=TRUE'], true)).toBe(true);
    const renewed = parseAuthorization(auth.authorize('PLAY', 'rtsp://h/x')!);
    expect(renewed.params['nonce']).toBe('n3');
    expect(renewed.params['qop']).toBeUndefined(); // legacy RFC 2069 form when no qop is offered
  });

  it('answers Basic and never puts the password in the header text in clear', () => {
    const auth = new RtspAuthenticator(creds);
    auth.onUnauthorized(['Basic realm="cam"'], false);
    const header = auth.authorize('OPTIONS', '*')!;
    expect(header).toBe(`Basic ${Buffer.from('admin:se:cret"').toString('base64')}`);
    expect(header).not.toContain('cret');
  });

  it('fails with ARGUS_ERR_RTSP_AUTH without credentials or supported schemes', () => {
    expect(() => new RtspAuthenticator(undefined).onUnauthorized(['Basic realm="x"'], false)).toThrow(
      MediaError,
    );
    let caught: unknown;
    try {
      new RtspAuthenticator(creds).onUnauthorized(['Negotiate abc'], false);
    } catch (err) {
      caught = err;
    }
    expect(isMediaError(caught, 'ARGUS_ERR_RTSP_AUTH')).toBe(true);
  });
});

describe('DigestVerifier', () => {
  it('accepts our client with MD5 and SHA-256, rejects wrong passwords and forged nonces', () => {
    let nowMs = 1_000_000;
    const verifier = new DigestVerifier({
      realm: 'Argus',
      users: { admin: 'pw' },
      algorithms: ['SHA-256', 'MD5'],
      nowMs: () => nowMs,
      nonceLifetimeMs: 60_000,
    });
    const challenges = verifier.challenges();
    expect(challenges).toHaveLength(2);
    for (const [i, alg] of [
      [0, 'SHA-256'],
      [1, 'MD5'],
    ] as const) {
      const auth = new RtspAuthenticator({ user: 'admin', password: 'pw' });
      auth.onUnauthorized([challenges[i]!], false);
      const header = auth.authorize('DESCRIBE', 'rtsp://127.0.0.1/cam')!;
      expect(header).toContain(`algorithm=${alg}`);
      expect(verifier.verify('DESCRIBE', header)).toEqual({ ok: true, user: 'admin' });
      expect(verifier.verify('SETUP', header).ok).toBe(false); // method is bound into the digest
      const wrong = new RtspAuthenticator({ user: 'admin', password: 'nope' });
      wrong.onUnauthorized([challenges[i]!], false);
      expect(verifier.verify('DESCRIBE', wrong.authorize('DESCRIBE', 'rtsp://127.0.0.1/cam')!).ok).toBe(
        false,
      );
    }
    const forged = new RtspAuthenticator({ user: 'admin', password: 'pw' });
    forged.onUnauthorized(['Digest realm="Argus", nonce="18.AAAAAAAAAAAAAAAAAAAAAA", qop="auth"'], false);
    expect(verifier.verify('DESCRIBE', forged.authorize('DESCRIBE', 'rtsp://x/')!)).toEqual({
      ok: false,
      stale: false,
    });
    // An expired nonce with a correct response is stale; the client renews it and succeeds.
    const client = new RtspAuthenticator({ user: 'admin', password: 'pw' });
    client.onUnauthorized(verifier.challenges(), false);
    nowMs += 61_000;
    expect(verifier.verify('PLAY', client.authorize('PLAY', 'rtsp://x/')!)).toEqual({
      ok: false,
      stale: true,
    });
    expect(client.onUnauthorized(verifier.challenges(true), true)).toBe(true);
    expect(verifier.verify('PLAY', client.authorize('PLAY', 'rtsp://x/')!).ok).toBe(true);
  });

  it('accepts the legacy no-qop form', () => {
    const verifier = new DigestVerifier({ realm: 'R', users: { u: 'p' }, nowMs: () => 5 });
    const nonce = /nonce="([^"]+)"/.exec(verifier.challenges()[0]!)![1]!;
    const response = computeDigestResponse({
      algorithm: 'MD5',
      user: 'u',
      password: 'p',
      realm: 'R',
      nonce,
      method: 'OPTIONS',
      uri: '*',
    });
    expect(
      verifier.verify(
        'OPTIONS',
        `Digest username="u", realm="R", nonce="${nonce}", uri="*", response="${response}"`,
      ).ok,
    ).toBe(true);
  });
});
