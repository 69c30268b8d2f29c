// RTSP client (RFC 2326 §10, RFC 7826 §13 where cameras use it): OPTIONS, DESCRIBE with 3xx
// redirects, SETUP per track over TCP interleaved or UDP unicast, PLAY, keep-alive inside the
// session timeout (§12.37), RTCP receiver reports, TEARDOWN. Delivers raw RTP/RTCP packets.
import { EventEmitter } from 'node:events';
import { MediaError } from '../media-error.js';
import { parseSdp, type SdpSession, type SdpTrack } from '../sdp/index.js';
import { RtspAuthenticator, type RtspCredentials } from './rtsp-auth.js';
import { RtspClientConnection } from './rtsp-client-connection.js';
import { RtspClientRoutes } from './rtsp-client-routes.js';
import { type UdpPortPair, bindUdpPortPair } from './rtsp-client-transport-udp.js';
import type {
  RtspClientEvents,
  RtspClientOptions,
  RtspClientStats,
  RtspPacket,
  RtspPlayResult,
  RtspSetupTrack,
} from './rtsp-client-types.js';
import { type RtspTimers, rtspTimers } from './rtsp-clock.js';
import { ERR_RTSP_ABORTED, ERR_RTSP_AUTH, ERR_RTSP_PROTOCOL, ERR_RTSP_TIMEOUT } from './rtsp-errors.js';
import type { RtspHeaderInit } from './rtsp-headers.js';
import type { RtspResponse } from './rtsp-message.js';
import { RtspStatusError } from './rtsp-status-error.js';
import {
  formatTransport,
  parseRtpInfo,
  parseSessionHeader,
  parseTransport,
} from './rtsp-transport-header.js';
import { describeBaseUrl, parseRtspUrl, redactUrl, resolveControlUrl } from './rtsp-url.js';

export class RtspClient extends EventEmitter<RtspClientEvents> {
  readonly stats: RtspClientStats = {
    packetsReceived: 0,
    bytesReceived: 0,
    keepAlivesSent: 0,
    keepAliveReplies: 0,
    receiverReportsSent: 0,
    redirects: 0,
    packetsRejected: 0,
  };
  private readonly timers: RtspTimers;
  private readonly timeoutMs: number;
  private url: string;
  private credentials: RtspCredentials | undefined;
  private conn: RtspClientConnection | undefined;
  private auth: RtspAuthenticator;
  private publicMethods: string[] = [];
  private baseUrl = '';
  private session: SdpSession | undefined;
  private sessionId: string | undefined;
  private readonly routes = new RtspClientRoutes(
    (trackIndex, channel, data) => this.deliver(trackIndex, channel, data),
    (err) => this.fail(err),
    this.stats,
  );
  private timerHandles: unknown[] = [];
  private lastPacketAtMs = 0;
  private readonly transientPacket: RtspPacket = {
    trackIndex: 0,
    channel: 'rtp',
    data: new Uint8Array(0),
    receivedAtMs: 0,
  };
  private finished = false;
  /** Set by close(): the server closing the connection after TEARDOWN is not an error. */
  private closing = false;
  private readonly onAbort = (): void => {
    this.fail(new MediaError(ERR_RTSP_ABORTED, 'RTSP session aborted'));
  };

