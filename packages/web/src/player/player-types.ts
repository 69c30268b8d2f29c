// The MSE player's public shape: options, controls and the counters a tile, the tests and the
// benchmarks read (also mirrored as data-* attributes on the video element).
import type { StreamClientMessage, StreamServerMessage } from '@argus/api';
import type { VideoState } from '../messages.js';

export interface PlayerStats {
  fragments: number;
  bytes: number;
  framesPresented: number;
  latencyP50Ms: number | undefined;
  latencyP95Ms: number | undefined;
  reconnects: number;
  /** Media errors of the element or the SourceBuffer; a healthy player has none. */
  mseErrors: number;
  droppedGops: number;
  skippedFragments: number;
  protocolErrors: number;
  lastError: string | undefined;
}

export interface MsePlayerOptions {
  video: HTMLVideoElement;
  mode: 'live' | 'playback';
  /** The socket address, asked again on every reconnect (playback resumes where it was). */
  url: () => string;
  onState?: (state: VideoState, detail?: string) => void;
  onMessage?: (message: StreamServerMessage) => void;
  /** Every presented frame with its wall time (the readout then matches the picture exactly). */
  onFrame?: (wallMs: number) => void;
  /** Seconds kept behind the play position; older media is removed from the buffer. */
  keepBehindS?: number;
  now?: () => number;
  random?: () => number;
  createSocket?: (url: string) => WebSocket;
}

export interface MsePlayer {
  readonly stats: PlayerStats;
  /** Wall time of the picture at the play position; undefined until the first fragment. */
  wallTimeNow(): number | undefined;
  send(message: StreamClientMessage): void;
  setSpeed(speed: number): void;
  pause(): void;
  resume(): void;
  /** Playback: play from this wall time (a `seek` on the open socket, else a new socket). */
  seek(startMs: number): void;
  close(): void;
}

export const emptyStats = (): PlayerStats => ({
  fragments: 0,
  bytes: 0,
  framesPresented: 0,
  latencyP50Ms: undefined,
  latencyP95Ms: undefined,
  reconnects: 0,
  mseErrors: 0,
  droppedGops: 0,
  skippedFragments: 0,
  protocolErrors: 0,
  lastError: undefined,
});

/** data-fragments, data-frames, data-mse-errors, data-reconnects, data-latency-p50-ms, data-wall-ms */
export function publishStats(video: HTMLVideoElement, stats: PlayerStats, wallMs: number | undefined): void {
  video.dataset['fragments'] = String(stats.fragments);
  video.dataset['frames'] = String(stats.framesPresented);
  video.dataset['mseErrors'] = String(stats.mseErrors);
  video.dataset['reconnects'] = String(stats.reconnects);
  if (stats.latencyP50Ms !== undefined)
    video.dataset['latencyP50Ms'] = String(Math.round(stats.latencyP50Ms));
  if (wallMs !== undefined) video.dataset['wallMs'] = String(Math.round(wallMs));
}
