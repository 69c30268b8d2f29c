// RTP fixed header, CSRC list, header extension and padding (RFC 3550 §5.1, §5.3.1).
// Parsing is zero-copy: payload and extension are views into the datagram.
import { MediaError } from '../media-error.js';

export const ERR_RTP_MALFORMED = 'ARGUS_ERR_RTP_MALFORMED' as const;

export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  /** 16-bit sequence number as sent. */
  sequenceNumber: number;
  /** 32-bit RTP timestamp as sent (not extended). */
  timestamp: number;
  ssrc: number;
  csrcs: readonly number[];
  /** Header extension (RFC 3550 §5.3.1): profile-defined id and the extension words. */
  extension?: { profile: number; data: Uint8Array };
  payload: Uint8Array;
}

export const RTP_HEADER_MIN_BYTES = 12;

/** Shared by every packet without contributing sources (almost all): frozen, never mutated. */
const NO_CSRCS: readonly number[] = Object.freeze([]);

/** Big-endian 16/32-bit reads by byte arithmetic (no DataView per packet on this hot path). */
function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

export function parseRtpPacket(datagram: Uint8Array): RtpPacket {
  const length = datagram.length;
  if (length < RTP_HEADER_MIN_BYTES)
    throw new MediaError(ERR_RTP_MALFORMED, 'RTP packet shorter than 12 bytes');
  const b0 = datagram[0]!;
  const b1 = datagram[1]!;
  if (b0 >> 6 !== 2) throw new MediaError(ERR_RTP_MALFORMED, `RTP version ${b0 >> 6} is not 2`);
  const csrcCount = b0 & 0x0f;
  let offset = RTP_HEADER_MIN_BYTES + csrcCount * 4;
  if (offset > length) throw new MediaError(ERR_RTP_MALFORMED, 'RTP CSRC list exceeds packet');
  let csrcs: readonly number[] = NO_CSRCS;
  if (csrcCount > 0) {
    const list: number[] = [];
    for (let i = 0; i < csrcCount; i++) list.push(u32(datagram, RTP_HEADER_MIN_BYTES + i * 4));
    csrcs = list;
  }
  let extension: RtpPacket['extension'];
  if ((b0 & 0x10) !== 0) {
    if (offset + 4 > length) throw new MediaError(ERR_RTP_MALFORMED, 'RTP extension header exceeds packet');
    const profile = u16(datagram, offset);
    const end = offset + 4 + u16(datagram, offset + 2) * 4;
    if (end > length) throw new MediaError(ERR_RTP_MALFORMED, 'RTP extension exceeds packet');
    extension = { profile, data: datagram.subarray(offset + 4, end) };
    offset = end;
  }
  let end = length;
  if ((b0 & 0x20) !== 0) {
    const padBytes = datagram[length - 1]!;
    if (padBytes === 0 || end - padBytes < offset)
      throw new MediaError(ERR_RTP_MALFORMED, 'RTP padding is invalid');
    end -= padBytes;
  }
  const packet: RtpPacket = {
    payloadType: b1 & 0x7f,
    marker: (b1 & 0x80) !== 0,
    sequenceNumber: u16(datagram, 2),
    timestamp: u32(datagram, 4),
    ssrc: u32(datagram, 8),
    csrcs,
    payload: datagram.subarray(offset, end),
  };
  if (extension) packet.extension = extension;
  return packet;
}

export interface RtpHeaderFields {
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
}

/**
 * Allocates one packet buffer with the fixed header written and payloadBytes of zeroed payload at
 * offset RTP_HEADER_MIN_BYTES, so packetizers fill the payload in place (one allocation per packet).
 */
export function allocRtpPacket(header: RtpHeaderFields, payloadBytes: number): Uint8Array {
  const out = new Uint8Array(RTP_HEADER_MIN_BYTES + payloadBytes);
  out[0] = 0x80;
  out[1] = (header.marker ? 0x80 : 0) | (header.payloadType & 0x7f);
  out[2] = (header.sequenceNumber >> 8) & 0xff;
  out[3] = header.sequenceNumber & 0xff;
  const ts = header.timestamp >>> 0;
  out[4] = ts >>> 24;
  out[5] = (ts >>> 16) & 0xff;
  out[6] = (ts >>> 8) & 0xff;
  out[7] = ts & 0xff;
  const ssrc = header.ssrc >>> 0;
  out[8] = ssrc >>> 24;
  out[9] = (ssrc >>> 16) & 0xff;
  out[10] = (ssrc >>> 8) & 0xff;
  out[11] = ssrc & 0xff;
  return out;
}

/** Serializes a packet without CSRCs, extension or padding (what our packetizers send). */
export function buildRtpPacket(header: RtpHeaderFields, payload: Uint8Array): Uint8Array {
  const out = allocRtpPacket(header, payload.length);
  out.set(payload, RTP_HEADER_MIN_BYTES);
  return out;
}
