// A scriptable camera source for ingest tests on a simulated clock: the test decides when a
// connection opens, fails, delivers frames (25 fps, a key picture every `gopFrames`) or goes quiet.
import type { StreamAccessUnit, TrackConfig } from '@argus/media';
import type { OpenSource, SourceHandlers, SourceTrack, StreamSource } from '../../src/ingest/index.js';

export interface FakeConnection {
  url: string;
  handlers: SourceHandlers;
  closed: boolean;
  lost: number;
  resolveReady(): void;
  rejectReady(err: Error): void;
}

export const FAKE_TRACK: SourceTrack = {
  trackIndex: 0,
  config: {
    codec: 'h264',
    sps: [new Uint8Array([0x67])],
    pps: [new Uint8Array([0x68])],
    width: 640,
    height: 360,
  } as TrackConfig,
  info: {
    kind: 'video',
    codec: 'h264',
    codecString: 'avc1.42e01e',
    width: 640,
    height: 360,
    clockRate: 90_000,
  },
  timescale: 90_000,
};

export function videoUnit(frame: number, wallTimeMs: number, gopFrames = 25, bytes = 1000): StreamAccessUnit {
  return {
    trackIndex: 0,
    info: FAKE_TRACK.info,
    wallTimeMs,
    accessUnit: {
      kind: 'video',
      codec: 'h264',
      pts90k: frame * 3600,
      isKey: frame % gopFrames === 0,
      nalus: [new Uint8Array(bytes)],
    },
  };
}

export class FakeCamera {
  readonly connections: FakeConnection[] = [];
  /** When false, new connections fail at once (camera down). */
  up = true;

  readonly open: OpenSource = (request, handlers) => {
    let resolveReady!: () => void;
    let rejectReady!: (err: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    ready.catch(() => undefined);
    const conn: FakeConnection = {
      url: request.url,
      handlers,
      closed: false,
      lost: 0,
      resolveReady,
      rejectReady,
    };
    this.connections.push(conn);
    if (!this.up) {
      const err = Object.assign(new Error('connection refused'), { code: 'ARGUS_ERR_RTSP_CONNECT' });
      queueMicrotask(() => rejectReady(err));
    } else queueMicrotask(() => resolveReady());
    const source: StreamSource = {
      ready,
      tracks: () => (conn.closed ? undefined : [FAKE_TRACK]),
      stats: () => ({ lostPackets: conn.lost, payloadBytes: 0 }),
      close: async () => {
        conn.closed = true;
      },
    };
    return source;
  };

  get current(): FakeConnection | undefined {
    const c = this.connections.at(-1);
    return c && !c.closed ? c : undefined;
  }

  /** Delivers one frame on the current connection (if any). */
  frame(unit: StreamAccessUnit): boolean {
    const c = this.current;
    if (!c) return false;
    c.handlers.onUnit(unit);
    return true;
  }

  /** The camera drops the connection. */
  drop(): void {
    const c = this.current;
    if (!c) return;
    c.closed = true;
    c.handlers.onClose(Object.assign(new Error('connection reset'), { code: 'ARGUS_ERR_RTSP_CLOSED' }));
  }
}
