// Public surface of mp4/: fragmented and progressive MP4 writers, the MP4 readers (whole file and
// incremental), and the codec configuration boxes. Everything else in this folder is internal.
export * from './mp4-error-codes.js';
export * from './mp4-track-config.js';
export { readAvcChroma, writeAvcCBox, parseAvcC, type ParsedAvcC } from './avc-config-box.js';
export { writeHvcCBox, parseHvcC, type ParsedHvcC } from './hevc-config-box.js';
export { writeEsdsBox, parseEsds, type ParsedEsds } from './esds-box.js';
export { sampleEntryType } from './sample-entry-writer.js';
export type { EditListEntry } from './movie-boxes-writer.js';
export { MOVIE_TIMESCALE, writeFmp4Init, type Fmp4InitOptions } from './fmp4-init-writer.js';
export {
  SAMPLE_FLAGS_NON_SYNC,
  SAMPLE_FLAGS_SYNC,
  ntp64ToUnixMs,
  unixMsToNtp64,
  writeMediaFragment,
  writeMediaFragmentParts,
  type FragmentSample,
  type FragmentTrack,
  type MediaFragmentInput,
  type MediaFragmentParts,
  type ProducerReferenceTime,
} from './fmp4-fragment-writer.js';
export * from './fmp4-segmenter.js';
export * from './progressive-mp4-writer.js';
export { childBoxes, findChild, readBoxHeader, type BoxHeader } from './mp4-box-header.js';
export * from './mp4-sample.js';
export type { Mp4TrackInfo } from './mp4-moov-reader.js';
export type { Mp4FragmentInfo, ProducerReferenceTimeInfo } from './fragment-assembler.js';
export type { Mp4InitInfo } from './mp4-top-level.js';
export * from './mp4-reader.js';
export * from './fmp4-stream-reader.js';
