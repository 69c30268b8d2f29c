// Events the camera sessions announce (camera online/offline, motion, manual recording). ingest/
// only calls an injected sink; events/ puts them on the server's bus with the storage events.
import type { StreamState } from './stream-session.js';

export type IngestEvent =
  | { type: 'camera.online'; cameraId: number; atMs: number }
  | { type: 'camera.offline'; cameraId: number; atMs: number; code: string; message: string }
  | { type: 'stream.state'; cameraId: number; stream: 'main' | 'sub'; state: StreamState; atMs: number }
  | { type: 'motion.started'; cameraId: number; atMs: number }
  | { type: 'motion.stopped'; cameraId: number; atMs: number }
  | { type: 'motion.source'; cameraId: number; connected: boolean; code?: string; message?: string }
  | { type: 'recording.manual'; cameraId: number; on: boolean; atMs: number };

export type IngestEventSink = (event: IngestEvent) => void;
