// Public surface of rtp/: RTP/RTCP parsing, sequence and timestamp tracking, packetizers.
export * from './rtp-packet.js';
export * from './rtcp.js';
