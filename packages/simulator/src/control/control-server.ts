// The simulator's local control API: HTTP with JSON bodies on 127.0.0.1 only (it changes camera
// behaviour, so it never listens elsewhere). Routes are listed in packages/simulator/README.md;
// camera name "*" applies a POST/PUT/DELETE to every camera.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type net from 'node:net';
import { isMediaError } from '@argus/media';
import { readBody, requestUrl, sendJson } from '../http/http-util.js';
import { ERR_SIM_REQUEST, ERR_SIM_UNKNOWN_CAMERA } from '../simulator-errors.js';
import type { CameraControl } from './camera-control.js';
import type { FaultType } from '../camera/fault-model.js';
import type { MotionSchedule } from '../camera/motion-controller.js';

const CONTROL_BODY_LIMIT_BYTES = 64 * 1024;

class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function jsonObject(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new RequestError(400, ERR_SIM_REQUEST, 'body must be a JSON object');
}

function bool(o: Record<string, unknown>, key: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new RequestError(400, ERR_SIM_REQUEST, `${key} must be true or false`);
  return v;
}

export class ControlServer {
  private readonly server: http.Server;

  constructor(private readonly cameras: CameraControl[]) {
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (err instanceof RequestError)
          sendJson(res, err.status, { error: { code: err.code, message: err.message } });
        else if (isMediaError(err)) sendJson(res, 400, { error: { code: err.code, message: err.message } });
        else sendJson(res, 500, { error: { code: 'ARGUS_ERR_INTERNAL', message: 'internal error' } });
      });
    });
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as net.AddressInfo).port;
  }

  private select(name: string): CameraControl[] {
    if (name === '*') return this.cameras;
    const cam = this.cameras.find((c) => c.name === name);
    if (cam === undefined) throw new RequestError(404, ERR_SIM_UNKNOWN_CAMERA, `no camera named ${name}`);
    return [cam];
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    const parts = url.pathname
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const body = method === 'GET' ? Buffer.alloc(0) : await readBody(req, CONTROL_BODY_LIMIT_BYTES);
    if (parts[0] !== 'cameras') throw new RequestError(404, ERR_SIM_REQUEST, 'unknown route');
    if (parts.length === 1 && method === 'GET') {
      sendJson(
        res,
        200,
        this.cameras.map((c) => ({ info: c.info(), state: c.state() })),
      );
      return;
    }
    const cams = this.select(parts[1] ?? '');
    const action = parts[2];
    const one = (fn: (c: CameraControl) => unknown): unknown =>
      parts[1] === '*' ? cams.map(fn) : fn(cams[0]!);
    if (action === undefined && method === 'GET') {
      sendJson(
        res,
        200,
        one((c) => ({ info: c.info(), state: c.state() })),
      );
    } else if (action === 'motion' && method === 'POST') {
      const on = bool(jsonObject(body), 'on');
      sendJson(
        res,
        200,
        one((c) => ({ name: c.name, effectiveAtMs: c.setMotion(on) })),
      );
    } else if (action === 'motion-schedule' && method === 'PUT') {
      const text = body.toString('utf8').trim();
      const schedule = text === 'null' ? null : (jsonObject(body) as unknown as MotionSchedule);
      one((c) => c.setMotionSchedule(schedule));
      sendJson(res, 200, { ok: true });
    } else if (action === 'motion-windows' && method === 'GET') {
      sendJson(
        res,
        200,
        one((c) => c.motionWindows()),
      );
    } else if (action === 'inputs' && method === 'POST' && parts[3] !== undefined) {
      const active = bool(jsonObject(body), 'active');
      one((c) => c.setInput(Number(parts[3]), active));
      sendJson(res, 200, { ok: true });
    } else if (action === 'faults' && method === 'POST') {
      const spec = jsonObject(body);
      sendJson(
        res,
        200,
        one((c) => c.fault(spec)),
      );
    } else if (action === 'faults' && method === 'DELETE') {
      const type = url.searchParams.get('type') ?? undefined;
      one((c) => c.clearFaults(type as FaultType | undefined));
      sendJson(res, 200, { ok: true });
    } else if (action === 'events' && method === 'GET') {
      const after = Number(url.searchParams.get('after') ?? '0');
      sendJson(
        res,
        200,
        one((c) => c.events(Number.isInteger(after) ? after : 0)),
      );
    } else {
      throw new RequestError(404, ERR_SIM_REQUEST, 'unknown route');
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
