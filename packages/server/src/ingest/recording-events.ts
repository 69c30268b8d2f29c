// Events of the recording engine (storage full, location missing, recording stopped/resumed, clock
// steps, retention deletions, recovery findings) on a small bus that the HTTP/WebSocket layer, the
// event rules and the logs subscribe to. Synchronous delivery; a throwing listener is isolated.
import type { GapCause, RunEndReason } from '../db/index.js';

export type RecordingEvent =
  | {
      type: 'location.full';
      locationId: number;
      /** 'only-locked': nothing unlocked is left to delete; 'write-failed': the disk refused a write. */
      reason: 'only-locked' | 'write-failed' | 'size-limit';
      freeBytes: number;
      floorBytes: number;
      message: string;
    }
  | { type: 'location.unavailable'; locationId: number; code: string; message: string }
  | { type: 'location.writable'; locationId: number }
  /** An administrator added, changed or removed a storage location (byUserId: null when not through the API). */
  | { type: 'location.added'; locationId: number; name: string; path: string; byUserId: number | null }
  | {
      type: 'location.changed';
      locationId: number;
      name: string;
      freeSpaceFloorBytes: number;
      sizeLimitBytes: number | null;
      byUserId: number | null;
    }
  | { type: 'location.removed'; locationId: number; name: string; path: string; byUserId: number | null }
  | { type: 'recording.started'; cameraId: number; streamId: number; runId: number; startTime90k: number }
  | {
      type: 'recording.stopped';
      cameraId: number;
      streamId: number;
      runId: number;
      endTime90k: number;
      reason: RunEndReason;
      gapCause?: GapCause;
    }
  | { type: 'recording.clock-step'; cameraId: number; streamId: number; stepMs: number }
  | { type: 'recording.write-error'; cameraId: number; streamId: number; code: string; message: string }
  | {
      type: 'retention.deleted';
      locationId: number;
      reason: 'age' | 'space';
      segmentCount: number;
      bytes: number;
      oldestDeletedTime90k: number;
    }
  | { type: 'recovery.finding'; kind: string; locationId?: number; path?: string; message: string };

export type RecordingEventListener = (event: RecordingEvent) => void;

export class RecordingEventBus {
  private readonly listeners = new Set<RecordingEventListener>();

  /** Subscribes; returns the unsubscribe function. */
  on(listener: RecordingEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: RecordingEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a listener's failure must not stop recording
      }
    }
  }
}
