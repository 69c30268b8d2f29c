// The recording nucleus: timed access units of several tracks in, one self-describing fragmented
// MP4 out (ISO/IEC 14496-12 §8.8: init, then moof+mdat fragments with prft wall clock). The file
// starts at a key picture of the primary (first video) track; other tracks join at the same wall
// time. Fragments close at each key picture and at least every fragmentDurationMs (long GOPs split).
import { MediaError } from '../media-error.js';
import {
  Fmp4Segmenter,
  isVideoConfig,
  writeFmp4Init,
  type FragmentTrackSummary,
  type Mp4TrackSpec,
  type SegmenterSample,
  type TrackConfig,
  type VideoTrackConfig,
} from '../mp4/index.js';
import type { Fmp4Sink } from './fmp4-sink.js';
import { SampleStore, type SampleBlock } from './sample-store.js';
import { ERR_STREAM_STATE, ERR_STREAM_WRITE } from './stream-errors.js';
import { parameterSetType } from './track-config.js';
import type { StreamAccessUnit } from './track-pipeline.js';

export interface RecordingTrackInput {
  trackIndex: number;
  config: TrackConfig;
  /** Ticks per second of the unit times: 90000 for video, the RTP clock rate for audio. */
  timescale: number;
}

export interface Fmp4RecordingOptions {
  /** Longest fragment; fragments also close at every key picture of the primary track. Default 1000. */
  fragmentDurationMs?: number;
  /** 'end' (default): fsync once when finishing; 'fragment': after every fragment; 'none'. */
  fsync?: 'none' | 'end' | 'fragment';
  /** Bytes queued for the sink beyond which push() fails with ARGUS_ERR_STREAM_WRITE. Default 64 MiB. */
  maxPendingBytes?: number;
  /** Stop accepting units once the primary track reaches this file time (exact-length files). */
  maxDurationMs?: number;
  /** Written in mvhd/tkhd/mdhd; default 0 keeps files reproducible. */
  creationTimeMs?: number;
}

export interface RecordingTrackSummary {
  trackIndex: number;
  trackId: number;
  codec: TrackConfig['codec'];
  timescale: number;
  samples: number;
  /** File decode time after the last sample (its duration included once finished). */
  durationTicks: number;
}

export interface RecordingSummary {
  bytesWritten: number;
  fragments: number;
  tracks: RecordingTrackSummary[];
  /** Wall time (Unix ms) of the first primary sample's presentation, if anything was written. */
  startWallTimeMs?: number;
  /** Primary track duration in milliseconds. */
  durationMs: number;
  /** Units not written: before the start, before a track's first key, or after maxDurationMs. */
  skippedUnits: number;
}

interface TrackState {
  input: RecordingTrackInput;
  trackId: number;
  isVideo: boolean;
  origin: number | undefined;
  samples: number;
  lastDts: number;
  lastDuration: number;
  /** Store blocks of the samples queued in the segmenter, oldest first. */
  queued: SampleBlock[];
}

export class Fmp4RecordingWriter {
  private readonly segmenter: Fmp4Segmenter;
  /** Queued samples are copies in recycled memory, so the units themselves are not kept. */
  private readonly store = new SampleStore();
  private readonly states = new Map<number, TrackState>();
  private readonly primary: TrackState;
  private readonly fragmentTicks: number;
  private readonly maxDurationTicks: number;
  private readonly maxPendingBytes: number;
  private readonly fsync: 'none' | 'end' | 'fragment';
  private startWallMs: number | undefined;
  /** File time (seconds) at which the primary's first picture is presented (its composition offset). */
  private startPresentationSec = 0;
  private fragmentWallMs = 0;
  private pendingBytes = 0;
  private written = 0;
  private fragments = 0;
  private skipped = 0;
  private chain: Promise<void> = Promise.resolve();
  private writeError: MediaError | undefined;
  private finished = false;
  private full = false;

  constructor(
    tracks: readonly RecordingTrackInput[],
    private readonly sink: Fmp4Sink,
    options: Fmp4RecordingOptions = {},
  ) {
    if (tracks.length === 0) throw new MediaError(ERR_STREAM_STATE, 'a recording needs at least one track');
    const specs: Mp4TrackSpec[] = [];
    tracks.forEach((input, i) => {
      const state: TrackState = {
        input,
        trackId: i + 1,
        isVideo: isVideoConfig(input.config),
        origin: undefined,
        samples: 0,
        lastDts: 0,
        lastDuration: 0,
        queued: [],
      };
      this.states.set(input.trackIndex, state);
      specs.push({ trackId: state.trackId, config: input.config, timescale: input.timescale });
    });
    const states = [...this.states.values()];
    this.primary = states.find((s) => s.isVideo) ?? states[0]!;
    const ts = this.primary.input.timescale;
    this.fragmentTicks = Math.max(1, Math.round(((options.fragmentDurationMs ?? 1000) * ts) / 1000));
    this.maxDurationTicks =
      options.maxDurationMs === undefined ? Infinity : Math.round((options.maxDurationMs * ts) / 1000);
    this.maxPendingBytes = options.maxPendingBytes ?? 64 * 1024 * 1024;
    this.fsync = options.fsync ?? 'end';
    this.segmenter = new Fmp4Segmenter({ tracks: specs });
    const init = writeFmp4Init({ tracks: specs, creationTimeMs: options.creationTimeMs ?? 0 });
    this.enqueue(init, init.length);
  }

