// One shape for every error answer: { error: { code, message, requestId, details? } } with a stable
// ARGUS_ERR_* code. Fastify's own errors (validation, body size, bad JSON) are mapped onto codes.
import { ErrorCodes, type ErrorBody } from '@argus/api';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ArgusError } from '../base/index.js';

function fromFastify(err: FastifyError): ArgusError {
  if (err.validation) {
    const details = err.validation.map((v) => ({
      path: (v.instancePath || '/').replace(/^\//, '').replaceAll('/', '.') || '(body)',
      message: v.message ?? 'invalid',
    }));
    const where = err.validationContext ?? 'request';
    const first = details[0];
    return new ArgusError(
      'VALIDATION',
      `Invalid ${where}: ${first ? `${first.path} ${first.message}` : 'see details'}`,
      { details },
    );
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ArgusError('BODY_TOO_LARGE', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ArgusError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ArgusError('MALFORMED_JSON', 'The request body is not valid JSON');
    default:
      if (err instanceof SyntaxError || err.statusCode === 400)
        return new ArgusError('MALFORMED_JSON', 'The request body is not valid JSON');
      if (err.statusCode === 413) return new ArgusError('BODY_TOO_LARGE', 'The request body is too large');
      return new ArgusError('INTERNAL', 'Internal server error', { cause: err });
  }
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const err = error instanceof ArgusError ? error : fromFastify(error as FastifyError);
  if (err.code === ErrorCodes.INTERNAL.code) request.log.error({ err: error }, 'request failed');
  for (const [k, v] of Object.entries(err.headers ?? {})) void reply.header(k, v);
  const body: ErrorBody = { error: { code: err.code, message: err.message, requestId: String(request.id) } };
  if (err.details) body.error.details = err.details;
  return reply.status(err.status).type('application/json').send(JSON.stringify(body));
}
