// The committed OpenAPI document (docs/ref/openapi.json) must equal what the route table
// generates; regenerate with `npm run build && npm run openapi`.
import { readFileSync } from 'node:fs';
import { API_VERSION, buildOpenApi, routeList } from '@argus/api';
import { describe, expect, it } from 'vitest';

describe('OpenAPI', () => {
  const doc = buildOpenApi(API_VERSION) as {
    paths: Record<string, Record<string, { 'x-argus-privilege'?: string; operationId: string }>>;
  };

  it('describes every route with its privilege', () => {
    for (const r of routeList()) {
      const op = doc.paths[r.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      expect(op?.operationId).toBe(r.id);
      expect(op?.['x-argus-privilege']).toBe(r.privilege);
    }
  });

  it('the committed docs/ref/openapi.json is fresh', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../../docs/ref/openapi.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
