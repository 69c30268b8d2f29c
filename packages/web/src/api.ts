// The browser's API client: same-origin fetch with the session cookie and the CSRF token. The
// typed client has no query strings yet, so routes that need one go through `callWithQuery`.
import { ApiError, createApiClient, Routes, type RouteId, type RouteResponse } from '@argus/api';

export const api = createApiClient({ baseUrl: '', fetch: (input, init) => fetch(input, init) });

/** A route of the table with a query string (e.g. the timeline's start/end/resolutionMs). */
export async function callWithQuery<Id extends RouteId>(
  id: Id,
  params: Record<string, string | number>,
  query: Record<string, string | number | undefined>,
): Promise<RouteResponse<Id>> {
  const spec = Routes[id];
  const path = spec.path.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    encodeURIComponent(String(params[name] ?? '')),
  );
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (spec.method !== 'GET' && api.csrfToken) headers['x-csrf-token'] = api.csrfToken;
  const res = await fetch(`${path}?${q.toString()}`, {
    method: spec.method,
    headers,
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
  return json as RouteResponse<Id>;
}
