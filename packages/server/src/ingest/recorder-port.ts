// What a camera session needs from the recording writer of one stream: units in (starting at a key
// picture, each with the server time it arrived), and an end with the reason the run stopped and the
// cause of the gap that follows. app/ provides the implementation over storage/ and the index.
import type { StreamAccessUnit } from '@argus/media';
import type { GapCause, RunEndReason } from '../db/index.js';
import type { SourceTrack } from './stream-source.js';

export interface RecorderUnit {
  unit: StreamAccessUnit;
  /** Server wall time (ms) when the unit arrived; pre-buffered units arrived in the past. */
  receivedAtMs: number;
}

export interface RecorderPort {
  /** Appends a unit; the first one of a run is a key picture of the primary track. */
  write(item: RecorderUnit, tracks: readonly SourceTrack[]): void;
  /** Ends the current run (written and committed before it resolves); a no-op when none is open. */
  end(reason: RunEndReason, gapCause: GapCause | undefined): Promise<void>;
  /** Stream-level status: whether a run is open. */
  readonly recording: boolean;
}

export interface RecorderRequest {
  cameraId: number;
  streamKind: 'main' | 'sub';
  storageLocationId: number;
}

export type OpenRecorder = (request: RecorderRequest) => Promise<RecorderPort>;
