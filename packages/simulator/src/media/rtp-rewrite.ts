// Per-send copies of pre-built RTP packets with the camera's own sequence numbers, timestamp and SSRC
// (RFC 3550 §5.1 header: bytes 2-3 sequence, 4-7 timestamp, 8-11 SSRC). Copies, because the
// templates are shared by every camera and the RTSP server may still hold earlier packets in socket
// queues, which must never change. One allocation per frame (a padded 4 Mbit/s frame is ~15
// packets), so the send path does not allocate per packet.

/**
 * Copies a frame's packets into one new buffer, numbered from firstSeq (mod 2^16); returns the
 * copies (views of that buffer), in order.
 */
export function rewriteRtpPackets(
  templates: readonly Uint8Array[],
  firstSeq: number,
  timestamp: number,
  ssrc: number,
): Buffer[] {
  let total = 0;
  for (const t of templates) total += t.length;
  const slab = Buffer.allocUnsafe(total);
  const out: Buffer[] = [];
  let offset = 0;
  let seq = firstSeq;
  for (const template of templates) {
    const packet = slab.subarray(offset, offset + template.length);
    packet.set(template);
    packet[2] = (seq >>> 8) & 0xff;
    packet[3] = seq & 0xff;
    packet.writeUInt32BE(timestamp >>> 0, 4);
    packet.writeUInt32BE(ssrc >>> 0, 8);
    out.push(packet);
    offset += template.length;
    seq = (seq + 1) & 0xffff;
  }
  return out;
}
