// Repository interfaces of the recording index (migration 3): storage locations, cameras and their
// streams, runs, segments, gaps, motion and locks. Times are wall-clock 90 kHz units since the Unix
// epoch (`*Time90k`); durations of media are `*90k`. See docs/design/storage.md.

export type StreamKind = 'main' | 'sub';

/** Why nothing was recorded; a gap row states one. Stored as text, so new causes need no migration. */
export type GapCause =
  | 'offline'
  | 'disk_full'
  | 'storage_unavailable'
  | 'storage_error'
  | 'schedule'
  | 'no_motion'
  | 'clock_step'
  | 'server_down'
  | 'disabled'
  /** The camera's recording method is 'off' (it records only when started by hand). */
  | 'recording_off'
  | 'unknown';

/** Why a run (a continuous stretch of one stream) ended. */
export type RunEndReason =
  | 'stopped'
  | 'offline'
  | 'disk_full'
  | 'storage_unavailable'
  | 'storage_error'
  | 'clock_step'
  | 'schedule'
  | 'no_motion'
  | 'disabled'
  | 'crash';

export interface StorageLocationRecord {
  id: number;
  name: string;
  /** Absolute directory holding the identity file and the camera folders. */
  path: string;
  identityUuid: string;
  freeSpaceFloorBytes: number;
  sizeLimitBytes: number | null;
  createdAtMs: number;
}

export type NewStorageLocation = Omit<StorageLocationRecord, 'id' | 'createdAtMs'> & { nowMs: number };

export interface StorageLocationsRepo {
  create(location: NewStorageLocation): Promise<StorageLocationRecord>;
  list(): Promise<StorageLocationRecord[]>;
  findById(id: number): Promise<StorageLocationRecord | undefined>;
  update(
    id: number,
    patch: Partial<Pick<StorageLocationRecord, 'name' | 'freeSpaceFloorBytes' | 'sizeLimitBytes'>>,
  ): Promise<boolean>;
  /** Bytes of every indexed segment on the location (kept by triggers; O(streams)). */
  usedBytes(locationId: number): Promise<number>;
  /** Bytes and number of the indexed segments on the location (kept by triggers). */
  usage(locationId: number): Promise<{ bytes: number; segments: number }>;
  /**
   * Removes a location that no camera (not removed) uses, that holds no segment and is not the last
   * one; it is kept in the removed list (its ID is never reused). Removed cameras that pointed to it
   * point to the lowest remaining location; its garbage queue is forgotten (the files stay).
   */
  remove(id: number, nowMs: number): Promise<LocationRemoval>;
  /** Locations removed so far, newest first. */
  removed(): Promise<RemovedStorageLocation[]>;
}

export type LocationRemoval = 'removed' | 'not-found' | 'has-cameras' | 'has-segments' | 'last-location';

export interface RemovedStorageLocation {
  id: number;
  name: string;
  path: string;
  identityUuid: string;
  removedAtMs: number;
}

export interface CameraRecord {
  id: number;
  name: string;
  enabled: boolean;
  storageLocationId: number;
  retentionMs: number;
  /** Recording method and schedule; shape owned by ingest/ (refined by a later migration). */
  recording: Record<string, unknown>;
  createdAtMs: number;
  /** Set when removed: the camera no longer records, its footage stays until retention takes it. */
  removedAtMs: number | null;
}

export interface NewCamera {
  name: string;
  storageLocationId: number;
  retentionMs: number;
  enabled?: boolean;
  recording?: Record<string, unknown>;
  nowMs: number;
}

export interface CamerasRepo {
  create(camera: NewCamera): Promise<CameraRecord>;
  findById(id: number): Promise<CameraRecord | undefined>;
  /** Cameras not removed, or all of them with includeRemoved. */
  list(options?: { includeRemoved?: boolean }): Promise<CameraRecord[]>;
  update(
    id: number,
    patch: Partial<
      Pick<CameraRecord, 'name' | 'enabled' | 'storageLocationId' | 'retentionMs' | 'recording'>
    >,
  ): Promise<boolean>;
  markRemoved(id: number, nowMs: number): Promise<boolean>;
}

