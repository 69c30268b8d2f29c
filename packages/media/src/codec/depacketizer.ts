// The common contract of RTP depacketizers: in-order packets (from RtpReceiver) in, whole access
// units out; damage is counted, never thrown, so one camera's bad packet never stops a recording.
import type { AccessUnit } from '../access-unit.js';
import type { RtpPacket } from '../rtp/rtp-packet.js';

export const ERR_CODEC_UNSUPPORTED = 'ARGUS_ERR_CODEC_UNSUPPORTED' as const;
export const ERR_CODEC_PARAMETERS = 'ARGUS_ERR_CODEC_PARAMETERS' as const;

/** Default bound on one access unit; a larger one is dropped (memory stays bounded per track). */
export const MAX_ACCESS_UNIT_BYTES = 8 * 1024 * 1024;
/** Bound on NAL units in one video access unit (slices, SEI, parameter sets). */
export const MAX_NALUS_PER_ACCESS_UNIT = 1024;

/** What a depacketizer needs of an SDP media description (structurally an SdpTrack). */
export interface TrackCodecDescription {
  /** From a=rtpmap, e.g. 'H264', 'H265', 'MPEG4-GENERIC', 'PCMU', 'PCMA' (case-insensitive). */
  encodingName: string;
  clockRate: number;
  channels?: number;
  /** a=fmtp parameters; keys are matched case-insensitively. */
  fmtp: Record<string, string>;
}

export interface DepacketizerStats {
  /** Access units emitted. */
  accessUnits: number;
  /** Access units dropped as damaged (lost or malformed packets, oversize, missing parameter sets). */
  droppedAccessUnits: number;
  /** Intact video access units skipped while waiting for a keyframe (at start or after damage). */
  skippedAccessUnits: number;
  /** Packets the receiver reported lost before packets of this track. */
  lostPackets: number;
  /** Packets whose payload could not be parsed (counted once each). */
  malformedPackets: number;
  /** Access units dropped for exceeding the size bound. */
  oversizeAccessUnits: number;
}

export interface DepacketizerOptions {
  /** Size bound of one access unit in bytes (default MAX_ACCESS_UNIT_BYTES). */
  maxAccessUnitBytes?: number;
  /**
   * Packet payloads are valid only during push() (e.g. views of a reused socket read buffer): the
   * depacketizer copies whatever it keeps, so emitted units never refer to them. Default false.
   */
  copyPayloads?: boolean;
}

export interface Depacketizer {
  /**
   * Consumes one packet in sequence order. extendedTimestamp is the receiver's extended RTP time;
   * lostBefore is the count (or presence) of packets lost just before this one. Returns the access
   * units completed by this packet, oldest first. Never throws on packet content.
   * Emitted NAL units/frames may be views into packet payloads: do not reuse packet buffers (unless
   * the depacketizer was made with copyPayloads). An empty result may be a shared frozen array.
   */
  push(packet: RtpPacket, extendedTimestamp: number, lostBefore?: number | boolean): AccessUnit[];
  /** Emits an access unit still being assembled (end of stream; its marker never came). */
  flush(): AccessUnit[];
  /**
   * Optional: the caller guarantees nothing references the units emitted so far (it copied what it
   * keeps), so their memory may be reused for the next ones instead of allocated anew.
   */
  recycle?(): void;
  readonly stats: DepacketizerStats;
}

export function newDepacketizerStats(): DepacketizerStats {
  return {
    accessUnits: 0,
    droppedAccessUnits: 0,
    skippedAccessUnits: 0,
    lostPackets: 0,
    malformedPackets: 0,
    oversizeAccessUnits: 0,
  };
}

export function lostCount(lostBefore: number | boolean | undefined): number {
  if (typeof lostBefore === 'boolean') return lostBefore ? 1 : 0;
  return lostBefore !== undefined && lostBefore > 0 ? lostBefore : 0;
}

/** Looks up an fmtp parameter regardless of the case the SDP used. */
export function fmtpValue(fmtp: Record<string, string>, key: string): string | undefined {
  const direct = fmtp[key];
  if (direct !== undefined) return direct;
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(fmtp)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Decodes a comma-separated list of base64 NAL units (sprop-parameter-sets, sprop-sps, ...). */
export function decodeSpropNalus(value: string | undefined): Uint8Array[] {
  if (!value) return [];
  const out: Uint8Array[] = [];
  for (const part of value.split(',')) {
    const trimmed = part.trim();
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) continue;
    const bytes = Uint8Array.from(Buffer.from(trimmed, 'base64'));
    if (bytes.length > 0) out.push(bytes);
  }
  return out;
}
