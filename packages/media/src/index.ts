// @argus/media: protocol and codec code (RTSP, SDP, RTP, H.264/H.265/AAC/G.711, MP4) that knows
// nothing of the application. Each folder's index.ts is its public surface.
export * from './media-error.js';
export * from './access-unit.js';
export * from './bytes/index.js';
export * from './codec/index.js';
export * from './sdp/index.js';
export * from './rtp/index.js';
export * from './rtsp/index.js';
export * from './mp4/index.js';
export * from './stream/index.js';