  /** True once maxDurationMs is reached: later units are skipped; call finish(). */
  get isFull(): boolean {
    return this.full;
  }

  get bytesWritten(): number {
    return this.written;
  }

  /** Bytes handed to the sink and not yet written. */
  get bytesPending(): number {
    return this.pendingBytes;
  }

  /** Adds one unit (any order across tracks, decode order within one). Units of other tracks are ignored. */
  push(unit: StreamAccessUnit): void {
    if (this.writeError) throw this.writeError;
    if (this.finished) throw new MediaError(ERR_STREAM_STATE, 'the recording is finished');
    const st = this.states.get(unit.trackIndex);
    if (st === undefined) return;
    const au = unit.accessUnit;
    const pts = au.kind === 'video' ? au.pts90k : au.ptsTicks;
    const dts = au.kind === 'video' ? (au.dts90k ?? au.pts90k) : au.ptsTicks;
    const isKey = au.kind === 'video' ? au.isKey : true;
    const ts = st.input.timescale;
    if (st.origin === undefined) {
      if (!isKey || this.full) return this.skip();
      if (this.startWallMs === undefined) {
        if (st !== this.primary) return this.skip();
        this.startWallMs = unit.wallTimeMs;
        this.startPresentationSec = (pts - dts) / ts;
        st.origin = dts;
        this.fragmentWallMs = unit.wallTimeMs - ((pts - dts) * 1000) / ts;
      } else {
        // Join at the same wall time: this unit's file presentation time follows from its wall time.
        const fileSec = this.startPresentationSec + (unit.wallTimeMs - this.startWallMs) / 1000;
        const origin = pts - Math.round(fileSec * ts);
        if (!Number.isFinite(origin) || dts < origin) return this.skip();
        st.origin = origin;
      }
    }
    const fileDts = dts - st.origin;
    if (st === this.primary && fileDts >= this.maxDurationTicks) this.full = true;
    if (this.full) return this.skip();
    const stored =
      au.kind === 'audio'
        ? this.store.storeData(au.data)
        : this.store.storeNalus(isKey ? withoutEntryParameterSets(au.nalus, st.input.config) : au.nalus);
    const sample: SegmenterSample = {
      dtsTicks: fileDts,
      ptsTicks: pts - st.origin,
      isKey,
      data: stored.data,
    };
    try {
      this.segmenter.push(st.trackId, sample);
    } catch (err) {
      this.store.release(stored.block);
      throw err;
    }
    st.queued.push(stored.block);
    if (st.samples > 0) st.lastDuration = fileDts - st.lastDts;
    st.samples++;
    st.lastDts = fileDts;
    if (st !== this.primary) return;
    const dtsWallMs = unit.wallTimeMs - ((pts - dts) * 1000) / ts;
    if (
      (isKey && st.isVideo && this.segmenter.queuedSampleCount(st.trackId) > 1) ||
      this.segmenter.queuedDurationTicks(st.trackId) >= this.fragmentTicks
    ) {
      this.flush(false);
      this.fragmentWallMs = dtsWallMs;
    }
  }

  /** Writes what is queued (the newest sample of each track gets its predecessor's duration). */
  async finish(): Promise<RecordingSummary> {
    if (!this.finished) {
      this.finished = true;
      if (!this.writeError) this.flush(true);
      await this.chain;
      if (!this.writeError && this.fsync !== 'none' && this.sink.sync) {
        await this.sink.sync().catch((err: unknown) => this.recordError(err));
      }
    } else {
      await this.chain;
    }
    if (this.writeError) throw this.writeError;
    return this.summary();
  }

