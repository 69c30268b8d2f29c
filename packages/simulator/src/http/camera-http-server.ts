// The HTTP side of one camera: Axis-style VAPIX endpoints (Digest-protected) and ONVIF SOAP
// services. It never listens publicly itself: the camera's FrontDoor hands it sockets, and a
// private loopback listener exists only for the relay used by the drip fault.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type net from 'node:net';
import { basicDeviceInfo } from '../axis/basic-device-info.js';
import { EventEndpoints } from '../axis/event-endpoints.js';
import { ioPortCgi } from '../axis/io-port-cgi.js';
import { paramCgi } from '../axis/param-cgi.js';
import type { CameraDevice, StreamName } from '../camera/camera-device.js';
import { STREAM_SIZE } from '../camera/camera-device.js';
import { OnvifRouter } from '../onvif/onvif-router.js';
import { readBody, requestUrl, send, sendJson, sendText } from './http-util.js';

export class CameraHttpServer {
  readonly server: http.Server;
  readonly onvif: OnvifRouter;
  readonly events: EventEndpoints;
  private privatePort: number | undefined;

  constructor(private readonly device: CameraDevice) {
    this.onvif = new OnvifRouter(device);
    this.events = new EventEndpoints(device.events, device.clock);
    this.server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      this.route(req, res).catch(() => {
        if (!res.headersSent) sendText(res, 500, 'internal error\n');
        else res.destroy();
      });
    });
  }

  /** Serves a socket accepted by the front door. */
  handoff(socket: net.Socket): void {
    this.server.emit('connection', socket);
  }

  /** Starts the private loopback listener (for relayed connections). */
  async listenPrivate(): Promise<number> {
    if (this.privatePort !== undefined) return this.privatePort;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: '127.0.0.1', port: 0 }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.privatePort = (this.server.address() as net.AddressInfo).port;
    return this.privatePort;
  }

  get backend(): { host: string; port: number } | undefined {
    return this.privatePort === undefined ? undefined : { host: '127.0.0.1', port: this.privatePort };
  }

  private authorized(req: IncomingMessage, res: ServerResponse): boolean {
    const verdict = this.device.auth.verifyHttpDigest(req.method ?? 'GET', req.headers.authorization);
    if (verdict.ok) return true;
    send(res, 401, 'text/plain; charset=utf-8', 'Unauthorized\n', {
      'WWW-Authenticate': this.device.auth.challenges(verdict.stale),
    });
    return false;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    const path = url.pathname;
    if (path.startsWith('/onvif/')) {
      if (req.method !== 'POST') {
        sendText(res, 405, 'ONVIF services take SOAP over POST\n');
        return;
      }
      const body = await readBody(req);
      await this.onvif.handle(req, res, path, body.toString('utf8'));
      return;
    }
    if (!path.startsWith('/axis-cgi/')) {
      sendText(res, 404, 'Not found\n');
      return;
    }
    const body = req.method === 'POST' ? (await readBody(req)).toString('utf8') : '';
    if (!this.authorized(req, res)) return;
    const query = url.searchParams;
    if (
      req.method === 'POST' &&
      (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
    ) {
      for (const [k, v] of new URLSearchParams(body)) query.append(k, v);
    }
    switch (path) {
      case '/axis-cgi/basicdeviceinfo.cgi': {
        const [status, json] = basicDeviceInfo(this.device.identity, body);
        sendJson(res, status, json);
        return;
      }
      case '/axis-cgi/param.cgi':
        sendText(res, 200, paramCgi(this.device.params, query));
        return;
      case '/axis-cgi/io/port.cgi': {
        const [status, text] = ioPortCgi(this.device.io, query);
        sendText(res, status, text);
        return;
      }
      case '/axis-cgi/jpg/image.cgi':
        await this.image(res, query);
        return;
      case '/axis-cgi/events/stream.cgi':
        this.events.stream(req, res, query);
        return;
      case '/axis-cgi/events/poll.cgi':
        this.events.poll(res, query);
        return;
      default:
        sendText(res, 404, 'Not found\n');
    }
  }

  private async image(res: ServerResponse, query: URLSearchParams): Promise<void> {
    const resolution = query.get('resolution') ?? '1920x1080';
    const stream = (Object.keys(STREAM_SIZE) as StreamName[]).find(
      (s) => `${STREAM_SIZE[s].width}x${STREAM_SIZE[s].height}` === resolution,
    );
    if (stream === undefined) {
      sendText(res, 400, `# Error: unsupported resolution ${resolution}\n`);
      return;
    }
    try {
      const jpeg = await this.device.snapshot(stream);
      send(res, 200, 'image/jpeg', jpeg, { 'Cache-Control': 'no-store' });
    } catch {
      sendText(res, 503, 'snapshot unavailable\n');
    }
  }

  /** Ends open event streams, pending polls and ONVIF subscriptions (reboot, close). */
  endSessions(): void {
    this.events.closeAll();
    this.onvif.close();
  }

  async close(): Promise<void> {
    this.endSessions();
    this.server.closeAllConnections();
    if (this.privatePort === undefined) return;
    this.privatePort = undefined;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
