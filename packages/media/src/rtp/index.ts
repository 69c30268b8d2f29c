// Public surface of rtp/: RTP/RTCP parsing, sequence and timestamp tracking, packetizers.
export * from './rtp-packet.js';
export * from './rtp-header-extension.js';
export * from './rtcp.js';
export * from './rtp-receiver.js';
export * from './rtp-wall-mapping.js';