  summary(): RecordingSummary {
    const tracks: RecordingTrackSummary[] = [];
    for (const st of this.states.values()) {
      tracks.push({
        trackIndex: st.input.trackIndex,
        trackId: st.trackId,
        codec: st.input.config.codec,
        timescale: st.input.timescale,
        samples: st.samples,
        durationTicks: st.samples === 0 ? 0 : st.lastDts + (this.finished ? st.lastDuration : 0),
      });
    }
    const p = tracks.find((t) => t.trackId === this.primary.trackId)!;
    const out: RecordingSummary = {
      bytesWritten: this.written,
      fragments: this.fragments,
      tracks,
      durationMs: (p.durationTicks * 1000) / p.timescale,
      skippedUnits: this.skipped,
    };
    if (this.startWallMs !== undefined) out.startWallTimeMs = this.startWallMs;
    return out;
  }

  private skip(): void {
    this.skipped++;
  }

  private flush(last: boolean): void {
    const wallClock = { trackId: this.primary.trackId, unixMs: this.fragmentWallMs };
    const withClock = this.segmenter.queuedSampleCount(this.primary.trackId) > (last ? 0 : 1);
    const options = {
      ...(last ? { lastDurations: 'repeat-previous' as const } : {}),
      ...(withClock ? { wallClock } : {}),
    };
    if (this.sink.writev) {
      // Vectored: the stored samples go to the sink as they are; their blocks are reused once written.
      const fragment = this.segmenter.flushParts(options);
      if (fragment === null) return;
      this.fragments++;
      const written = this.dequeueBlocks(fragment.tracks);
      this.enqueue(fragment.parts, fragment.byteLength, () => this.releaseBlocks(written));
    } else {
      const fragment = this.segmenter.flush(options);
      if (fragment === null) return;
      this.fragments++;
      this.releaseBlocks(this.dequeueBlocks(fragment.tracks)); // copied into fragment.bytes
      this.enqueue(fragment.bytes, fragment.bytes.length);
    }
    if (this.fsync === 'fragment' && this.sink.sync) {
      const sink = this.sink;
      this.chain = this.chain
        .then(() => (this.writeError ? undefined : sink.sync!()))
        .catch((e: unknown) => this.recordError(e));
    }
  }

  /** The store blocks of the samples a fragment took, per track in queue order. */
  private dequeueBlocks(tracks: readonly FragmentTrackSummary[]): SampleBlock[] {
    const out: SampleBlock[] = [];
    for (const t of tracks) {
      for (const st of this.states.values()) {
        if (st.trackId === t.trackId) for (const b of st.queued.splice(0, t.sampleCount)) out.push(b);
      }
    }
    return out;
  }

  private releaseBlocks(blocks: readonly SampleBlock[]): void {
    for (const b of blocks) this.store.release(b);
  }

  /**
   * Queues one buffer, or the pieces of one vectored write (only with a writev sink); `done` runs
   * once the write is over, whatever its outcome.
   */
  private enqueue(bytes: Uint8Array | Uint8Array[], byteLength: number, done?: () => void): void {
    if (this.pendingBytes + byteLength > this.maxPendingBytes) {
      this.recordError(
        new MediaError(ERR_STREAM_WRITE, `recording sink is ${this.pendingBytes} bytes behind; giving up`),
      );
      throw this.writeError;
    }
    this.pendingBytes += byteLength;
    this.chain = this.chain
      .then(async () => {
        if (this.writeError) return;
        await (Array.isArray(bytes) ? this.sink.writev!(bytes) : this.sink.write(bytes));
        this.written += byteLength;
      })
      .catch((err: unknown) => this.recordError(err))
      .finally(() => {
        this.pendingBytes -= byteLength;
        done?.();
      });
  }

  private recordError(err: unknown): void {
    this.writeError ??=
      err instanceof MediaError
        ? err
        : new MediaError(ERR_STREAM_WRITE, 'recording write failed', { cause: err });
  }
}

/** A key picture's NAL units without the parameter sets already in the sample entry (hvc1/avc1). */
function withoutEntryParameterSets(nalus: readonly Uint8Array[], config: TrackConfig): readonly Uint8Array[] {
  if (!isVideoConfig(config)) return nalus;
  let kept: Uint8Array[] | undefined;
  for (let i = 0; i < nalus.length; i++) {
    const nal = nalus[i]!;
    const inEntry = parameterSetType(config.codec, nal) >= 0 && isInConfig(config, nal);
    if (inEntry && kept === undefined) kept = nalus.slice(0, i);
    else if (!inEntry && kept !== undefined) kept.push(nal);
  }
  return kept ?? nalus;
}

function isInConfig(config: VideoTrackConfig, nal: Uint8Array): boolean {
  const sets = config.codec === 'h264' ? [config.sps, config.pps] : [config.vps, config.sps, config.pps];
  for (const list of sets) {
    for (const known of list) {
      if (known.length !== nal.length) continue;
      let same = true;
      for (let i = 0; i < nal.length && same; i++) same = known[i] === nal[i];
      if (same) return true;
    }
  }
  return false;
}
