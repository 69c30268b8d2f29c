// Turns a stream of access units into movie fragments for a recording or a live feed. A sample's
// duration is the next sample's dts minus its own (ISO/IEC 14496-12 §8.8.8 trun), so the newest
// sample of each track is held back until its successor arrives or the caller states its duration.
import { ByteWriter } from '../bytes/byte-writer.js';
import type { AccessUnit } from '../access-unit.js';
import { MediaError } from '../media-error.js';
import {
  unixMsToNtp64,
  writeMediaFragment,
  writeMediaFragmentParts,
  type FragmentSample,
  type FragmentTrack,
  type MediaFragmentInput,
  type ProducerReferenceTime,
} from './fmp4-fragment-writer.js';
import { ARGUS_ERR_MP4_BAD_SAMPLES } from './mp4-error-codes.js';
import { checkTracks } from './fmp4-init-writer.js';
import { trackTimescale, type Mp4TrackSpec } from './mp4-track-config.js';

/** A sample to queue: times in the track's timescale. */
export interface SegmenterSample {
  dtsTicks: number;
  ptsTicks: number;
  isKey: boolean;
  nalus?: readonly Uint8Array[];
  data?: Uint8Array;
}

export interface Fmp4SegmenterOptions {
  tracks: readonly Mp4TrackSpec[];
  /** mfhd sequence number of the first fragment; default 1. */
  firstSequenceNumber?: number;
  /**
   * Per-track decode time written as tfdt 0 (e.g. the run's first dts on a shared clock), so files
   * start near zero; default 0 (times written as given). Samples before it are refused.
   */
  decodeTimeOriginTicks?: ReadonlyMap<number, number>;
}

export interface FlushOptions {
  /**
   * Durations of each track's held (newest) sample, to close a file: a map of trackId to ticks, or
   * 'repeat-previous' to reuse the sample's predecessor's duration. Without it they stay queued.
   */
  lastDurations?: ReadonlyMap<number, number> | 'repeat-previous';
  /** Wall-clock anchor written as prft before the moof. */
  /** mediaTimeTicks is in file time (after the origin shift); default: the track's tfdt here. */
  wallClock?: { trackId: number; unixMs: number; mediaTimeTicks?: number; flags?: number };
}

export interface FragmentTrackSummary {
  trackId: number;
  baseDecodeTimeTicks: number;
  durationTicks: number;
  sampleCount: number;
  startsWithKey: boolean;
}

export interface Fmp4Fragment {
  bytes: Uint8Array;
  sequenceNumber: number;
  tracks: FragmentTrackSummary[];
}

/** A fragment as pieces of one vectored write (see writeMediaFragmentParts). */
export interface Fmp4FragmentParts {
  parts: Uint8Array[];
  byteLength: number;
  sequenceNumber: number;
  tracks: FragmentTrackSummary[];
}

interface QueuedSample extends FragmentSample {
  dts: number;
}

interface TrackState {
  trackId: number;
  timescale: number;
  origin: number;
  queue: QueuedSample[];
  lastDts: number | undefined;
  lastDuration: number;
}

export class Fmp4Segmenter {
  private readonly tracks = new Map<number, TrackState>();
  private readonly scratch = new ByteWriter(4096);
  private sequence: number;

  constructor(options: Fmp4SegmenterOptions) {
    checkTracks(options.tracks);
    for (const t of options.tracks) {
      this.tracks.set(t.trackId, {
        trackId: t.trackId,
        timescale: trackTimescale(t),
        origin: options.decodeTimeOriginTicks?.get(t.trackId) ?? 0,
        queue: [],
        lastDts: undefined,
        lastDuration: 0,
      });
    }
    this.sequence = options.firstSequenceNumber ?? 1;
  }

  /** Sequence number the next fragment will carry. */
  get nextSequenceNumber(): number {
    return this.sequence;
  }

  private state(trackId: number): TrackState {
    const s = this.tracks.get(trackId);
    if (s === undefined) throw new MediaError(ARGUS_ERR_MP4_BAD_SAMPLES, `unknown track ${trackId}`);
    return s;
  }

  /** Queues a sample; decode times must not go backwards within a track. */
  push(trackId: number, sample: SegmenterSample): void {
    const st = this.state(trackId);
    const { dtsTicks, ptsTicks } = sample;
    if (!Number.isSafeInteger(dtsTicks) || !Number.isSafeInteger(ptsTicks)) {
      throw new MediaError(ARGUS_ERR_MP4_BAD_SAMPLES, `track ${trackId}: non-integer time`);
    }
    if (dtsTicks < st.origin) {
      throw new MediaError(ARGUS_ERR_MP4_BAD_SAMPLES, `track ${trackId}: dts before the decode origin`);
    }
    if (st.lastDts !== undefined && dtsTicks < st.lastDts) {
      throw new MediaError(ARGUS_ERR_MP4_BAD_SAMPLES, `track ${trackId}: dts went backwards`);
    }
    const prev = st.queue[st.queue.length - 1];
    if (prev !== undefined) {
      prev.durationTicks = dtsTicks - prev.dts;
      st.lastDuration = prev.durationTicks;
    }
    st.lastDts = dtsTicks;
    const q: QueuedSample = {
      dts: dtsTicks,
      durationTicks: -1,
      compositionOffsetTicks: ptsTicks - dtsTicks,
      isKey: sample.isKey,
    };
    if (sample.nalus !== undefined) q.nalus = sample.nalus;
    else if (sample.data !== undefined) q.data = sample.data;
    else throw new MediaError(ARGUS_ERR_MP4_BAD_SAMPLES, 'a sample needs nalus or data');
    st.queue.push(q);
  }

