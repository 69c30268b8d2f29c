// Public surface of stream/: an RTSP source as timed access units (DTS, wall time, MP4 track
// configuration, counters) and the fragmented-MP4 recording writer built on it.
export * from './stream-errors.js';
export * from './reorder-depth.js';
export * from './dts-deriver.js';
export * from './track-config.js';
export * from './track-pipeline.js';
export * from './rtsp-media-stream.js';
export * from './fmp4-sink.js';
export * from './fmp4-recording-writer.js';
export * from './record-to-fmp4.js';
