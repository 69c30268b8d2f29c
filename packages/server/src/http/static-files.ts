// Serves the built web client (packages/web/dist) with a single-page-app fallback to index.html.
// Paths are resolved inside the root only; hashed assets are cached, index.html never is.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ArgusError } from '../base/index.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

export async function serveStatic(
  root: string | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const urlPath = decodeURIComponent((request.url.split('?')[0] ?? '/').replace(/\+/g, ' '));
  if (urlPath.startsWith('/api/'))
    throw new ArgusError('NOT_FOUND', `No API route ${request.method} ${urlPath}`);
  if (!root) throw new ArgusError('NOT_FOUND', 'The web client is not built; run `npm run build`');
  let file = path.resolve(root, `.${urlPath}`);
  if (file !== root && !file.startsWith(root + path.sep)) throw new ArgusError('NOT_FOUND', 'Not found');
  let info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    if (path.extname(urlPath) !== '') throw new ArgusError('NOT_FOUND', `No file ${urlPath}`);
    file = path.join(root, 'index.html');
    info = await stat(file).catch(() => undefined);
    if (!info?.isFile())
      throw new ArgusError('NOT_FOUND', 'The web client is not built; run `npm run build`');
  }
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  return reply
    .header('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream')
    .header('content-length', info.size)
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .send(createReadStream(file));
}
