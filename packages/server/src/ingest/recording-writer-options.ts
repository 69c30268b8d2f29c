// What a RecordingWriter is given: the stream it records and where, its tuning, and the services it
// uses. Apart from recording-writer.ts so its I/O half (writer-files.ts) shares them without a cycle.
import type { Clock, Logger } from '../base/index.js';
import type { Catalog, StreamKind } from '../db/index.js';
import type { RecordingEventBus } from './recording-events.js';
import type { RunClockOptions } from './run-clock.js';
import type { StorageRegistry } from './storage-registry.js';
import type { WriteBacklog } from './write-backlog.js';

export interface RecordingWriterOptions {
  cameraId: number;
  streamId: number;
  streamKind: StreamKind;
  locationId: number;
  /** Longest fragment (and so the most a crash loses); default 1000 ms. */
  maxFragmentDurationMs?: number;
  /** A new file every this much media time (at the next key frame); default 5 min, at most 1 h. */
  segmentDurationMs?: number;
  runClock?: RunClockOptions;
  /** Bytes waiting for the disk beyond which the run ends (disk too slow); default 64 MiB. */
  maxQueuedBytes?: number;
  /** After a write error other than "full", wait this long before a new run; default 5 s. */
  retryAfterErrorMs?: number;
}

export interface RecordingWriterDeps {
  catalog: Catalog;
  registry: StorageRegistry;
  events: RecordingEventBus;
  clock: Clock;
  logger?: Logger;
  /** Bytes waiting for the disk across the server's writers, against one limit. */
  backlog?: WriteBacklog;
}