export interface StreamRecord {
  id: number;
  cameraId: number;
  kind: StreamKind;
}

export interface StreamsRepo {
  /** The camera's main or sub stream row, created on first use. */
  ensure(cameraId: number, kind: StreamKind): Promise<StreamRecord>;
  findById(id: number): Promise<StreamRecord | undefined>;
  find(cameraId: number, kind: StreamKind): Promise<StreamRecord | undefined>;
  listForCamera(cameraId: number): Promise<StreamRecord[]>;
}

export interface RunRecord {
  id: number;
  streamId: number;
  startTime90k: number;
  endTime90k: number | null;
  endReason: string | null;
  startedAtMs: number;
}

export interface SegmentRecord {
  id: number;
  streamId: number;
  runId: number;
  locationId: number;
  /** Relative to the storage location: <cameraId>/<YYYY-MM-DD>/<start>-<kind>.mp4 */
  path: string;
  startTime90k: number;
  endTime90k: number;
  /** Run media time (RTP-derived, 90 kHz) of the file's decode time 0. */
  mediaStart90k: number;
  mediaDuration90k: number;
  sizeBytes: number;
  fragmentCount: number;
  codec: string;
  width: number;
  height: number;
  /** True while being written (or after a crash, until recovery closes it). */
  open: boolean;
}

export type NewSegment = Omit<SegmentRecord, 'id' | 'open'>;

/** What a commit says about an open segment: everything up to here is fsynced. */
export interface SegmentProgress {
  endTime90k: number;
  mediaDuration90k: number;
  sizeBytes: number;
  fragmentCount: number;
  /** Fragment-index entries (storage/fragment-index) of the fragments added since the last commit. */
  appendFragments: Uint8Array;
  /** Replace the whole fragment index instead of appending (recovery). */
  replaceFragments?: boolean;
  close?: boolean;
}

export interface GarbageRecord {
  id: number;
  locationId: number;
  path: string;
  sizeBytes: number;
  reason: string;
}

/** What retention removes besides segments: a camera's rows older than its horizon. */
export interface IndexPrune {
  cameraId: number;
  /** Rows that ended at or before this instant go (retention cutoff, or the end of footage deleted). */
  horizon90k: number;
}

export interface PrunedRows {
  gaps: number;
  motion: number;
  runs: number;
}

export interface CameraUsage {
  cameraId: number;
  usedBytes: number;
  segmentCount: number;
  oldestTime90k: number | null;
  newestTime90k: number | null;
}

