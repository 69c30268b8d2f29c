// The common contract of RTP packetizers (used by our RTSP server, the simulator and benchmarks):
// one access unit in, its RTP packets out with consecutive sequence numbers, one buffer per packet.
import type { AccessUnit } from '../access-unit.js';
import { MediaError } from '../media-error.js';
import { allocRtpPacket, RTP_HEADER_MIN_BYTES } from '../rtp/rtp-packet.js';

export const ERR_PACKETIZER = 'ARGUS_ERR_PACKETIZER' as const;

/** Default largest RTP payload: fits a 1500-byte Ethernet MTU with IP/UDP/RTP headers to spare. */
export const DEFAULT_RTP_PAYLOAD_BYTES = 1400;

export interface PacketizerOptions {
  ssrc: number;
  payloadType: number;
  /** First sequence number (default 0); increments by one per packet and wraps at 16 bits. */
  initialSequenceNumber?: number;
  /** Largest RTP payload in bytes (default 1400, minimum 64). */
  maxPayloadBytes?: number;
}

export interface Packetizer {
  /**
   * RTP packets (header included) for one access unit; the marker bit follows the payload format.
   * rtpTimestamp defaults to the unit's pts (pts90k or ptsTicks) and is reduced modulo 2^32.
   */
  packetize(au: AccessUnit, rtpTimestamp?: number): Uint8Array[];
  /** The sequence number the next packet will carry. */
  readonly nextSequenceNumber: number;
}

/** Sequence numbering and header writing shared by every packetizer. */
export class RtpPacketWriter {
  readonly maxPayloadBytes: number;
  private seq: number;

  constructor(private readonly options: PacketizerOptions) {
    this.seq = (options.initialSequenceNumber ?? 0) & 0xffff;
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_RTP_PAYLOAD_BYTES;
    if (!Number.isInteger(this.maxPayloadBytes) || this.maxPayloadBytes < 64) {
      throw new MediaError(ERR_PACKETIZER, 'maxPayloadBytes must be an integer of at least 64');
    }
  }

  get nextSequenceNumber(): number {
    return this.seq;
  }

  /** Allocates the next packet; the payload starts at PAYLOAD_OFFSET. */
  next(payloadBytes: number, marker: boolean, timestamp: number): Uint8Array {
    const packet = allocRtpPacket(
      {
        payloadType: this.options.payloadType,
        marker,
        sequenceNumber: this.seq,
        timestamp,
        ssrc: this.options.ssrc,
      },
      payloadBytes,
    );
    this.seq = (this.seq + 1) & 0xffff;
    return packet;
  }
}

export const PAYLOAD_OFFSET = RTP_HEADER_MIN_BYTES;

export function timestampOf(au: AccessUnit, rtpTimestamp: number | undefined): number {
  const ts = rtpTimestamp ?? (au.kind === 'video' ? au.pts90k : au.ptsTicks);
  return (ts % 0x1_0000_0000) >>> 0;
}