  constructor(private readonly options: RtspClientOptions) {
    super();
    const parsed = parseRtspUrl(options.url);
    this.url = parsed.url;
    this.credentials =
      options.user !== undefined
        ? { user: options.user, password: options.password ?? '' }
        : parsed.credentials;
    this.auth = new RtspAuthenticator(this.credentials);
    this.timers = rtspTimers(options.clock);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Tracks of the DESCRIBE reply, in SDP order (empty before describe()). */
  get tracks(): SdpTrack[] {
    return this.session?.tracks ?? [];
  }

  get sdp(): SdpSession | undefined {
    return this.session;
  }

  /** The URL in use (after redirects), without credentials. */
  get currentUrl(): string {
    return this.url;
  }

  private log(message: string): void {
    this.options.log?.(redactUrl(message));
  }

  private checkAlive(): void {
    if (this.options.signal?.aborted) throw new MediaError(ERR_RTSP_ABORTED, 'RTSP session aborted');
    if (this.finished) throw new MediaError(ERR_RTSP_ABORTED, 'RTSP client is closed');
  }

  /** Connects (following redirects), sends OPTIONS and DESCRIBE, and parses the SDP. */
  async describe(): Promise<SdpSession> {
    try {
      return await this.describeInner();
    } catch (err) {
      throw this.fail(err);
    }
  }

  private async describeInner(): Promise<SdpSession> {
    const maxRedirects = this.options.maxRedirects ?? 3;
    for (;;) {
      this.checkAlive();
      const target = parseRtspUrl(this.url);
      this.conn?.close();
      const conn = await RtspClientConnection.connect({
        host: target.host,
        port: target.port,
        timers: this.timers,
        connectTimeoutMs: this.timeoutMs,
        userAgent: this.options.userAgent ?? 'Argus',
        onInterleaved: (channel, data) => this.routes.onInterleaved(channel, data),
        transientFrames: this.options.transientPackets,
        signal: this.options.signal,
        onClose: (err) => {
          if (conn === this.conn && err && !this.closing) this.fail(err);
        },
      });
      this.conn = conn;
      this.checkAlive();
      const options = await this.send('OPTIONS', this.url, {}, true);
      let reply = options;
      if (options.statusCode < 300 || options.statusCode >= 400) {
        if (options.statusCode < 300) {
          this.publicMethods = (options.headers.get('Public') ?? '')
            .split(',')
            .map((m) => m.trim().toUpperCase());
        }
        reply = await this.send('DESCRIBE', this.url, { Accept: 'application/sdp' }, true);
      }
      if (reply.statusCode >= 300 && reply.statusCode < 400) {
        const location = reply.headers.get('Location');
        if (!location || ++this.stats.redirects > maxRedirects) {
          throw new RtspStatusError(
            reply.statusCode,
            `RTSP redirect ${location ? 'limit exceeded' : 'without Location'}`,
          );
        }
        const next = parseRtspUrl(new URL(location, this.url).href);
        this.log(`RTSP redirect ${reply.statusCode} to ${next.url}`);
        this.url = next.url;
        if (next.credentials && this.options.user === undefined) this.credentials = next.credentials;
        this.auth = new RtspAuthenticator(this.credentials);
        continue;
      }
      this.expectOk('DESCRIBE', reply);
      const contentType = reply.headers.get('Content-Type') ?? 'application/sdp';
      if (!/application\/sdp/i.test(contentType)) {
        throw new MediaError(ERR_RTSP_PROTOCOL, `DESCRIBE returned ${contentType.slice(0, 60)}, not SDP`);
      }
      this.baseUrl = describeBaseUrl(this.url, reply.headers);
      this.session = parseSdp(reply.body);
      return this.session;
    }
  }

  /** Sends a request, answering 401 challenges (one retry, again on a stale nonce). */
  private async send(
    method: string,
    url: string,
    headers: Record<string, string>,
    allowRedirect = false,
  ): Promise<RtspResponse> {
    for (let attempt = 0; attempt < 3; attempt++) {
      this.checkAlive();
      const conn = this.conn;
      if (!conn) throw new MediaError(ERR_RTSP_PROTOCOL, 'RTSP client is not connected');
      const all: Array<[string, string]> = Object.entries(headers);
      const authorization = this.auth.authorize(method, url);
      if (authorization !== undefined) all.push(['Authorization', authorization]);
      if (this.sessionId !== undefined) all.push(['Session', this.sessionId]); // refreshes it (§12.37)
      const response = await conn.request(method, url, all as RtspHeaderInit, this.timeoutMs);
      if (response.statusCode !== 401) {
        if (!allowRedirect && response.statusCode >= 300 && response.statusCode < 400)
          this.expectOk(method, response);
        return response;
      }
      if (!this.auth.onUnauthorized(response.headers.getAll('WWW-Authenticate'), authorization !== undefined))
        break;
    }
    throw new MediaError(
      ERR_RTSP_AUTH,
      `RTSP ${method} was refused: wrong credentials for ${redactUrl(url)}`,
    );
  }

  private expectOk(method: string, response: RtspResponse): void {
    if (response.statusCode >= 200 && response.statusCode < 300) return;
    throw new RtspStatusError(
      response.statusCode,
      `RTSP ${method} failed: ${response.statusCode} ${response.reason.slice(0, 80)}`,
    );
  }

  /**
   * SETUP for each selected track (all by default) and PLAY; calls describe() first if needed.
   * Packets flow from here until close() or an error ('close' event).
   */
  async play(selection?: { trackIndices?: number[] }): Promise<RtspPlayResult> {
    try {
      if (!this.session) await this.describeInner();
      return await this.playInner(selection?.trackIndices);
    } catch (err) {
      throw this.fail(err);
    }
  }

  private async playInner(trackIndices: number[] | undefined): Promise<RtspPlayResult> {
    if (this.sessionId !== undefined)
      throw new MediaError(ERR_RTSP_PROTOCOL, 'RTSP session is already set up');
    const tracks = this.tracks;
    const indices = trackIndices ?? tracks.map((_, i) => i);
    if (indices.length === 0 || indices.some((i) => !tracks[i])) {
      throw new MediaError(ERR_RTSP_PROTOCOL, 'no such track to SETUP');
    }
    const udp = this.options.transport === 'udp';
    const setups: RtspSetupTrack[] = [];
    let timeoutSec = 60;
    for (const trackIndex of indices) {
      const url = resolveControlUrl(this.baseUrl, tracks[trackIndex]!.control);
      let pair: UdpPortPair | undefined;
      let transportHeader: string;
      if (udp) {
        pair = await bindUdpPortPair(this.options.udpBindAddress ?? this.conn!.localAddress);
        this.routes.holdPair(pair);
        transportHeader = formatTransport({
          protocol: 'RTP/AVP',
          lowerTransport: 'UDP',
          multicast: false,
          clientPort: [pair.rtpPort, pair.rtcpPort],
        });
      } else {
        const channel = trackIndex * 2;
        transportHeader = `RTP/AVP/TCP;unicast;interleaved=${channel}-${channel + 1}`;
      }
      const reply = await this.send('SETUP', url, { Transport: transportHeader });
      this.expectOk('SETUP', reply);
      const sessionText = reply.headers.get('Session');
      if (sessionText === undefined) throw new MediaError(ERR_RTSP_PROTOCOL, 'SETUP reply without Session');
      const session = parseSessionHeader(sessionText);
      this.sessionId ??= session.id;
      timeoutSec = session.timeoutSec ?? timeoutSec;
      const transport = parseTransport(reply.headers.get('Transport') ?? '')[0];
      if (!transport) throw new MediaError(ERR_RTSP_PROTOCOL, 'SETUP reply without a usable Transport');
      setups.push({ trackIndex, url, transport });
      const peer = this.conn!.remoteAddress.replace(/^::ffff:/, '');
      if (pair) this.routes.addUdp(trackIndex, pair, peer, transport.source, transport.serverPort?.[1]);
      else {
        const channels = transport.interleaved ?? [trackIndex * 2, trackIndex * 2 + 1];
        this.routes.addTcp(trackIndex, channels, (frame) => this.conn?.writeFrame(frame));
      }
    }
    const playUrl = resolveControlUrl(this.baseUrl, this.session?.control);
    const reply = await this.send('PLAY', playUrl, { Range: 'npt=0.000-' });
    this.expectOk('PLAY', reply);
    const rtpInfo = parseRtpInfo(reply.headers.get('RTP-Info') ?? '').map((entry) => {
      const match = setups.find(
        (s) => s.url === entry.url || s.url === resolveControlUrl(this.baseUrl, entry.url),
      );
      return match ? { ...entry, trackIndex: match.trackIndex } : entry;
    });
    const keepAliveMethod = this.publicMethods.includes('GET_PARAMETER') ? 'GET_PARAMETER' : 'OPTIONS';
    this.startTimers(playUrl, keepAliveMethod, timeoutSec);
    this.log(`RTSP playing ${this.url} (${setups.length} tracks, ${udp ? 'udp' : 'tcp'})`);
    return {
      sessionId: this.sessionId!,
      sessionTimeoutSec: timeoutSec,
      tracks: setups,
      rtpInfo,
      keepAliveMethod,
    };
  }

  private deliver(trackIndex: number, channel: 'rtp' | 'rtcp', data: Uint8Array): void {
    if (this.finished) return;
    const receivedAtMs = this.timers.nowMs();
    this.lastPacketAtMs = receivedAtMs;
    this.stats.packetsReceived++;
    this.stats.bytesReceived += data.length;
    let packet: RtspPacket;
    if (this.options.transientPackets) {
      // Transient packets: the object is reused as well (its data dies with the handlers anyway).
      packet = this.transientPacket;
      packet.trackIndex = trackIndex;
      packet.channel = channel;
      packet.data = data;
      packet.receivedAtMs = receivedAtMs;
    } else {
      packet = { trackIndex, channel, data, receivedAtMs };
    }
    this.options.onPacket?.(packet);
    this.emit('packet', packet);
  }

  private every(periodMs: number, task: () => void): void {
    const slot = this.timerHandles.length;
    const tick = (): void => {
      if (this.finished) return;
      task();
      this.timerHandles[slot] = this.timers.set(tick, periodMs);
    };
    this.timerHandles[slot] = this.timers.set(tick, periodMs);
  }

  private startTimers(url: string, method: 'GET_PARAMETER' | 'OPTIONS', timeoutSec: number): void {
    let keepAliveMethod: string = method;
    const keepAliveMs = this.options.keepAliveIntervalMs ?? Math.max(1000, (timeoutSec * 1000) / 2);
    this.every(keepAliveMs, () => {
      this.stats.keepAlivesSent++;
      this.send(keepAliveMethod, url, {}).then(
        (reply) => {
          if (reply.statusCode >= 200 && reply.statusCode < 300) this.stats.keepAliveReplies++;
          else if (reply.statusCode === 454)
            this.fail(new RtspStatusError(454, 'RTSP session expired on the server'));
          else keepAliveMethod = 'OPTIONS'; // GET_PARAMETER refused: fall back (RFC 2326 §10.8)
        },
        (err: unknown) => this.fail(err),
      );
    });
    const dataTimeoutMs = this.options.dataTimeoutMs ?? 20_000;
    if (dataTimeoutMs > 0) {
      this.lastPacketAtMs = this.timers.nowMs();
      this.every(Math.max(50, dataTimeoutMs / 4), () => {
        if (this.timers.nowMs() - this.lastPacketAtMs > dataTimeoutMs) {
          this.fail(new MediaError(ERR_RTSP_TIMEOUT, `no RTP data for ${dataTimeoutMs} ms`));
        }
      });
    }
    const rtcpIntervalMs = this.options.rtcpIntervalMs ?? 5000;
    if (rtcpIntervalMs > 0)
      this.every(rtcpIntervalMs, () => {
        this.stats.receiverReportsSent += this.routes.sendReceiverReports(this.options.receiverReportBlocks);
      });
  }

  /** Ends the session: TEARDOWN (bounded by the step timeout), then closes sockets. Idempotent. */
  async close(): Promise<void> {
    if (this.finished) return;
    this.closing = true;
    const conn = this.conn;
    if (conn && !conn.isClosed && this.sessionId !== undefined) {
      const url = resolveControlUrl(this.baseUrl, this.session?.control);
      this.stopTimers();
      try {
        await this.send('TEARDOWN', url, {});
      } catch {
        // best effort: the server expires the session anyway
      }
    }
    this.finish(undefined);
  }

  private stopTimers(): void {
    for (const handle of this.timerHandles) this.timers.clear(handle);
    this.timerHandles = [];
  }

  private finish(err: MediaError | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.stopTimers();
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.routes.close();
    this.conn?.close(err);
    if (err && this.listenerCount('error') > 0) this.emit('error', err);
    this.emit('close', err);
  }

  /** Ends the session with an error (once) and returns it as a MediaError for rethrowing. */
  private fail(err: unknown): MediaError {
    const error =
      err instanceof MediaError
        ? err
        : new MediaError(ERR_RTSP_PROTOCOL, 'RTSP client failed', { cause: err });
    if (!this.finished) this.log(`RTSP session ended: ${error.code} ${error.message}`);
    this.finish(error);
    return error;
  }
}
