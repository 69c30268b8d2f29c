// The live and playback stream contract between the server and browsers (MSE) or scripts:
// WebSocket frames carry fragmented MP4 (ISO/IEC 14496-12) — one binary init section, then
// binary media fragments (moof+mdat, each carrying a prft wall clock) — with JSON text frames
// announcing what the next binary frames are. See docs/design/live-and-playback.md.

/** Paths (WebSocket upgrade on GET). */
export const LIVE_WS_PATH = '/api/v1/cameras/:id/live';
export const PLAYBACK_WS_PATH = '/api/v1/cameras/:id/playback';

/** Query of the live socket. */
export interface LiveQuery {
  /** Main stream (full resolution) or sub stream (small tiles). Default main. */
  stream?: 'main' | 'sub';
}

/** Query of the playback socket; `start` is an ISO 8601 instant or Unix milliseconds. */
export interface PlaybackQuery {
  stream?: 'main' | 'sub';
  start: string;
  /** 1, 2, 4, 8 play every frame; 16 and above send keyframes only. Default 1. */
  speed?: number;
}

/**
 * Server -> client text frames. Binary frames follow `init` (exactly one: the init section) and
 * are media fragments until the next `init`.
 */
export type StreamServerMessage =
  | {
      type: 'init';
      /** MSE type for MediaSource.addSourceBuffer, e.g. `video/mp4; codecs="avc1.64001F"`. */
      mimeType: string;
      codecs: string[];
      width: number;
      height: number;
      stream: 'main' | 'sub';
      /** A new init (codec change, resolution change, jump to live) means a new SourceBuffer. */
      reason: 'start' | 'codec-change' | 'jump-to-live' | 'seek';
    }
  | {
      type: 'fragment';
      /** Wall-clock time of the fragment's first sample, Unix ms (also in the fragment's prft). */
      wallMs: number;
      /** Media time of the first sample in the init's timescale (the fragment's tfdt). */
      decodeTime: number;
      timescale: number;
      isKey: boolean;
    }
  | {
      /** Playback: where the first fragment starts and where to begin showing (exact start). */
      type: 'position';
      startWallMs: number;
      /** Seconds into the first fragment at which the requested time begins. */
      skipSeconds: number;
    }
  | { type: 'gap'; fromWallMs: number; toWallMs: number; cause: string }
  | { type: 'end'; reason: 'end-of-recordings' | 'camera-removed' }
  | { type: 'dropped'; gops: number; reason: 'slow-viewer' }
  | { type: 'error'; code: string; message: string };

/** Client -> server text frames. */
export type StreamClientMessage =
  { type: 'speed'; speed: number } | { type: 'seek'; start: string } | { type: 'pause' } | { type: 'resume' };

/**
 * Stable codes of `error` frames. ARGUS_ERR_STREAM_OFFLINE is informational (the socket stays open
 * and an `init` follows when the camera is back); every other error frame is followed by a close.
 */
export const StreamErrorCodes = {
  /** The camera is online but this stream has not delivered media (yet); wait. */
  STREAM_OFFLINE: 'ARGUS_ERR_STREAM_OFFLINE',
  /** The camera has no such stream (e.g. no sub stream URL). */
  STREAM_NOT_CONFIGURED: 'ARGUS_ERR_STREAM_NOT_CONFIGURED',
  /** The camera is disabled (not running): no live picture. */
  CAMERA_DISABLED: 'ARGUS_ERR_CAMERA_DISABLED',
  NOT_FOUND: 'ARGUS_ERR_NOT_FOUND',
  VALIDATION: 'ARGUS_ERR_VALIDATION',
  /** Playback: nothing is recorded at or after the requested time. */
  NO_RECORDINGS: 'ARGUS_ERR_NO_RECORDINGS',
  /** The server is shutting down or too many viewers. */
  UNAVAILABLE: 'ARGUS_ERR_MEDIA_UNAVAILABLE',
  INTERNAL: 'ARGUS_ERR_INTERNAL',
} as const;

/** WebSocket close codes the server uses (4000-4999 are application codes, RFC 6455 §7.4.2). */
export const StreamCloseCodes = {
  normal: 1000,
  goingAway: 1001,
  policy: 1008,
  error: 1011,
} as const;
