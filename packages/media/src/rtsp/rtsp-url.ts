// RTSP URLs (RFC 2326 §3.2, RFC 7826 §4.2): credentials split off the URL, redaction for logs and
// errors, and a=control resolution against Content-Base / Content-Location / the request URL
// (RFC 2326 §C.1.1; relative controls are appended the way cameras, live555 and FFmpeg expect).
import { MediaError } from '../media-error.js';
import type { RtspCredentials } from './rtsp-auth.js';
import { ERR_RTSP_URL } from './rtsp-errors.js';
import type { RtspHeaders } from './rtsp-headers.js';

export const RTSP_DEFAULT_PORT = 554;

export interface ParsedRtspUrl {
  /** The URL without user:password, as sent on the wire. */
  url: string;
  host: string;
  port: number;
  /** Path and query, e.g. '/Streaming/Channels/101?transportmode=unicast'. */
  pathAndQuery: string;
  credentials?: RtspCredentials;
}

const SECRET_QUERY_KEY = /pass|pwd|secret|token|auth|key/i;

/** Removes user:password and secret-looking query values; safe on malformed input. */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1')
    .replace(/([?&;])([^=&;#]*)=([^&;#]*)/g, (all, sep: string, key: string) =>
      SECRET_QUERY_KEY.test(key) ? `${sep}${key}=***` : all,
    );
}

export function parseRtspUrl(input: string): ParsedRtspUrl {
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    throw new MediaError(ERR_RTSP_URL, `invalid RTSP URL ${redactUrl(input).slice(0, 200)}`);
  }
  if (parsed.protocol !== 'rtsp:' || parsed.hostname === '') {
    throw new MediaError(ERR_RTSP_URL, `not an rtsp:// URL: ${redactUrl(input).slice(0, 200)}`);
  }
  let credentials: RtspCredentials | undefined;
  try {
    if (parsed.username !== '' || parsed.password !== '') {
      credentials = {
        user: decodeURIComponent(parsed.username),
        password: decodeURIComponent(parsed.password),
      };
    }
  } catch {
    throw new MediaError(ERR_RTSP_URL, 'invalid percent-encoding in RTSP URL credentials');
  }
  parsed.username = '';
  parsed.password = '';
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const out: ParsedRtspUrl = {
    url: parsed.href,
    host,
    port: parsed.port === '' ? RTSP_DEFAULT_PORT : Number(parsed.port),
    pathAndQuery: `${parsed.pathname}${parsed.search}`,
  };
  if (credentials) out.credentials = credentials;
  return out;
}

/** Base URL for relative controls after DESCRIBE: Content-Base, else Content-Location, else the request URL. */
export function describeBaseUrl(requestUrl: string, headers: RtspHeaders): string {
  for (const name of ['Content-Base', 'Content-Location']) {
    const value = headers.get(name)?.trim();
    if (value) {
      try {
        return new URL(value, requestUrl).href;
      } catch {
        // ignore a malformed header and fall back
      }
    }
  }
  return requestUrl;
}

/** Resolves an a=control value (absolute URL, '*', absolute path or relative) against the base. */
export function resolveControlUrl(baseUrl: string, control: string | undefined): string {
  if (control === undefined || control === '' || control === '*') return baseUrl;
  if (/^[a-z][a-z0-9+.-]*:/i.test(control)) return control;
  if (control.startsWith('/')) return new URL(control, baseUrl).href;
  if (control.startsWith('?') || baseUrl.endsWith('/')) return baseUrl + control;
  return `${baseUrl}/${control}`;
}
