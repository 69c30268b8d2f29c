// One camera stream's live state: the current epoch (a muxer over the stream's own video
// configuration, renewed on reconnect or a parameter-set change), the access units since the latest
// key frame (references, no copy: a new viewer gets that GOP at once for a fast first frame), and
// the viewers. Fragments are written only while someone watches, once, and shared by every viewer.
import { isVideoConfig, type StreamAccessUnit, type VideoAccessUnit } from '@argus/media';
import type { StreamErrorCodes } from '@argus/api';
import type { SourceTrack, StreamState } from '../ingest/index.js';
import { LiveMuxer, type LiveFragment } from './live-muxer.js';
import type { LiveViewer } from './live-viewer.js';

export interface LiveStreamLimits {
  /** A GOP larger than this is not kept (new viewers then wait for the next key frame). Default 32 MiB. */
  maxGopBytes?: number;
  /** Most frames kept per GOP. Default 1500. */
  maxGopFrames?: number;
  /** Longest catch-up fragment for a new viewer (90 kHz). Default 1 s. */
  maxBurstFragment90k?: number;
}

const OFFLINE: (typeof StreamErrorCodes)['STREAM_OFFLINE'] = 'ARGUS_ERR_STREAM_OFFLINE';

const dtsOf = (u: StreamAccessUnit): number => {
  const au = u.accessUnit as VideoAccessUnit;
  return au.dts90k ?? au.pts90k;
};

const unitBytes = (u: StreamAccessUnit): number => {
  const au = u.accessUnit as VideoAccessUnit;
  let n = 0;
  for (const nal of au.nalus) n += nal.length + 4;
  return n;
};

export class LiveStream {
  private muxer: LiveMuxer | undefined;
  private configRef: unknown;
  private gop: StreamAccessUnit[] | undefined;
  private gopBytes = 0;
  private lastDts: number | undefined;
  private lastInterval: number | undefined;
  private state: StreamState | undefined;
  readonly viewers = new Set<LiveViewer>();
  private readonly maxGopBytes: number;
  private readonly maxGopFrames: number;
  private readonly maxBurst90k: number;

  constructor(
    readonly cameraId: number,
    readonly kind: 'main' | 'sub',
    limits: LiveStreamLimits = {},
  ) {
    this.maxGopBytes = limits.maxGopBytes ?? 32 << 20;
    this.maxGopFrames = limits.maxGopFrames ?? 1500;
    this.maxBurst90k = limits.maxBurstFragment90k ?? 90_000;
  }

  get streamState(): StreamState | undefined {
    return this.state;
  }

  /** Bytes of access units held for new viewers. */
  get heldBytes(): number {
    return this.gopBytes;
  }

  onUnit(unit: StreamAccessUnit, tracks: readonly SourceTrack[] | undefined): void {
    const au = unit.accessUnit;
    if (au.kind !== 'video' || tracks === undefined) return;
    const track = tracks.find((t) => t.trackIndex === unit.trackIndex);
    if (track === undefined || !isVideoConfig(track.config)) return;
    const dts = au.dts90k ?? au.pts90k;
    const newEpoch =
      this.muxer === undefined ||
      track.config !== this.configRef ||
      (this.lastDts !== undefined && dts < this.lastDts);
    if (newEpoch) {
      if (!au.isKey) return;
      const previous = this.muxer;
      this.muxer = new LiveMuxer(track.config, track.info.codecString, dts);
      this.configRef = track.config;
      this.lastDts = undefined;
      this.lastInterval = undefined;
      const changed =
        previous !== undefined &&
        (previous.config.codec !== track.config.codec ||
          previous.config.width !== track.config.width ||
          previous.config.height !== track.config.height);
      for (const v of this.viewers) v.setInit(this.muxer.init, changed ? 'codec-change' : 'start');
    }
    if (this.lastDts !== undefined && dts > this.lastDts) this.lastInterval = dts - this.lastDts;
    this.lastDts = dts;
    this.keep(unit);
    if (this.viewers.size === 0) return;
    const fragment = this.muxer!.fragment([unit], this.lastInterval);
    for (const v of this.viewers) v.offer(fragment);
  }

  onState(state: StreamState): void {
    this.state = state;
    if (state === 'online' || state === 'connecting') return;
    // Offline or stopped: the next connection starts a new epoch (its timestamps start afresh).
    this.muxer = undefined;
    this.configRef = undefined;
    this.dropGop();
    for (const v of this.viewers) {
      v.setInit(undefined);
      if (state === 'offline')
        v.send({ type: 'error', code: OFFLINE, message: 'The camera stream is offline; waiting for it' });
    }
  }

  /** Adds a viewer: at once the init and the GOP so far, else at the next key frame. */
  attach(viewer: LiveViewer): void {
    this.viewers.add(viewer);
    const muxer = this.muxer;
    if (muxer === undefined) {
      viewer.setInit(undefined);
      if (this.state === 'offline')
        viewer.send({
          type: 'error',
          code: OFFLINE,
          message: 'The camera stream is offline; waiting for it',
        });
      return;
    }
    if (this.gop === undefined) {
      viewer.setInit(muxer.init);
      return;
    }
    viewer.startWith(muxer.init, this.burst(), 'start');
  }

  detach(viewer: LiveViewer): void {
    this.viewers.delete(viewer);
  }

  /** The init and the latest key frame as one fragment (snapshots), if there is one. */
  latestKeyFrame(): { init: Uint8Array; fragment: Uint8Array; wallMs: number } | undefined {
    const key = this.gop?.[0];
    if (this.muxer === undefined || key === undefined) return undefined;
    const f = this.muxer.fragment([key], this.lastInterval);
    return { init: this.muxer.init.bytes, fragment: f.bytes, wallMs: f.wallMs };
  }

  /** The GOP so far as fragments of at most maxBurst90k, the first starting with the key frame. */
  private burst(): LiveFragment[] {
    const units = this.gop ?? [];
    const out: LiveFragment[] = [];
    let from = 0;
    for (let i = 1; i <= units.length; i++) {
      const end = i === units.length || dtsOf(units[i]!) - dtsOf(units[from]!) >= this.maxBurst90k;
      if (!end) continue;
      out.push(
        this.muxer!.fragment(units.slice(from, i), i === units.length ? this.lastInterval : undefined),
      );
      from = i;
    }
    return out;
  }

  private keep(unit: StreamAccessUnit): void {
    if ((unit.accessUnit as VideoAccessUnit).isKey) {
      this.gop = [];
      this.gopBytes = 0;
    }
    if (this.gop === undefined) return;
    const bytes = unitBytes(unit);
    if (this.gopBytes + bytes > this.maxGopBytes || this.gop.length >= this.maxGopFrames) {
      this.dropGop();
      return;
    }
    this.gop.push(unit);
    this.gopBytes += bytes;
  }

  private dropGop(): void {
    this.gop = undefined;
    this.gopBytes = 0;
  }
}
