// HTTP requests to a camera (VAPIX-style CGI, ONVIF SOAP) with Basic or Digest authentication
// (RFC 7617, RFC 7616 via @argus/media's authenticator, which answers HTTP and RTSP challenges
// alike), a timeout, an abort signal and a bounded response. Credentials never appear in errors.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { RtspAuthenticator } from '@argus/media';

export const ARGUS_ERR_CAMERA_HTTP = 'ARGUS_ERR_CAMERA_HTTP';
export const ARGUS_ERR_CAMERA_AUTH = 'ARGUS_ERR_CAMERA_AUTH';

const MAX_BODY_BYTES = 1024 * 1024;

export class CameraHttpError extends Error {
  override readonly name = 'CameraHttpError';
  constructor(
    readonly code: typeof ARGUS_ERR_CAMERA_HTTP | typeof ARGUS_ERR_CAMERA_AUTH,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface CameraHttpResponse {
  status: number;
  body: string;
  /** The body as received (binary answers: JPEG snapshots). */
  bytes: Buffer;
  contentType: string | undefined;
}

export interface CameraHttpRequest {
  method?: 'GET' | 'POST';
  body?: string;
  contentType?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** One camera's HTTP client; keeps the Digest challenge so later requests authenticate at once. */
export class CameraHttpClient {
  private readonly auth: RtspAuthenticator;

  constructor(credentials: { user: string; password: string } | null) {
    this.auth = new RtspAuthenticator(credentials ?? undefined);
  }

  async request(url: string, req: CameraHttpRequest): Promise<CameraHttpResponse> {
    const method = req.method ?? 'GET';
    const target = new URL(url);
    const uri = `${target.pathname}${target.search}`;
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    let sent = false;
    for (let attempt = 0; attempt < 3; attempt++) {
      const authorization = this.auth.authorize(method, uri, body);
      const res = await send(target, method, req, body, authorization);
      if (res.status !== 401)
        return {
          status: res.status,
          body: res.bytes.toString('utf8'),
          bytes: res.bytes,
          contentType: res.contentType,
        };
      let retry: boolean;
      try {
        retry = this.auth.onUnauthorized(res.wwwAuthenticate, sent || authorization !== undefined);
      } catch (err) {
        throw new CameraHttpError(
          ARGUS_ERR_CAMERA_AUTH,
          `camera ${target.host}: ${(err as Error).message}`,
          401,
        );
      }
      sent = true;
      if (!retry) break;
    }
    throw new CameraHttpError(ARGUS_ERR_CAMERA_AUTH, `camera ${target.host} refused the credentials`, 401);
  }
}

interface RawResponse {
  status: number;
  bytes: Buffer;
  contentType: string | undefined;
  wwwAuthenticate: string[];
}

function send(
  target: URL,
  method: string,
  req: CameraHttpRequest,
  body: Buffer | undefined,
  authorization: string | undefined,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: '*/*' };
    if (authorization !== undefined) headers['authorization'] = authorization;
    if (body !== undefined) {
      headers['content-type'] = req.contentType ?? 'application/octet-stream';
      headers['content-length'] = String(body.length);
    }
    const options = {
      method,
      headers,
      timeout: req.timeoutMs,
      ...(req.signal ? { signal: req.signal } : {}),
      // Cameras mostly carry self-signed certificates; the stream URL is what the administrator trusts.
      ...(target.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
    };
    const where = `${target.protocol}//${target.host}${target.pathname}`;
    const fail = (message: string): void =>
      reject(new CameraHttpError(ARGUS_ERR_CAMERA_HTTP, `${where}: ${message}`));
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) {
          res.destroy();
          fail('response too large');
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        const www = res.headers['www-authenticate'];
        resolve({
          status: res.statusCode ?? 0,
          bytes: Buffer.concat(chunks),
          contentType: res.headers['content-type'],
          wwwAuthenticate: www === undefined ? [] : Array.isArray(www) ? www : [www],
        });
      });
      res.on('error', (err) => fail(err.message));
    };
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      fail('only http and https URLs are supported');
      return;
    }
    const r = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, options, onResponse);
    r.on('timeout', () => r.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    r.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    r.end(body);
  });
}
