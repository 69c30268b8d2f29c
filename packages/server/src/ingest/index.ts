// ingest/: cameras at run time (RTSP sessions, motion, recording method) and the recording writer.
// Camera sessions, stream sessions, recording method and schedule:
export { CameraManager, type CameraManagerDeps } from './camera-manager.js';
export {
  CameraSession,
  type CameraSpec,
  type CameraState,
  type CameraStatus,
  type CameraSessionDeps,
  type StreamEndpoint,
} from './camera-session.js';
export {
  StreamSession,
  ARGUS_ERR_STREAM_STALLED,
  ARGUS_ERR_STREAM_ENDED,
  type StreamState,
  type StreamStatus,
} from './stream-session.js';
export {
  openRtspSource,
  type OpenSource,
  type OpenSourceRequest,
  type SourceHandlers,
  type SourceStats,
  type SourceTrack,
  type StreamSource,
} from './stream-source.js';
export { ReconnectBackoff, type BackoffOptions } from './reconnect-backoff.js';
export { systemTimers, ManualTimers, type Timers } from './ingest-timers.js';
export { PreBuffer } from './pre-buffer.js';
export type { OpenRecorder, RecorderPort, RecorderRequest, RecorderUnit } from './recorder-port.js';
export { recordingWriterRecorders, type StreamRecorderDeps } from './stream-recorder.js';
export type { IngestEvent, IngestEventSink } from './ingest-events.js';
export type { MediaTap } from './media-tap.js';
export type { MotionEvent, MotionEventSource, MotionEventSourceListener } from './motion-event-source.js';
export {
  decideRecording,
  defaultRecordingConfig,
  normalizeRecordingConfig,
  recordingConfigProblem,
  RECORDING_MODES,
  DEFAULT_PRE_BUFFER_MS,
  DEFAULT_POST_BUFFER_MS,
  MAX_BUFFER_MS,
  type RecordingConfig,
  type RecordingMode,
  type RecordingReason,
} from './recording-method.js';
export {
  scheduleAllows,
  scheduleProblem,
  ZonedTime,
  WEEKDAYS,
  type ScheduleWindow,
  type WeeklySchedule,
  type Weekday,
} from './recording-schedule.js';
// Storage and index half: recording writer (files + rows, fsync before commit), run clock, storage
// registry, retention and per-camera storage figures, recovery and `argus check`, events.
export {
  RecordingWriter,
  type RecordingWriterDeps,
  type RecordingWriterOptions,
  type RecordingWriterStats,
  type WriterState,
} from './recording-writer.js';
export { WriteBacklog } from './write-backlog.js';
export { SegmentBuilder, type SegmentBuilderOptions, type FileOp } from './segment-builder.js';
export { RunClock, type RunClockOptions, type RunClockObservation } from './run-clock.js';
export { StorageRegistry, type LocationStatus } from './storage-registry.js';
export { RecordingEventBus, type RecordingEvent, type RecordingEventListener } from './recording-events.js';
export {
  RetentionService,
  type RetentionDeps,
  type RetentionOptions,
  type RetentionPassResult,
  type LocationPass,
} from './retention-service.js';
export { cameraStorageStats, type CameraStorageStats } from './retention-stats.js';
export { recoverRecordings, type RecoveryOptions } from './recovery.js';
export {
  countFindings,
  formatRecoveryReport,
  type RecoveryAction,
  type RecoveryFinding,
  type RecoveryFindingKind,
  type RecoveryReport,
} from './recovery-report.js';
export {
  checkRecordings,
  checkStorageDirectory,
  createStorageLocation,
  ensureDefaultStorageLocation,
  type CheckRecordingsOptions,
  type NewStorageLocationRequest,
  type StorageDirProblem,
} from './recording-check.js';
export {
  StorageLocationService,
  DEFAULT_FREE_SPACE_FLOOR_BYTES,
  describeStatus,
  formatBytes,
  type StorageLocationInput,
  type StorageLocationPatchInput,
  type StorageLocationServiceDeps,
  type StorageLocationView,
} from './storage-location-service.js';
