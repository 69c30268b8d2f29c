// Per-send copy of a pre-built RTP packet with the camera's own sequence number, timestamp and SSRC
// (RFC 3550 §5.1 header: bytes 2-3 sequence, 4-7 timestamp, 8-11 SSRC). A copy, because the RTSP
// server may still hold earlier packets in socket queues and must never see them change.

export function writeRtpHeader(
  template: Uint8Array,
  seq: number,
  timestamp: number,
  ssrc: number,
): Uint8Array {
  const out = Buffer.allocUnsafe(template.length);
  out.set(template);
  out[2] = (seq >>> 8) & 0xff;
  out[3] = seq & 0xff;
  out.writeUInt32BE(timestamp >>> 0, 4);
  out.writeUInt32BE(ssrc >>> 0, 8);
  return out;
}
