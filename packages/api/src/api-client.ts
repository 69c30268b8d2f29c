// A small typed client over the route table, shared by the web client and scripts. Transport is
// an injected fetch so browsers use cookies + CSRF and scripts use a Bearer token.
import type { Static, TSchema } from '@sinclair/typebox';
import type { RouteSpec } from './route-table.js';
import { Routes, type RouteId } from './route-table.js';

type SuccessSchema<R extends RouteSpec> = {
  [K in keyof R['responses']]: R['responses'][K] extends TSchema ? R['responses'][K] : never;
}[keyof R['responses']];
export type RouteResponse<Id extends RouteId> = [SuccessSchema<(typeof Routes)[Id]>] extends [never]
  ? undefined
  : Static<SuccessSchema<(typeof Routes)[Id]>>;
export type RouteBody<Id extends RouteId> = (typeof Routes)[Id] extends { body: infer B extends TSchema }
  ? Static<B>
  : undefined;

export interface CallOptions<Id extends RouteId> {
  body?: RouteBody<Id>;
  params?: Record<string, string | number>;
  /** Query string; undefined values are left out. */
  query?: Record<string, string | number | undefined>;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Personal API token; when absent the client relies on the session cookie and CSRF token. */
  token?: string;
}

export interface ApiClient {
  call<Id extends RouteId>(id: Id, options?: CallOptions<Id>): Promise<RouteResponse<Id>>;
  /** CSRF token of the cookie session, learnt from login/setup/session responses. */
  csrfToken: string | undefined;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? fetch;
  const client: ApiClient = {
    csrfToken: undefined,
    async call(id, callOptions) {
      const spec: RouteSpec = Routes[id];
      const path = spec.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
        const value = callOptions?.params?.[name];
        if (value === undefined) throw new Error(`missing path parameter ${name} for ${id}`);
        return encodeURIComponent(String(value));
      });
      const headers: Record<string, string> = { accept: 'application/json' };
      if (options.token) headers['authorization'] = `Bearer ${options.token}`;
      if (spec.method !== 'GET' && client.csrfToken) headers['x-csrf-token'] = client.csrfToken;
      let body: string | undefined;
      if (callOptions?.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(callOptions.body);
      }
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(callOptions?.query ?? {}))
        if (v !== undefined) query.set(k, String(v));
      const queryString = query.toString();
      const search = queryString ? `?${queryString}` : '';
      const res = await doFetch(options.baseUrl + path + search, {
        method: spec.method,
        headers,
        body,
        credentials: 'same-origin',
      });
      const text = await res.text();
      const json: unknown = text ? JSON.parse(text) : undefined;
      if (!res.ok) {
        const err = (json as { error?: { code?: string; message?: string; requestId?: string } } | undefined)
          ?.error;
        throw new ApiError(
          res.status,
          err?.code ?? 'ARGUS_ERR_INTERNAL',
          err?.message ?? res.statusText,
          err?.requestId,
        );
      }
      const csrf = (json as { csrfToken?: unknown } | undefined)?.csrfToken;
      if (typeof csrf === 'string') client.csrfToken = csrf;
      return json as RouteResponse<typeof id>;
    },
  };
  return client;
}
