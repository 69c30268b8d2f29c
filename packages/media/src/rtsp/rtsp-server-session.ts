// One RTSP server session (RFC 2326 §3.8, §12.37): the tracks a client set up, forwarding of mount
// packets over TCP interleaved (§10.12, one write per frame, dropped when the client is too slow)
// or UDP, RTP-Info for PLAY (§12.33) and RTCP sender reports (RFC 3550 §6.4.1).
import type dgram from 'node:dgram';
import type net from 'node:net';
import { buildRtcpCompound, buildSdes, buildSenderReport } from '../rtp/index.js';
import type { RtspTimers } from './rtsp-clock.js';
import { buildInterleavedFrame } from './rtsp-message.js';
import type { RtspServerMount, RtspServerStats } from './rtsp-server-types.js';

export interface ServerContext {
  timers: RtspTimers;
  stats: RtspServerStats;
  maxSocketBufferBytes: number;
  udpRtp: dgram.Socket;
  udpRtcp: dgram.Socket;
}

export interface SessionTrack {
  trackIndex: number;
  clockRate: number;
  transport: 'tcp' | 'udp';
  rtpChannel: number;
  rtcpChannel: number;
  clientAddress: string;
  clientRtpPort: number;
  clientRtcpPort: number;
  seen: boolean;
  lastSeq: number;
  lastTimestamp: number;
  ssrc: number;
  refWallMs: number;
  refRtp: number;
  packetCount: number;
  octetCount: number;
  srSent: boolean;
}

export class ServerSession {
  readonly tracks: Array<SessionTrack | undefined> = [];
  playing = false;
  lastActivityMs: number;
  dropped = 0;
  private unsubscribe: (() => void) | undefined;
  private corked = false;
  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  constructor(
    private readonly ctx: ServerContext,
    readonly id: string,
    readonly mount: RtspServerMount,
    readonly mountPath: string,
    /** Aggregate control URL of the mount, ending in '/'. */
    readonly baseUrl: string,
    readonly socket: net.Socket,
  ) {
    this.lastActivityMs = ctx.timers.nowMs();
  }

  get usesTcp(): boolean {
    return this.tracks.some((t) => t?.transport === 'tcp');
  }

  addTrack(
    track: Omit<
      SessionTrack,
      | 'seen'
      | 'lastSeq'
      | 'lastTimestamp'
      | 'ssrc'
      | 'refWallMs'
      | 'refRtp'
      | 'packetCount'
      | 'octetCount'
      | 'srSent'
    >,
  ): void {
    this.tracks[track.trackIndex] = {
      ...track,
      seen: false,
      lastSeq: 0,
      lastTimestamp: 0,
      ssrc: 0,
      refWallMs: 0,
      refRtp: 0,
      packetCount: 0,
      octetCount: 0,
      srSent: false,
    };
    // Subscribe at the first SETUP so PLAY can report RTP-Info from packets already seen.
    this.unsubscribe ??= this.mount.subscribe(this.onPacket);
  }

  /** Hot path: called by the mount for every packet of every track. */
  private readonly onPacket = (trackIndex: number, pkt: Uint8Array): void => {
    const t = this.tracks[trackIndex];
    if (t === undefined || pkt.length < 12) return;
    t.lastSeq = (pkt[2]! << 8) | pkt[3]!;
    t.lastTimestamp = ((pkt[4]! << 24) | (pkt[5]! << 16) | (pkt[6]! << 8) | pkt[7]!) >>> 0;
    t.ssrc = ((pkt[8]! << 24) | (pkt[9]! << 16) | (pkt[10]! << 8) | pkt[11]!) >>> 0;
    if (!t.seen) {
      t.seen = true;
      t.refWallMs = this.ctx.timers.nowMs();
      t.refRtp = t.lastTimestamp;
    }
    if (!this.playing || this.mount.stalled) return;
    const stats = this.ctx.stats;
    if (t.transport === 'tcp') {
      if (this.socket.writableLength > this.ctx.maxSocketBufferBytes || this.socket.destroyed) {
        this.dropped++;
        stats.packetsDropped++;
        return;
      }
      if (!this.corked) {
        // Packets of one frame arrive in a burst: batch them into one writev per tick.
        this.corked = true;
        this.socket.cork();
        process.nextTick(this.uncork);
      }
      this.socket.write(buildInterleavedFrame(t.rtpChannel, pkt));
    } else {
      this.ctx.udpRtp.send(pkt, t.clientRtpPort, t.clientAddress);
    }
    t.packetCount++;
    t.octetCount += pkt.length - 12;
    stats.packetsSent++;
    stats.bytesSent += pkt.length;
    if (!t.srSent) this.sendSenderReport(t, this.ctx.timers.nowMs());
  };

  /** RTP-Info value for the PLAY reply: next sequence number and last timestamp per track. */
  rtpInfo(): string {
    const entries: string[] = [];
    for (const t of this.tracks) {
      if (!t) continue;
      let entry = `url=${this.baseUrl}trackID=${t.trackIndex}`;
      if (t.seen) entry += `;seq=${(t.lastSeq + 1) & 0xffff};rtptime=${t.lastTimestamp}`;
      entries.push(entry);
    }
    return entries.join(',');
  }

  sendSenderReports(nowMs: number): void {
    if (!this.playing) return;
    for (const t of this.tracks) if (t && t.packetCount > 0) this.sendSenderReport(t, nowMs);
  }

  private sendSenderReport(t: SessionTrack, nowMs: number): void {
    const ref = this.mount.clockReference?.(t.trackIndex) ?? { wallMs: t.refWallMs, rtpTimestamp: t.refRtp };
    const rtpTimestamp = (ref.rtpTimestamp + Math.round(((nowMs - ref.wallMs) * t.clockRate) / 1000)) >>> 0;
    const sr = buildSenderReport({
      ssrc: t.ssrc,
      ntpTimeMs: nowMs,
      rtpTimestamp,
      packetCount: t.packetCount,
      octetCount: t.octetCount,
    });
    const compound = buildRtcpCompound([sr, buildSdes({ ssrc: t.ssrc, cname: 'argus' })]);
    t.srSent = true;
    this.ctx.stats.senderReportsSent++;
    if (t.transport === 'tcp') {
      if (this.socket.writableLength <= this.ctx.maxSocketBufferBytes && !this.socket.destroyed) {
        this.socket.write(buildInterleavedFrame(t.rtcpChannel, compound));
      }
    } else {
      this.ctx.udpRtcp.send(compound, t.clientRtcpPort, t.clientAddress);
    }
  }

  destroy(): void {
    this.playing = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
