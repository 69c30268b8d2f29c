// A minimal RTP packet for receiver tests: one payload byte, the sequence number and timestamp
// wrapped to their 16 and 32 bits.
import type { RtpPacket } from '../src/rtp/index.js';

export function testRtpPacket(sequenceNumber: number, timestamp: number, ssrc = 0x1234): RtpPacket {
  return {
    payloadType: 96,
    marker: false,
    sequenceNumber: sequenceNumber & 0xffff,
    timestamp: timestamp >>> 0,
    ssrc,
    csrcs: [],
    payload: new Uint8Array(1),
  };
}
