// OpenAPI 3.1 document derived from the route table; the committed docs/ref/openapi.json is
// checked fresh against this output by a test.
import type { TSchema } from '@sinclair/typebox';
import { ErrorBody } from './schemas.js';
import { routeList } from './route-table.js';

const plain = (schema: TSchema): unknown => JSON.parse(JSON.stringify(schema));

export function buildOpenApi(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routeList()) {
    const oaPath = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(r.responses)) {
      if (schema)
        responses[status] = {
          description: 'Success',
          content: { 'application/json': { schema: plain(schema) } },
        };
      else if (status === '101') responses[status] = { description: 'Switching Protocols (WebSocket)' };
      else if (r.mediaType)
        responses[status] = {
          description: status === '206' ? 'Partial content (Range)' : 'Success',
          content: { [r.mediaType]: { schema: { type: 'string', format: 'binary' } } },
        };
      else responses[status] = { description: 'Success' };
    }
    responses['default'] = {
      description: 'Error with a stable ARGUS_ERR_* code',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    };
    const parameters: unknown[] = [];
    const params = r.params as { properties?: Record<string, unknown> } | undefined;
    for (const [name, schema] of Object.entries(params?.properties ?? {}))
      parameters.push({ name, in: 'path', required: true, schema });
    const query = r.query as { properties?: Record<string, unknown>; required?: string[] } | undefined;
    for (const [name, schema] of Object.entries(query?.properties ?? {}))
      parameters.push({ name, in: 'query', required: query?.required?.includes(name) ?? false, schema });
    const op: Record<string, unknown> = {
      operationId: r.id,
      summary: r.summary,
      tags: [r.tag],
      'x-argus-privilege': r.privilege,
      security: r.privilege === 'public' || r.privilege === 'setup' ? [] : [{ session: [] }, { token: [] }],
      responses,
    };
    if (parameters.length > 0) op['parameters'] = parameters;
    if (r.websocket) op['x-argus-websocket'] = true;
    if (r.body)
      op['requestBody'] = { required: true, content: { 'application/json': { schema: plain(r.body) } } };
    (paths[oaPath] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Argus API',
      version,
      description:
        'REST API of the Argus recording server. State-changing requests with a session cookie must send the X-CSRF-Token header; API tokens use Authorization: Bearer.',
    },
    paths,
    components: {
      schemas: { ErrorBody: plain(ErrorBody) },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'argus_session' },
        token: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
