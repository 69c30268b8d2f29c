// Typed view of an SDP session description (RFC 8866, formerly RFC 4566) as RTSP servers and
// cameras send it in a DESCRIBE reply (RFC 2326 Appendix C, RFC 7826 Appendix D).

export const ERR_SDP_MALFORMED = 'ARGUS_ERR_SDP_MALFORMED' as const;

/** Largest SDP we accept (it arrives in an RTSP body, bounded the same way). */
export const SDP_MAX_BYTES = 64 * 1024;

export type SdpMediaType = 'video' | 'audio' | 'application';
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** One m= section, reduced to its first (preferred) payload format. */
export interface SdpTrack {
  mediaType: SdpMediaType;
  /** m= port: 0 in RTSP (the transport is negotiated by SETUP). */
  port: number;
  /** m= proto, e.g. 'RTP/AVP'. */
  protocol: string;
  payloadType: number;
  /** From a=rtpmap (or the RFC 3551 static table), as written, e.g. 'H264', 'MPEG4-GENERIC'. */
  encodingName: string;
  clockRate: number;
  channels?: number;
  /** a=control as written (absolute URL, relative path or '*'); resolve with the RTSP base URL. */
  control?: string;
  /** a=fmtp parameters of payloadType; keys lower-cased, values as written, order preserved. */
  fmtp: Record<string, string>;
  framerate?: number;
  direction?: SdpDirection;
  /** Media-level c= address, e.g. '0.0.0.0'. */
  connectionAddress?: string;
  /** b=AS (application-specific maximum), kbit/s. */
  bandwidthKbps?: number;
}

export interface SdpRangeNpt {
  /** Start in seconds; undefined means 'now' (live). */
  startSec?: number;
  /** End in seconds; undefined means open-ended. */
  endSec?: number;
}

export interface SdpSession {
  origin?: string;
  sessionName?: string;
  /** Session-level c= address. */
  connectionAddress?: string;
  /** Session-level a=control ('*' or a URL); absent means the RTSP base URL. */
  control?: string;
  /** a=range as written, e.g. 'npt=0-' or 'npt=now-'. */
  range?: string;
  rangeNpt?: SdpRangeNpt;
  direction?: SdpDirection;
  tracks: SdpTrack[];
}
