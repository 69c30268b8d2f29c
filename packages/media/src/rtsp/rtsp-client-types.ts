// Options, events and results of RtspClient (RFC 2326 / RFC 7826 client).
import type { MediaError } from '../media-error.js';
import type { RtcpReportBlock } from '../rtp/index.js';
import type { RtspClock } from './rtsp-clock.js';
import type { RtpInfoEntry, RtspTransport } from './rtsp-transport-header.js';

export interface RtspClientOptions {
  /** rtsp://[user:password@]host[:port]/path; credentials are never logged or put in errors. */
  url: string;
  /** Overrides the URL's user/password. */
  user?: string;
  password?: string;
  transport?: 'tcp' | 'udp';
  /** Timeout of every step: connect and each request. Default 10 000 ms. */
  timeoutMs?: number;
  /** After PLAY, no packet for this long ends the session with ARGUS_ERR_RTSP_TIMEOUT. Default 20 000; 0 = off. */
  dataTimeoutMs?: number;
  /** Keep-alive period; default half the session timeout the server announced (60 s if none). */
  keepAliveIntervalMs?: number;
  /** 3xx redirects followed before giving up. Default 3. */
  maxRedirects?: number;
  userAgent?: string;
  signal?: AbortSignal;
  clock?: RtspClock;
  /** Local address for UDP sockets; default the local address of the control connection. */
  udpBindAddress?: string;
  /** Receiver report period (RFC 3550 §6.2); default 5000 ms; 0 = never send RTCP. */
  rtcpIntervalMs?: number;
  /** Report blocks for a track's receiver report, e.g. from RtpReceiver.reportBlock(). */
  receiverReportBlocks?: (trackIndex: number) => RtcpReportBlock | undefined;
  /** Fast path for packets (also emitted as 'packet'). */
  onPacket?: (packet: RtspPacket) => void;
  /**
   * TCP interleaved packets are views of a read buffer the connection reuses (no allocation per
   * socket read): RtspPacket.data is valid only while onPacket and 'packet' listeners run, and the
   * RtspPacket object itself is reused for the next packet. Default false (both safe to keep).
   */
  transientPackets?: boolean;
  /** Diagnostic lines; never contain credentials. */
  log?: (message: string) => void;
}

export interface RtspPacket {
  /** Index into client.tracks (SDP m= order). */
  trackIndex: number;
  channel: 'rtp' | 'rtcp';
  /** One RTP or RTCP packet; may be a view into a received chunk, safe to keep (see transientPackets). */
  data: Uint8Array;
  receivedAtMs: number;
}

export interface RtspSetupTrack {
  trackIndex: number;
  /** Control URL the SETUP went to. */
  url: string;
  transport: RtspTransport;
}

export interface RtspPlayResult {
  sessionId: string;
  sessionTimeoutSec: number;
  tracks: RtspSetupTrack[];
  /** RTP-Info from the PLAY reply, matched to tracks where the URL allows. */
  rtpInfo: Array<RtpInfoEntry & { trackIndex?: number }>;
  keepAliveMethod: 'GET_PARAMETER' | 'OPTIONS';
}

export interface RtspClientStats {
  packetsReceived: number;
  bytesReceived: number;
  keepAlivesSent: number;
  keepAliveReplies: number;
  receiverReportsSent: number;
  redirects: number;
  /** UDP datagrams from an unexpected address, or interleaved frames on unknown channels. */
  packetsRejected: number;
}

export interface RtspClientEvents {
  packet: [RtspPacket];
  /** Emitted only when someone listens; 'close' always follows with the same error. */
  error: [MediaError];
  close: [MediaError | undefined];
}
