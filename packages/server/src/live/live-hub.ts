// The live view of every camera stream: fed by the camera sessions (as ingest's MediaTap), it keeps
// one LiveStream per camera stream and attaches viewers to them, within a total viewer limit.
// Never throws into the ingest path: a failure is logged and the stream's epoch restarts.
import { StreamCloseCodes, type StreamErrorCodes } from '@argus/api';
import type { StreamAccessUnit } from '@argus/media';
import type { Clock, Logger } from '../base/index.js';
import type { MediaTap, SourceTrack, StreamState } from '../ingest/index.js';
import { LiveStream, type LiveStreamLimits } from './live-stream.js';
import { LiveViewer, type LiveViewerLimits, type LiveViewerStats } from './live-viewer.js';
import type { StreamTransport } from './stream-transport.js';

export interface LiveHubOptions {
  clock: Clock;
  logger: Logger;
  /** Most viewers over all cameras. Default 256. */
  maxViewers?: number;
  viewer?: LiveViewerLimits;
  stream?: LiveStreamLimits;
}

export interface LiveHubStats {
  streams: number;
  viewers: number;
  heldBytes: number;
  perViewer: Array<LiveViewerStats & { cameraId: number; stream: 'main' | 'sub' }>;
}

export interface LiveViewerHandle {
  viewer: LiveViewer;
  /** Detaches the viewer (its socket closed). */
  detach(): void;
}

const UNAVAILABLE: (typeof StreamErrorCodes)['UNAVAILABLE'] = 'ARGUS_ERR_MEDIA_UNAVAILABLE';

export class LiveHub implements MediaTap {
  private readonly streams = new Map<string, LiveStream>();
  private closed = false;

  constructor(private readonly options: LiveHubOptions) {}

  unit(
    cameraId: number,
    kind: 'main' | 'sub',
    unit: StreamAccessUnit,
    tracks: readonly SourceTrack[] | undefined,
  ): void {
    const s = this.stream(cameraId, kind);
    try {
      s.onUnit(unit, tracks);
    } catch (err) {
      this.options.logger.warn({ err, cameraId, stream: kind }, 'live view: cannot use an access unit');
      s.onState('offline');
    }
  }

  state(cameraId: number, kind: 'main' | 'sub', state: StreamState): void {
    this.stream(cameraId, kind).onState(state);
  }

  stopped(cameraId: number): void {
    for (const kind of ['main', 'sub'] as const) {
      const key = `${cameraId}:${kind}`;
      const s = this.streams.get(key);
      if (s === undefined) continue;
      this.streams.delete(key);
      for (const v of s.viewers) {
        v.send({ type: 'end', reason: 'camera-removed' });
        v.close(StreamCloseCodes.normal, 'camera stopped');
      }
    }
  }

  /** Attaches a viewer of one camera stream; null (and an error frame) when the limit is reached. */
  attach(cameraId: number, kind: 'main' | 'sub', transport: StreamTransport): LiveViewerHandle | null {
    const viewer = new LiveViewer(transport, kind, this.options.clock, this.options.viewer);
    if (this.closed || this.viewerCount() >= (this.options.maxViewers ?? 256)) {
      viewer.send({ type: 'error', code: UNAVAILABLE, message: 'Too many live viewers; try again later' });
      viewer.close(StreamCloseCodes.goingAway, 'too many viewers');
      return null;
    }
    const s = this.stream(cameraId, kind);
    s.attach(viewer);
    return {
      viewer,
      detach: () => {
        s.detach(viewer);
        viewer.close(StreamCloseCodes.normal, 'bye');
      },
    };
  }

  /** Init + latest key frame of a camera stream (snapshots). */
  latestKeyFrame(
    cameraId: number,
    kind: 'main' | 'sub',
  ): { init: Uint8Array; fragment: Uint8Array; wallMs: number } | undefined {
    return this.streams.get(`${cameraId}:${kind}`)?.latestKeyFrame();
  }

  stats(): LiveHubStats {
    const perViewer: LiveHubStats['perViewer'] = [];
    let heldBytes = 0;
    for (const s of this.streams.values()) {
      heldBytes += s.heldBytes;
      for (const v of s.viewers) perViewer.push({ ...v.snapshot(), cameraId: s.cameraId, stream: s.kind });
    }
    return { streams: this.streams.size, viewers: perViewer.length, heldBytes, perViewer };
  }

  /** Server shutdown: every viewer is closed with 'going away'. */
  close(): void {
    this.closed = true;
    for (const s of this.streams.values())
      for (const v of s.viewers) v.close(StreamCloseCodes.goingAway, 'server shutting down');
    this.streams.clear();
  }

  private viewerCount(): number {
    let n = 0;
    for (const s of this.streams.values()) n += s.viewers.size;
    return n;
  }

  private stream(cameraId: number, kind: 'main' | 'sub'): LiveStream {
    const key = `${cameraId}:${kind}`;
    let s = this.streams.get(key);
    if (s === undefined) {
      s = new LiveStream(cameraId, kind, this.options.stream);
      this.streams.set(key, s);
    }
    return s;
  }
}
