// One client connection of the RTSP server (RFC 2326 §10): requests handled in order, Digest
// authentication (RFC 7616), DESCRIBE with a generated SDP, SETUP transport negotiation (§12.39;
// TCP interleaved or UDP unicast), PLAY with RTP-Info, PAUSE, TEARDOWN, GET/SET_PARAMETER.
import type net from 'node:net';
import { MediaError } from '../media-error.js';
import { writeSdp } from '../sdp/index.js';
import type { DigestVerifier } from './rtsp-auth-server.js';
import { type RtspRequest, type RtspResponse, createResponse, serializeResponse } from './rtsp-message.js';
import { ServerSession, type ServerContext } from './rtsp-server-session.js';
import type { RtspServerMount, RtspServerOptions } from './rtsp-server-types.js';
import { RtspStreamParser } from './rtsp-stream-parser.js';
import { type RtspTransport, formatTransport, parseTransport } from './rtsp-transport-header.js';

export interface ServerCore extends ServerContext {
  options: RtspServerOptions;
  sessions: Map<string, ServerSession>;
  verifier: DigestVerifier | undefined;
  udpPorts: [number, number];
  sessionTimeoutSec: number;
  createSessionId(): string;
  removeSession(session: ServerSession): void;
  log(message: string): void;
}

const PUBLIC = 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER';

interface Target {
  origin: string;
  mountPath: string;
  trackIndex?: number;
  query: URLSearchParams;
}

function parseTarget(url: string): Target | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  let path = parsed.pathname.replace(/\/+$/, '');
  let trackIndex: number | undefined;
  const track = /^(.*)\/trackID=(\d{1,3})$/.exec(path);
  if (track) {
    path = track[1]!.replace(/\/+$/, '');
    trackIndex = Number(track[2]);
  }
  return {
    origin: `${parsed.protocol}//${parsed.host}`,
    mountPath: path || '/',
    trackIndex,
    query: parsed.searchParams,
  };
}

export class ServerConnection {
  lastActivityMs: number;
  readonly sessions = new Set<ServerSession>();
  private queue: Promise<void> = Promise.resolve();
  private described: { mountPath: string; mount: RtspServerMount } | undefined;
  private nextChannel = 0;
  private readonly parser: RtspStreamParser;

