// playback/: recorded video: paced playback sessions (fMP4 over a socket), the fragmented-MP4
// stream of a range, and progressive MP4 downloads with byte ranges.
export { PlaybackService, type PlaybackServiceOptions, type PlaybackOpen } from './playback-service.js';
export {
  PlaybackSession,
  PLAYBACK_SPEEDS,
  KEYFRAMES_ONLY_SPEED,
  type PlaybackTransport,
  type PlaybackSessionOptions,
} from './playback-session.js';
export { playbackItems, type PlaybackItem, type PlaybackSourceOptions } from './playback-source.js';
export type { DownloadPlan, SampleSource } from './mp4-download.js';
export { RecordingIndex } from './recording-index.js';
