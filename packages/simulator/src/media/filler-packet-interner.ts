// Shares byte-identical RTP packets of filler NAL units between frames and clips. A 4 Mbit/s clip is
// ~20 KB of filler per frame, 30 MB per minute if every FU-A / FU packet (RFC 6184 §5.8, RFC 7798
// §4.4.3) were kept; but the fragments of filler differ only in sequence number and timestamp
// (RFC 3550 §5.1 bytes 2-7), which every send rewrites anyway, so one template per shape suffices.
import type { VideoCodecName } from '../camera/camera-device.js';

const RTP_HEADER_BYTES = 12;

/** True when the RTP packet carries (a fragment of) a filler NAL unit and nothing else. */
export function isFillerPacket(codec: VideoCodecName, packet: Uint8Array): boolean {
  // Only plain headers (no CSRC, no extension) are ours to share.
  if (packet.length < RTP_HEADER_BYTES + 3 || (packet[0]! & 0x1f) !== 0) return false;
  const p = RTP_HEADER_BYTES;
  if (codec === 'h264') {
    const type = packet[p]! & 0x1f;
    return type === 12 || (type === 28 && (packet[p + 1]! & 0x1f) === 12);
  }
  const type = (packet[p]! >> 1) & 0x3f;
  return type === 38 || (type === 49 && (packet[p + 2]! & 0x3f) === 38);
}

function sameApartFromSeqAndTimestamp(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length || a[0] !== b[0] || a[1] !== b[1]) return false;
  // Bytes 8-11 (SSRC) are rewritten too, but the clip templates all carry SSRC 0: compare them.
  return Buffer.from(a.buffer, a.byteOffset + 8, a.length - 8).equals(
    Buffer.from(b.buffer, b.byteOffset + 8, b.length - 8),
  );
}

export class FillerPacketInterner {
  private readonly shared = new Map<string, Uint8Array>();
  /** Packets replaced by a shared template (for tests and diagnostics). */
  reused = 0;

  constructor(private readonly codec: VideoCodecName) {}

  /** The shared template equal to this filler packet (the packet itself if it is the first). */
  intern(packet: Uint8Array): Uint8Array {
    if (!isFillerPacket(this.codec, packet)) return packet;
    const p = RTP_HEADER_BYTES;
    const key = `${packet.length}:${packet[1]}:${packet[p]}:${packet[p + 1]}:${packet[p + 2]}`;
    const known = this.shared.get(key);
    if (known === undefined) {
      this.shared.set(key, packet);
      return packet;
    }
    if (!sameApartFromSeqAndTimestamp(known, packet)) return packet;
    this.reused++;
    return known;
  }

  /** Distinct shared templates held. */
  get size(): number {
    return this.shared.size;
  }
}
