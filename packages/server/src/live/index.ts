// live/: the live view. Camera streams as fMP4 for MSE (init + the GOP so far for a fast first
// frame, then a fragment per access unit), per-viewer flow control, snapshots.
export { LiveHub, type LiveHubOptions, type LiveHubStats, type LiveViewerHandle } from './live-hub.js';
export { LiveViewer, type LiveViewerLimits, type LiveViewerStats } from './live-viewer.js';
export { LiveMuxer, LIVE_TIMESCALE, type LiveFragment, type LiveInit } from './live-muxer.js';
export type { LiveStreamLimits } from './live-stream.js';
export { SnapshotService, isJpeg, type Snapshot, type SnapshotDeps } from './snapshot-service.js';
export type { StreamTransport } from './stream-transport.js';
