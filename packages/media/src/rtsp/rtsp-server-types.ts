// Public types of the RTSP server (RFC 2326 server side): mounts that feed RTP packets, options,
// counters and the handle with fault hooks used by the simulator.
import type { SdpTrack } from '../sdp/index.js';
import type { RtspClock } from './rtsp-clock.js';

/** A track as the server describes it; the server assigns control ('trackID=N'), port and proto. */
export type RtspServerTrack = Omit<SdpTrack, 'port' | 'protocol' | 'control'>;

export interface RtspServerMount {
  tracks: readonly RtspServerTrack[];
  /**
   * Starts delivering whole RTP packets (header included) per track; returns an unsubscribe
   * function. Packets must not be modified after delivery (UDP sends them without copying).
   */
  subscribe(onPacket: (trackIndex: number, rtpPacket: Uint8Array) => void): () => void;
  /** Fault hook: while true the server forwards nothing (clients see a stall). */
  stalled?: boolean;
  /**
   * NTP<->RTP mapping for RTCP sender reports: the wall time at which the track's RTP clock read
   * rtpTimestamp. Default: the arrival of the first packet the session saw.
   */
  clockReference?(trackIndex: number): { wallMs: number; rtpTimestamp: number } | undefined;
  sessionName?: string;
}

export interface RtspServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  realm?: string;
  /** user -> password; when set every request but OPTIONS needs Digest authentication. */
  users?: Readonly<Record<string, string>>;
  /** Digest challenges offered (default ['MD5']); SHA-256 responses are accepted either way. */
  digestAlgorithms?: ReadonlyArray<'SHA-256' | 'MD5'>;
  nonceLifetimeMs?: number;
  /** Finds the mount for a request path ('/cam1') and query; null answers 404. */
  resolveMount(
    path: string,
    query: URLSearchParams,
  ): RtspServerMount | null | Promise<RtspServerMount | null>;
  clock?: RtspClock;
  /** Announced in Session;timeout= and enforced for UDP and non-playing sessions. Default 60. */
  sessionTimeoutSec?: number;
  /** A TCP client whose unsent data exceeds this gets packets dropped (counted). Default 1 MiB. */
  maxSocketBufferBytes?: number;
  /** RTCP sender report period; default 5000 ms. */
  senderReportIntervalMs?: number;
  log?: (message: string) => void;
}

export interface RtspServerStats {
  connections: number;
  sessions: number;
  packetsSent: number;
  bytesSent: number;
  /** Packets not sent because a TCP client was too slow. */
  packetsDropped: number;
  senderReportsSent: number;
  sessionsExpired: number;
  authFailures: number;
}

export interface RtspServer {
  readonly host: string;
  readonly port: number;
  /** Server-side UDP ports (RTP, RTCP) used for all UDP sessions. */
  readonly udpPorts: [number, number];
  readonly stats: Readonly<RtspServerStats>;
  /** Fault hook: drops every session and closes every client connection. */
  closeAllSessions(): void;
  close(): Promise<void>;
}
