// The plain-HTTP port (55752 in the manual): an unauthenticated /healthz that says only "ok", and
// a permanent redirect to HTTPS for everything else.
import { createServer, type Server } from 'node:http';

export function createRedirectServer(httpsPort: number): Server {
  return createServer((req, res) => {
    const urlPath = req.url ?? '/';
    if (urlPath === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : '{"status":"ok"}');
      return;
    }
    const hostHeader = req.headers.host ?? 'localhost';
    const host = hostHeader.startsWith('[')
      ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
      : hostHeader.split(':')[0];
    res.writeHead(308, {
      location: `https://${host}:${httpsPort}${urlPath.startsWith('/') ? urlPath : '/'}`,
      'content-length': '0',
    });
    res.end();
  });
}