  constructor(
    private readonly core: ServerCore,
    readonly socket: net.Socket,
  ) {
    this.lastActivityMs = core.timers.nowMs();
    this.parser = new RtspStreamParser({
      onMessage: (message) => {
        if (message.kind === 'request') this.queue = this.queue.then(() => this.handle(message));
      },
      onInterleaved: () => this.touch(), // client RTCP receiver reports count as liveness
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        this.parser.push(chunk);
      } catch {
        socket.end(serializeResponse(createResponse(400, { CSeq: '0' })));
        socket.destroy();
      }
    });
  }

  private touch(): void {
    const now = this.core.timers.nowMs();
    this.lastActivityMs = now;
    for (const session of this.sessions) session.lastActivityMs = now;
  }

  private async handle(request: RtspRequest): Promise<void> {
    this.lastActivityMs = this.core.timers.nowMs();
    let response: RtspResponse;
    try {
      response = await this.dispatch(request);
    } catch (err) {
      this.core.log(`RTSP ${request.method} failed: ${err instanceof Error ? err.message : 'error'}`);
      response = createResponse(err instanceof MediaError ? 400 : 500);
    }
    response.headers.set('CSeq', request.headers.get('CSeq') ?? '0');
    response.headers.append('Server', 'Argus');
    if (!this.socket.destroyed) this.socket.write(serializeResponse(response));
  }

  private async dispatch(req: RtspRequest): Promise<RtspResponse> {
    if (req.version !== 'RTSP/1.0') return createResponse(505);
    if (req.method === 'OPTIONS') {
      // OPTIONS is a common keep-alive (FFmpeg, ours): it refreshes the session it names.
      const known = this.core.sessions.get(req.headers.get('Session')?.split(';')[0]?.trim() ?? '');
      if (known) known.lastActivityMs = this.core.timers.nowMs();
      return createResponse(200, { Public: PUBLIC });
    }
    const { verifier, stats } = this.core;
    if (verifier) {
      const authorization = req.headers.get('Authorization');
      const verdict = verifier.verify(req.method, authorization);
      if (!verdict.ok) {
        if (authorization !== undefined && !verdict.stale) stats.authFailures++;
        const headers: Array<[string, string]> = verifier
          .challenges(verdict.stale)
          .map((c) => ['WWW-Authenticate', c]);
        return createResponse(401, headers);
      }
    }
    const sessionId = req.headers.get('Session')?.split(';')[0]?.trim();
    const session = sessionId === undefined ? undefined : this.core.sessions.get(sessionId);
    if (sessionId !== undefined && !session) return createResponse(454);
    if (session) session.lastActivityMs = this.core.timers.nowMs();
    const target = parseTarget(req.url);
    switch (req.method) {
      case 'DESCRIBE':
        return target ? this.describe(target) : createResponse(400);
      case 'SETUP':
        return target ? this.setup(req, target, session) : createResponse(400);
      case 'PLAY':
      case 'PAUSE':
        if (!session) return createResponse(454);
        session.playing = req.method === 'PLAY';
        return createResponse(200, {
          Session: this.sessionHeader(session),
          ...(req.method === 'PLAY' ? { Range: 'npt=now-', 'RTP-Info': session.rtpInfo() } : {}),
        });
      case 'TEARDOWN':
        if (!session) return createResponse(454);
        this.core.removeSession(session);
        this.sessions.delete(session);
        return createResponse(200);
      case 'GET_PARAMETER':
      case 'SET_PARAMETER':
        return createResponse(200, session ? { Session: this.sessionHeader(session) } : {});
      default:
        return createResponse(501);
    }
  }

  private sessionHeader(session: ServerSession): string {
    return `${session.id};timeout=${this.core.sessionTimeoutSec}`;
  }

  private async findMount(target: Target): Promise<RtspServerMount | null> {
    if (this.described?.mountPath === target.mountPath) return this.described.mount;
    return this.core.options.resolveMount(target.mountPath, target.query);
  }

  private async describe(target: Target): Promise<RtspResponse> {
    const mount = await this.core.options.resolveMount(target.mountPath, target.query);
    if (!mount) return createResponse(404);
    this.described = { mountPath: target.mountPath, mount };
    const sdp = writeSdp({
      origin: `- ${Math.floor(this.core.timers.nowMs())} 1 IN IP4 ${this.socket.localAddress?.replace(/^::ffff:/, '') ?? '0.0.0.0'}`,
      sessionName: mount.sessionName ?? 'Argus',
      connectionAddress: '0.0.0.0',
      control: '*',
      range: 'npt=now-',
      tracks: mount.tracks.map((track, i) => ({ ...track, control: `trackID=${i}` })),
    });
    const base = `${target.origin}${target.mountPath === '/' ? '' : target.mountPath}/`;
    return createResponse(200, { 'Content-Base': base, 'Content-Type': 'application/sdp' }, Buffer.from(sdp));
  }

  private async setup(
    req: RtspRequest,
    target: Target,
    existing: ServerSession | undefined,
  ): Promise<RtspResponse> {
    const mount = existing?.mount ?? (await this.findMount(target));
    if (!mount) return createResponse(404);
    if (existing && existing.mountPath !== target.mountPath) return createResponse(459);
    const trackIndex = target.trackIndex ?? (mount.tracks.length === 1 ? 0 : -1);
    const track = mount.tracks[trackIndex];
    if (!track) return createResponse(404);
    const offer = parseTransport(req.headers.get('Transport') ?? '').find(
      (t) => !t.multicast && (t.lowerTransport === 'TCP' || t.clientPort !== undefined),
    );
    if (!offer) return createResponse(461);
    const session =
      existing ??
      new ServerSession(
        this.core,
        this.core.createSessionId(),
        mount,
        target.mountPath,
        `${target.origin}${target.mountPath === '/' ? '' : target.mountPath}/`,
        this.socket,
      );
    let reply: RtspTransport;
    const clientAddress = (this.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    if (offer.lowerTransport === 'TCP') {
      const channels = offer.interleaved ?? [this.nextChannel, this.nextChannel + 1];
      this.nextChannel = Math.max(this.nextChannel, channels[1] + 1);
      reply = { protocol: 'RTP/AVP/TCP', lowerTransport: 'TCP', multicast: false, interleaved: channels };
      session.addTrack({
        trackIndex,
        clockRate: track.clockRate,
        transport: 'tcp',
        rtpChannel: channels[0],
        rtcpChannel: channels[1],
        clientAddress,
        clientRtpPort: 0,
        clientRtcpPort: 0,
      });
    } else {
      const [rtpPort, rtcpPort] = offer.clientPort!;
      reply = {
        protocol: 'RTP/AVP',
        lowerTransport: 'UDP',
        multicast: false,
        clientPort: [rtpPort, rtcpPort],
        serverPort: this.core.udpPorts,
      };
      session.addTrack({
        trackIndex,
        clockRate: track.clockRate,
        transport: 'udp',
        rtpChannel: 0,
        rtcpChannel: 0,
        clientAddress,
        clientRtpPort: rtpPort,
        clientRtcpPort: rtcpPort,
      });
    }
    if (!existing) {
      this.core.sessions.set(session.id, session);
      this.core.stats.sessions = this.core.sessions.size;
    }
    this.sessions.add(session);
    return createResponse(200, { Session: this.sessionHeader(session), Transport: formatTransport(reply) });
  }

  /** Called when the socket closes: sessions streaming over this connection end with it. */
  onClosed(): void {
    for (const session of this.sessions) if (session.usesTcp) this.core.removeSession(session);
    this.sessions.clear();
  }
}
