// A live RTSP source as timed access units: RtspClient (RFC 2326) sets up every track Argus can
// depacketize (H.264, H.265, AAC, G.711; others are listed as skipped), one MediaTrackPipeline per
// track turns RTP/RTCP into units with DTS and wall time, and a timer drains the UDP reorder window.
import { EventEmitter } from 'node:events';
import { MediaError } from '../media-error.js';
import type { TrackConfig } from '../mp4/index.js';
import {
  ERR_RTSP_PROTOCOL,
  RtspClient,
  rtspTimers,
  type RtspClock,
  type RtspPacket,
  type RtspTimers,
} from '../rtsp/index.js';
import type { SdpMediaType } from '../sdp/index.js';
import { ERR_STREAM_NO_TRACKS, ERR_STREAM_STATE } from './stream-errors.js';
import { MediaTrackPipeline, type StreamAccessUnit } from './track-pipeline.js';
import type { StreamTrackInfo } from './track-config.js';

export interface OpenRtspStreamOptions {
  /** Override the URL's credentials; never logged or put in errors. */
  user?: string;
  password?: string;
  /** Default 'tcp' (interleaved). */
  transport?: 'tcp' | 'udp';
  /** Timeout of each RTSP step (connect, each request). Default 10 000 ms. */
  timeoutMs?: number;
  /** After PLAY, this long without a packet ends the stream (ARGUS_ERR_RTSP_TIMEOUT). Default 10 000 ms. */
  dataTimeoutMs?: number;
  signal?: AbortSignal;
  clock?: RtspClock;
  /** UDP only: packets held to restore order (default 64) and longest hold (default 150 ms). */
  reorderWindow?: number;
  reorderHoldMs?: number;
  /** Diagnostic lines without credentials. */
  log?: (message: string) => void;
}

export interface StreamTrack {
  trackIndex: number;
  mediaType: SdpMediaType;
  encodingName: string;
  /** 'active' tracks are set up and emit units; the others are listed with the reason. */
  status: 'active' | 'skipped';
  skipReason?: string;
  /** Present for active tracks. */
  pipeline?: MediaTrackPipeline;
}

export interface RtspStreamStats {
  packets: number;
  bytes: number;
  lost: number;
  accessUnits: number;
  droppedAccessUnits: number;
  /** Payload bit/s summed over tracks, measured on packet arrival. */
  bitrate: number;
}

/**
 * Marks an 'accessUnit' listener that keeps nothing of a unit once it returns (it copies what it
 * needs, as recordToFmp4 does). While every listener is marked, the stream reuses the memory of
 * delivered units for the next ones instead of allocating new memory for every picture.
 */
export const COPIES_ACCESS_UNITS: unique symbol = Symbol('argus.copiesAccessUnits');

interface CopyingListener {
  [COPIES_ACCESS_UNITS]?: boolean;
}

export interface RtspMediaStreamEvents {
  accessUnit: [StreamAccessUnit];
  /** A track's MP4 configuration became known (changed = false) or its parameter sets changed. */
  config: [MediaTrackPipeline, boolean];
  /** Every active track sent RTCP BYE: the source ended; the stream closes. */
  end: [];
  /** The stream is over: undefined after close() or BYE, else the error that ended it. */
  close: [MediaError | undefined];
}

export class RtspMediaStream extends EventEmitter<RtspMediaStreamEvents> {
  /** Resolves with the track list once PLAY succeeded; rejects with the MediaError that stopped it. */
  readonly ready: Promise<StreamTrack[]>;
  /** Resolves when the stream is over, with the error that ended it, if any. */
  readonly closed: Promise<MediaError | undefined>;
  private readonly client: RtspClient;
  private readonly timers: RtspTimers;
  private readonly byIndex: (MediaTrackPipeline | undefined)[] = [];
  private trackList: StreamTrack[] = [];
  private flushTimer: unknown;
  private finished = false;
  private resolveClosed!: (err: MediaError | undefined) => void;
  private readonly reorderHoldMs: number;

  constructor(
    url: string,
    private readonly options: OpenRtspStreamOptions = {},
  ) {
    super();
    this.timers = rtspTimers(options.clock);
    this.reorderHoldMs = options.reorderHoldMs ?? 150;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    const clientOptions: ConstructorParameters<typeof RtspClient>[0] = {
      url,
      transport: options.transport ?? 'tcp',
      timeoutMs: options.timeoutMs ?? 10_000,
      dataTimeoutMs: options.dataTimeoutMs ?? 10_000,
      onPacket: (packet) => this.onPacket(packet),
      // Over TCP, packets are views of the connection's reused read buffer: the pipelines copy what
      // they keep (no socket read or packet buffer outlives its handler).
      transientPackets: (options.transport ?? 'tcp') === 'tcp',
      receiverReportBlocks: (i) => this.byIndex[i]?.reportBlock(this.timers.nowMs()),
    };
    for (const key of ['user', 'password', 'signal', 'clock', 'log'] as const) {
      if (options[key] !== undefined) Object.assign(clientOptions, { [key]: options[key] });
    }
    this.client = new RtspClient(clientOptions);
    this.client.on('close', (err) => this.finish(err));
    this.ready = this.run();
    this.ready.catch(() => undefined); // failures also arrive through 'close' and closed
  }

  /** Every SDP track, active or skipped, in SDP order (empty before DESCRIBE). */
  get tracks(): readonly StreamTrack[] {
    return this.trackList;
  }

  get activeTracks(): MediaTrackPipeline[] {
    return this.byIndex.filter((p): p is MediaTrackPipeline => p !== undefined);
  }

  /** The URL in use after redirects, without credentials. */
  get url(): string {
    return this.client.currentUrl;
  }

