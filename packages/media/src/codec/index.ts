// Public surface of codec/: parameter-set parsing, codec strings, Annex B, AAC config,
// depacketizers and packetizers. Re-exported by the package entry.
export * from './bit-reader.js';
export * from './annex-b.js';
export * from './aac-config.js';
export * from './h264-sps.js';
export * from './h265-profile-tier-level.js';
export * from './h265-sps.js';
export * from './depacketizer.js';
export * from './h264-depacketizer.js';
export * from './h265-depacketizer.js';
export * from './aac-depacketizer.js';
export * from './g711-depacketizer.js';
export * from './create-depacketizer.js';
export * from './packetizer.js';
export * from './video-packetizer.js';
export * from './audio-packetizer.js';
export * from './create-packetizer.js';
