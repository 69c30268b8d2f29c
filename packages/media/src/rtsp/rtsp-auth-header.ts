// Parser for WWW-Authenticate challenges and Authorization credentials (RFC 7235 §2.1, §4.1;
// RFC 7616 §3.3-3.4; RFC 7617 §2): schemes, auth-params with quoted-strings, token68, several
// challenges in one header. Malformed input throws MediaError(ARGUS_ERR_RTSP_PROTOCOL).
import { MediaError } from '../media-error.js';
import { ERR_RTSP_PROTOCOL } from './rtsp-errors.js';

export interface AuthChallenge {
  /** Scheme as written, e.g. 'Digest' or 'Basic'; compare case-insensitively. */
  scheme: string;
  /** auth-params with lower-cased names, unquoted values. */
  params: Record<string, string>;
  token68?: string;
}

/** Bound on one header value we parse (the message layer already bounds the whole head). */
const MAX_AUTH_HEADER_CHARS = 8192;
const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  skipSpacesAndCommas(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.pos++;
  }
  token(): string {
    const start = this.pos;
    while (!this.done && TOKEN_CHAR.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }
  quoted(): string {
    this.pos++; // opening quote
    let out = '';
    while (!this.done) {
      const ch = this.text[this.pos++]!;
      if (ch === '"') return out;
      if (ch === '\\' && !this.done) out += this.text[this.pos++]!;
      else out += ch;
    }
    throw new MediaError(ERR_RTSP_PROTOCOL, 'unterminated quoted-string in authentication header');
  }
}

/** After an auth-param name: true if "name =" follows (so it is a param, not a new scheme). */
function paramFollows(cursor: Cursor): boolean {
  const save = cursor.pos;
  cursor.skipSpaces();
  const name = cursor.token();
  cursor.skipSpaces();
  const isParam = name !== '' && cursor.peek() === '=' && cursor.text[cursor.pos + 1] !== '=';
  cursor.pos = save;
  return isParam;
}

function parseOne(cursor: Cursor): AuthChallenge | undefined {
  cursor.skipSpacesAndCommas();
  if (cursor.done) return undefined;
  const scheme = cursor.token();
  if (scheme === '') throw new MediaError(ERR_RTSP_PROTOCOL, 'authentication header without a scheme');
  const challenge: AuthChallenge = { scheme, params: {} };
  cursor.skipSpaces();
  if (!paramFollows(cursor)) {
    // token68 (Basic credentials) or nothing
    const start = cursor.pos;
    while (!cursor.done && /[A-Za-z0-9\-._~+/=]/.test(cursor.peek())) cursor.pos++;
    if (cursor.pos > start) challenge.token68 = cursor.text.slice(start, cursor.pos);
    return challenge;
  }
  while (!cursor.done) {
    cursor.skipSpaces();
    const name = cursor.token().toLowerCase();
    cursor.skipSpaces();
    if (cursor.peek() !== '=') throw new MediaError(ERR_RTSP_PROTOCOL, 'auth-param without "="');
    cursor.pos++;
    cursor.skipSpaces();
    const value = cursor.peek() === '"' ? cursor.quoted() : cursor.token();
    if (name !== '__proto__') challenge.params[name] = value;
    cursor.skipSpaces();
    if (cursor.done) break;
    if (cursor.peek() !== ',') throw new MediaError(ERR_RTSP_PROTOCOL, 'unexpected character in auth-params');
    // A comma ends this param; a new challenge starts if no "name=" follows.
    while (cursor.peek() === ',' || cursor.peek() === ' ' || cursor.peek() === '\t') cursor.pos++;
    if (!paramFollows(cursor)) break;
  }
  return challenge;
}

/** Parses every challenge in the given WWW-Authenticate (or Proxy-Authenticate) header values. */
export function parseAuthChallenges(values: readonly string[]): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  for (const value of values) {
    if (value.length > MAX_AUTH_HEADER_CHARS)
      throw new MediaError(ERR_RTSP_PROTOCOL, 'authentication header too long');
    const cursor = new Cursor(value);
    for (let challenge = parseOne(cursor); challenge; challenge = parseOne(cursor)) out.push(challenge);
  }
  return out;
}

/** Parses an Authorization header value: one scheme with its params or token68. */
export function parseAuthorization(value: string): AuthChallenge {
  const parsed = parseAuthChallenges([value]);
  if (parsed.length !== 1)
    throw new MediaError(ERR_RTSP_PROTOCOL, 'Authorization header must hold one credential');
  return parsed[0]!;
}

/** quoted-string for an auth-param value (RFC 7230 §3.2.6). */
export function quoteAuthParam(value: string): string {
  if (/[\r\n]/.test(value)) throw new MediaError(ERR_RTSP_PROTOCOL, 'line break in auth-param');
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