  get isClosed(): boolean {
    return this.finished;
  }

  get stats(): RtspStreamStats {
    const out: RtspStreamStats = {
      packets: 0,
      bytes: 0,
      lost: 0,
      accessUnits: 0,
      droppedAccessUnits: 0,
      bitrate: 0,
    };
    for (const p of this.activeTracks) {
      out.packets += p.stats.packets;
      out.bytes += p.stats.bytes;
      out.lost += p.stats.lost;
      out.accessUnits += p.stats.accessUnits;
      out.droppedAccessUnits += p.stats.droppedAccessUnits;
      out.bitrate += p.measuredBitrate ?? 0;
    }
    return out;
  }

  private async run(): Promise<StreamTrack[]> {
    const sdp = await this.client.describe();
    const reorderWindow = this.options.transport === 'udp' ? (this.options.reorderWindow ?? 64) : 0;
    this.trackList = sdp.tracks.map((t, trackIndex): StreamTrack => {
      const base = { trackIndex, mediaType: t.mediaType, encodingName: t.encodingName };
      if (t.mediaType === 'application') return { ...base, status: 'skipped', skipReason: 'metadata track' };
      try {
        const pipeline = new MediaTrackPipeline({
          trackIndex,
          track: t,
          reorderWindow,
          transientPackets: this.options.transport !== 'udp',
          onAccessUnit: (unit) => this.emit('accessUnit', unit),
          releasesUnits: () => this.unitsReleased(),
          onConfig: (p, changed) => this.emit('config', p, changed),
        });
        this.byIndex[trackIndex] = pipeline;
        return { ...base, status: 'active', pipeline };
      } catch (err) {
        if (!(err instanceof MediaError)) throw err;
        return { ...base, status: 'skipped', skipReason: err.message };
      }
    });
    const indices = this.activeTracks.map((p) => p.trackIndex);
    if (indices.length === 0) {
      const err = new MediaError(ERR_STREAM_NO_TRACKS, 'the stream has no H.264, H.265, AAC or G.711 track');
      await this.client.close();
      this.finish(err);
      throw err;
    }
    const play = await this.client.play({ trackIndices: indices });
    const now = this.timers.nowMs();
    for (const entry of play.rtpInfo) {
      if (entry.trackIndex !== undefined && entry.rtptime !== undefined)
        this.byIndex[entry.trackIndex]?.setPlayAnchor(entry.rtptime, now);
    }
    if (reorderWindow > 0) this.scheduleFlush();
    return this.trackList;
  }

  /** True while every 'accessUnit' listener is marked COPIES_ACCESS_UNITS (keeps nothing of a unit). */
  private unitsReleased(): boolean {
    for (const listener of this.rawListeners('accessUnit')) {
      if ((listener as CopyingListener)[COPIES_ACCESS_UNITS] !== true) return false;
    }
    return true;
  }

  private onPacket(packet: RtspPacket): void {
    const pipeline = this.byIndex[packet.trackIndex];
    if (pipeline === undefined || this.finished) return;
    try {
      if (packet.channel === 'rtp') pipeline.pushRtp(packet.data, packet.receivedAtMs);
      else {
        pipeline.pushRtcp(packet.data, packet.receivedAtMs);
        if (pipeline.stats.byeReceived && this.activeTracks.every((p) => p.stats.byeReceived)) {
          this.emit('end');
          void this.close();
        }
      }
    } catch (err) {
      // A consumer's handler threw: stop the stream rather than the RTSP client's socket handler.
      const error =
        err instanceof MediaError
          ? err
          : new MediaError(ERR_RTSP_PROTOCOL, 'stream consumer failed', { cause: err });
      this.finish(error);
    }
  }

  private scheduleFlush(): void {
    const period = Math.max(10, this.reorderHoldMs / 2);
    this.flushTimer = this.timers.set(() => {
      if (this.finished) return;
      const now = this.timers.nowMs();
      try {
        for (const p of this.activeTracks) p.flushReorder(now, this.reorderHoldMs);
      } catch (err) {
        this.finish(
          err instanceof MediaError ? err : new MediaError(ERR_STREAM_STATE, 'stream consumer failed'),
        );
        return;
      }
      this.scheduleFlush();
    }, period);
  }

  /** TEARDOWN and close; units still being assembled are emitted first. Idempotent. */
  async close(): Promise<void> {
    if (this.finished) return;
    this.drainPipelines();
    await this.client.close();
    this.finish(undefined);
  }

  private drainPipelines(): void {
    const now = this.timers.nowMs();
    for (const p of this.activeTracks) {
      try {
        p.end(now);
      } catch {
        // a consumer failure while closing is reported by the consumer itself
      }
    }
  }

  private finish(err: MediaError | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.timers.clear(this.flushTimer);
    if (err !== undefined) void this.client.close();
    this.emit('close', err);
    this.resolveClosed(err);
  }
}

/** Opens an RTSP source: connecting starts now; listen for 'accessUnit' and await `ready`. */
export function openRtspStream(url: string, options: OpenRtspStreamOptions = {}): RtspMediaStream {
  return new RtspMediaStream(url, options);
}

/** The MP4 track configurations of the active tracks, or undefined while a video one is unknown. */
export function streamTrackConfigs(
  stream: RtspMediaStream,
): Array<{ trackIndex: number; config: TrackConfig; info: StreamTrackInfo; timescale: number }> | undefined {
  const out = [];
  for (const p of stream.activeTracks) {
    if (p.config === undefined) return undefined;
    out.push({ trackIndex: p.trackIndex, config: p.config, info: p.info, timescale: p.timescale });
  }
  return out;
}
