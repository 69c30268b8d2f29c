// A listener for what the camera sessions receive, for consumers other than the recorder (the live
// view): every access unit of every stream with the stream's current track configurations, stream
// state changes, and the end of a camera. Called synchronously on the ingest path: keep it cheap.
import type { StreamAccessUnit } from '@argus/media';
import type { StreamState } from './stream-session.js';
import type { SourceTrack } from './stream-source.js';

export interface MediaTap {
  unit(
    cameraId: number,
    stream: 'main' | 'sub',
    unit: StreamAccessUnit,
    tracks: readonly SourceTrack[] | undefined,
  ): void;
  state(cameraId: number, stream: 'main' | 'sub', state: StreamState): void;
  /** The camera stopped for good (disabled, removed, server shutdown), not a restart. */
  stopped(cameraId: number): void;
}