export interface RecordingsRepo {
  startRun(run: { streamId: number; startTime90k: number; startedAtMs: number }): Promise<number>;
  endRun(runId: number, endTime90k: number, reason: RunEndReason): Promise<void>;
  openRuns(): Promise<RunRecord[]>;
  /** End of the run's last segment (null without segments). */
  runEndTime(runId: number): Promise<number | null>;
  runById(id: number): Promise<RunRecord | undefined>;
  /** Inserts an open segment and its (possibly empty) fragment index; returns its id. */
  insertSegment(segment: NewSegment, fragments: Uint8Array, open?: boolean): Promise<number>;
  commitSegment(id: number, progress: SegmentProgress): Promise<void>;
  segmentById(id: number): Promise<SegmentRecord | undefined>;
  findByPath(locationId: number, path: string): Promise<SegmentRecord | undefined>;
  openSegments(): Promise<SegmentRecord[]>;
  latestSegment(streamId: number): Promise<SegmentRecord | undefined>;
  /** Segments of a stream overlapping [from, to), oldest first. */
  segmentsInRange(streamId: number, from90k: number, to90k: number): Promise<SegmentRecord[]>;
  segmentFragments(id: number): Promise<Uint8Array>;
  /** Every segment row of one camera folder of a location (consistency check). */
  segmentsOfCameraAt(locationId: number, cameraId: number): Promise<SegmentRecord[]>;
  /**
   * Removes rows and queues their files as garbage, in one transaction; with `prune`, the same
   * transaction also removes the index rows those cameras no longer need (see pruneIndex).
   */
  deleteSegments(
    ids: readonly number[],
    reason: string,
    prune?: readonly IndexPrune[],
  ): Promise<GarbageRecord[]>;
  /**
   * Removes, per camera, the gap and motion rows that ended at or before the horizon and ended runs
   * without segments, except rows overlapping a lock or a remaining segment of the camera.
   */
  pruneIndex(prune: readonly IndexPrune[]): Promise<PrunedRows>;
  deleteSegmentRowOnly(id: number): Promise<void>;
  garbage(): Promise<GarbageRecord[]>;
  removeGarbage(ids: readonly number[]): Promise<void>;
  /** Closed, unlocked segments of a camera that ended at or before the cutoff, oldest first. */
  expiredSegments(cameraId: number, cutoff90k: number, limit: number): Promise<SegmentRecord[]>;
  /** Closed, unlocked segments of a location, oldest first (space reclaim). */
  oldestUnlockedSegments(locationId: number, limit: number): Promise<SegmentRecord[]>;
  cameraUsage(cameraId: number): Promise<CameraUsage>;
  /** Bytes and media duration of a camera's segments starting in [from, to) (bitrate estimate). */
  cameraBytesBetween(
    cameraId: number,
    from90k: number,
    to90k: number,
  ): Promise<{ bytes: number; duration90k: number }>;
  /** Bytes of a location's segments that overlap a lock (cannot be reclaimed). */
  lockedBytes(locationId: number): Promise<number>;
}

export interface GapRecord {
  id: number;
  streamId: number;
  startTime90k: number;
  endTime90k: number | null;
  cause: GapCause;
}

export interface GapsRepo {
  /** Opens a gap (end unknown yet) unless one is already open for the stream; returns its id. */
  open(streamId: number, startTime90k: number, cause: GapCause): Promise<number>;
  /** Closes the stream's open gap(s) at endTime90k (a new run starts). */
  closeOpen(streamId: number, endTime90k: number): Promise<number>;
  insert(streamId: number, startTime90k: number, endTime90k: number, cause: GapCause): Promise<number>;
  /**
   * The reason nothing is recorded changed at `at90k`: the stream's open gap ends there and a new
   * open gap with `cause` starts (same cause: unchanged). Without an open gap (a run is on), nothing
   * happens. Returns the id of the open gap, or undefined.
   */
  switchCause(streamId: number, at90k: number, cause: GapCause): Promise<number | undefined>;
  list(streamId: number, from90k: number, to90k: number): Promise<GapRecord[]>;
}

export interface MotionRecord {
  id: number;
  cameraId: number;
  startTime90k: number;
  endTime90k: number | null;
  source: string;
}

export interface MotionRepo {
  /** Starts an open interval (motion seen, end unknown); returns its id. */
  start(cameraId: number, startTime90k: number, source: string): Promise<number>;
  end(id: number, endTime90k: number): Promise<void>;
  insert(cameraId: number, startTime90k: number, endTime90k: number, source: string): Promise<number>;
  list(cameraId: number, from90k: number, to90k: number): Promise<MotionRecord[]>;
}

export interface LockRecord {
  id: number;
  cameraId: number;
  startTime90k: number;
  endTime90k: number;
  reason: string;
  bookmarkId: number | null;
  createdAtMs: number;
  createdByUserId: number | null;
}

export type NewLock = Omit<LockRecord, 'id' | 'createdAtMs' | 'bookmarkId' | 'createdByUserId'> & {
  bookmarkId?: number | null;
  createdByUserId?: number | null;
  nowMs: number;
};

export interface LocksRepo {
  create(lock: NewLock): Promise<LockRecord>;
  delete(id: number): Promise<boolean>;
  findById(id: number): Promise<LockRecord | undefined>;
  list(cameraId: number, from90k?: number, to90k?: number): Promise<LockRecord[]>;
}
