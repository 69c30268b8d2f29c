// Public surface of sdp/: SDP parsing and writing (RFC 8866) and the codec parameters in fmtp.
export * from './sdp-types.js';
export * from './sdp-parse.js';
export * from './sdp-fmtp.js';
export * from './sdp-write.js';