  /** Queues an access unit: video times are 90 kHz, audio times are rescaled to the track. */
  pushAccessUnit(trackId: number, au: AccessUnit): void {
    if (au.kind === 'video') {
      const ts = this.state(trackId).timescale;
      const scale = (t: number): number => (ts === 90_000 ? t : Math.round((t * ts) / 90_000));
      const pts = scale(au.pts90k);
      this.push(trackId, {
        dtsTicks: scale(au.dts90k ?? au.pts90k),
        ptsTicks: pts,
        isKey: au.isKey,
        nalus: au.nalus,
      });
    } else {
      const ts = this.state(trackId).timescale;
      const t = au.clockRate === ts ? au.ptsTicks : Math.round((au.ptsTicks * ts) / au.clockRate);
      this.push(trackId, { dtsTicks: t, ptsTicks: t, isKey: true, data: au.data });
    }
  }

  /** Ticks of queued samples whose duration is already known (what a flush would write). */
  queuedDurationTicks(trackId: number): number {
    let n = 0;
    for (const s of this.state(trackId).queue) if (s.durationTicks >= 0) n += s.durationTicks;
    return n;
  }

  /** Number of queued samples, the held one included. */
  queuedSampleCount(trackId: number): number {
    return this.state(trackId).queue.length;
  }

  /**
   * Writes every queued sample whose duration is known as one fragment (all tracks together), or
   * returns null when there is none. Held samples stay queued for the next flush.
   */
  flush(options: FlushOptions = {}): Fmp4Fragment | null {
    const next = this.take(options);
    if (next === null) return null;
    const bytes = writeMediaFragment(next.input, this.scratch);
    return { bytes, sequenceNumber: next.input.sequenceNumber, tracks: next.summaries };
  }

  /**
   * As flush(), but the fragment comes as pieces for one vectored write (fs.writev) and sample
   * bytes are not copied: the queued NAL units and frames must stay unchanged until written.
   */
  flushParts(options: FlushOptions = {}): Fmp4FragmentParts | null {
    const next = this.take(options);
    if (next === null) return null;
    const { parts, byteLength } = writeMediaFragmentParts(next.input, this.scratch);
    return { parts, byteLength, sequenceNumber: next.input.sequenceNumber, tracks: next.summaries };
  }

  /** Dequeues what the next fragment holds and numbers it; null when nothing is ready. */
  private take(
    options: FlushOptions,
  ): { input: MediaFragmentInput; summaries: FragmentTrackSummary[] } | null {
    const fragTracks: FragmentTrack[] = [];
    const summaries: FragmentTrackSummary[] = [];
    const { lastDurations } = options;
    for (const st of this.tracks.values()) {
      const held = st.queue[st.queue.length - 1];
      if (held !== undefined && held.durationTicks < 0 && lastDurations !== undefined) {
        const d = lastDurations === 'repeat-previous' ? st.lastDuration : lastDurations.get(st.trackId);
        if (d !== undefined) held.durationTicks = d;
      }
      let count = st.queue.length;
      if (held !== undefined && held.durationTicks < 0) count--;
      if (count <= 0) continue;
      const samples = st.queue.splice(0, count);
      const base = (samples[0] as QueuedSample).dts - st.origin;
      let durationTicks = 0;
      for (const s of samples) durationTicks += s.durationTicks;
      fragTracks.push({ trackId: st.trackId, baseDecodeTimeTicks: base, samples });
      summaries.push({
        trackId: st.trackId,
        baseDecodeTimeTicks: base,
        durationTicks,
        sampleCount: samples.length,
        startsWithKey: (samples[0] as QueuedSample).isKey,
      });
    }
    if (fragTracks.length === 0) return null;
    let prft: ProducerReferenceTime | undefined;
    const wc = options.wallClock;
    if (wc !== undefined) {
      const ref = summaries.find((s) => s.trackId === wc.trackId);
      const mediaTimeTicks = wc.mediaTimeTicks ?? ref?.baseDecodeTimeTicks;
      if (mediaTimeTicks === undefined) {
        throw new MediaError(ARGUS_ERR_MP4_BAD_SAMPLES, `wall clock track ${wc.trackId} has no samples`);
      }
      prft = {
        trackId: wc.trackId,
        ntpTimestamp: unixMsToNtp64(wc.unixMs),
        mediaTimeTicks,
        flags: wc.flags ?? 0,
      };
    }
    const sequenceNumber = this.sequence++;
    const input: MediaFragmentInput =
      prft === undefined
        ? { sequenceNumber, tracks: fragTracks }
        : { sequenceNumber, tracks: fragTracks, producerReferenceTime: prft };
    return { input, summaries };
  }
}
