// A minimal HTTPS JSON client for tests that pins the server's own certificate (no verification
// bypass): it trusts exactly the certificate the server presents, as a client comparing the
// certificate ID would.
import { request } from 'node:https';

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export interface TestRequest {
  method?: string;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  host?: string;
}

export function httpsCall(
  port: number,
  ca: string,
  path: string,
  options: TestRequest = {},
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const payload =
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    const req = request(
      {
        host: options.host ?? '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers,
        ca,
        servername: 'localhost',
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.end(payload);
    else req.end();
  });
}

/** Keeps the session cookie and CSRF token between calls, as a browser tab would. */
export class TestSession {
  cookie: string | undefined;
  csrf: string | undefined;
  constructor(
    readonly port: number,
    readonly ca: string,
  ) {}

  async call(path: string, options: TestRequest & { csrf?: boolean } = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers['cookie'] = this.cookie;
    if (this.csrf && options.csrf !== false && (options.method ?? 'GET') !== 'GET')
      headers['x-csrf-token'] = this.csrf;
    const res = await httpsCall(this.port, this.ca, path, { ...options, headers });
    const setCookie = res.headers['set-cookie'];
    const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    if (first) this.cookie = first.split(';')[0]!.endsWith('=') ? undefined : first.split(';')[0];
    const csrf = (res.json as { csrfToken?: string } | undefined)?.csrfToken;
    if (csrf) this.csrf = csrf;
    return res;
  }
}
