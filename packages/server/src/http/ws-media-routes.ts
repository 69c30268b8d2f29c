// The live and playback WebSockets (frames: @argus/api media-stream-protocol.ts). Before the
// upgrade: the Origin must be this server's own (cookies ride along on cross-site WebSocket
// requests and no CSRF header can be set), then the session or token and the route's declared
// privilege are checked; a refused upgrade is an ordinary HTTP error. After it, problems are
// `error` frames with stable codes, and the session is rechecked every minute.
import {
  Routes,
  StreamCloseCodes,
  StreamErrorCodes,
  type StreamClientMessage,
  type StreamServerMessage,
} from '@argus/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ArgusError } from '../base/index.js';
import type { LiveViewerHandle } from '../live/index.js';
import { PLAYBACK_SPEEDS, type PlaybackSession } from '../playback/index.js';
import { parseInstant, recordedStream } from './handlers-media.js';
import { checkWebSocketOrigin, enforcePrivilege } from './privilege-gate.js';
import type { ServerContext } from './server-context.js';
import { wsTransport, type MediaSocket } from './ws-transport.js';

const RECHECK_SESSION_MS = 60_000;

type Spec = (typeof Routes)['liveSocket'] | (typeof Routes)['playbackSocket'];

export function registerMediaSockets(app: FastifyInstance, ctx: ServerContext): void {
  const specs: Spec[] = [Routes.liveSocket, Routes.playbackSocket];
  for (const spec of specs) {
    app.route({
      method: 'GET',
      url: spec.path,
      schema: { params: spec.params },
      config: { privilege: spec.privilege },
      preValidation: async (request) => {
        checkWebSocketOrigin(request);
        await enforcePrivilege(ctx, request, spec.privilege);
      },
      handler: async () => {
        throw new ArgusError('UPGRADE_REQUIRED', 'Open this address as a WebSocket');
      },
      wsHandler: (socket: unknown, request: FastifyRequest) => {
        const s = socket as MediaSocket;
        const conn = new SocketConnection(ctx, s, request, spec);
        if (spec.id === 'liveSocket') void conn.live();
        else void conn.playback();
      },
    });
  }
}

class SocketConnection {
  private closed = false;
  private readonly transport;
  private recheck: NodeJS.Timeout | undefined;
  private readonly cleanups: Array<() => void> = [];

  constructor(
    private readonly ctx: ServerContext,
    private readonly socket: MediaSocket,
    private readonly request: FastifyRequest,
    private readonly spec: Spec,
  ) {
    this.transport = wsTransport(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      clearInterval(this.recheck);
      for (const c of this.cleanups) c();
    });
    this.recheck = setInterval(() => void this.recheckSession(), RECHECK_SESSION_MS);
    this.recheck.unref();
  }

  private get params(): { id: number; query: Record<string, string | undefined> } {
    return {
      id: Number((this.request.params as { id?: string }).id),
      query: (this.request.query ?? {}) as Record<string, string | undefined>,
    };
  }

  async live(): Promise<void> {
    const { id, query } = this.params;
    const kind = query['stream'] ?? 'main';
    if (kind !== 'main' && kind !== 'sub')
      return this.fail(StreamErrorCodes.VALIDATION, 'stream must be "main" or "sub"');
    try {
      const view = await this.ctx.cameras.get(id);
      const status = await this.ctx.cameras.status(id);
      if (status === 'disabled')
        return this.fail(StreamErrorCodes.CAMERA_DISABLED, `Camera "${view.camera.name}" is disabled`);
      if (kind === 'sub' && status.streams.sub === null)
        return this.fail(
          StreamErrorCodes.STREAM_NOT_CONFIGURED,
          `Camera "${view.camera.name}" has no sub stream; use the main stream`,
        );
      if (this.closed) return;
      const handle: LiveViewerHandle | null = this.ctx.media.live.attach(id, kind, this.transport);
      if (handle !== null) this.cleanups.push(() => handle.detach());
      this.socket.on('message', () => undefined);
    } catch (err) {
      this.failFrom(err);
    }
  }

  async playback(): Promise<void> {
    const { id, query } = this.params;
    let startMs: number;
    try {
      startMs = parseInstant('start', query['start']);
    } catch {
      return this.fail(StreamErrorCodes.VALIDATION, 'start must be an ISO 8601 date-time or Unix ms');
    }
    const speed = query['speed'] === undefined ? 1 : Number(query['speed']);
    if (!isSpeed(speed))
      return this.fail(StreamErrorCodes.VALIDATION, `speed must be one of ${PLAYBACK_SPEEDS.join(', ')}`);
    try {
      const view = await this.ctx.cameras.get(id);
      const stream = await recordedStream(this.ctx, view, query['stream']);
      if (this.closed) return;
      if (stream === undefined)
        return this.fail(
          StreamErrorCodes.NO_RECORDINGS,
          `Nothing is recorded for camera "${view.camera.name}"`,
        );
      const session = this.ctx.media.playback.session({
        streamId: stream.id,
        stream: stream.kind,
        startMs,
        speed,
        transport: this.transport,
      });
      this.cleanups.push(() => void session.close());
      this.socket.on('message', (data, isBinary) => this.onControl(session, data, isBinary));
    } catch (err) {
      this.failFrom(err);
    }
  }

  private onControl(
    session: PlaybackSession,
    data: Buffer | ArrayBuffer | Buffer[],
    isBinary: boolean,
  ): void {
    let message: StreamClientMessage;
    try {
      if (isBinary) throw new Error('binary');
      message = JSON.parse(
        Buffer.isBuffer(data) ? data.toString('utf8') : String(data),
      ) as StreamClientMessage;
    } catch {
      return this.fail(StreamErrorCodes.VALIDATION, 'Control messages are JSON text frames');
    }
    switch (message.type) {
      case 'speed':
        if (!isSpeed(message.speed))
          return this.fail(StreamErrorCodes.VALIDATION, `speed must be one of ${PLAYBACK_SPEEDS.join(', ')}`);
        return session.setSpeed(message.speed);
      case 'pause':
        return session.pause();
      case 'resume':
        return session.resume();
      case 'seek': {
        let startMs: number;
        try {
          startMs = parseInstant('start', message.start);
        } catch {
          return this.fail(
            StreamErrorCodes.VALIDATION,
            'seek start must be an ISO 8601 date-time or Unix ms',
          );
        }
        return session.seek(startMs);
      }
      default:
        return this.fail(StreamErrorCodes.VALIDATION, 'Unknown control message');
    }
  }

  private async recheckSession(): Promise<void> {
    if (this.closed) return;
    try {
      await enforcePrivilege(this.ctx, this.request, this.spec.privilege);
    } catch (err) {
      this.failFrom(err);
    }
  }

  private send(message: StreamServerMessage): void {
    this.transport.sendText(JSON.stringify(message));
  }

  private fail(code: string, message: string): void {
    if (this.closed) return;
    this.send({ type: 'error', code, message });
    this.transport.close(
      code === StreamErrorCodes.INTERNAL ? StreamCloseCodes.error : StreamCloseCodes.policy,
      code,
    );
  }

  private failFrom(err: unknown): void {
    if (err instanceof ArgusError) return this.fail(err.code, err.message);
    this.request.log.error({ err }, 'media socket failed');
    this.fail(StreamErrorCodes.INTERNAL, 'Internal server error');
  }
}

const isSpeed = (speed: unknown): speed is number =>
  typeof speed === 'number' && (PLAYBACK_SPEEDS as readonly number[]).includes(speed);
