// Places a source's audio access units on its video track's media time before they are recorded: a
// recording file has one time origin for all its tracks (the video's extended RTP time), while audio
// comes on an RTP clock of its own (random initial offset, its own rate). The tracks' RTCP sender
// reports (RFC 3550 §6.4.1) map one clock onto the other; until both have one, the stream's own
// anchors (RTP-Info of PLAY, else first packet arrivals) or, failing those, arrival at the run
// start place the run's first audio unit, and later ones follow their RTP time. See docs/design/time.md.
import {
  mapRtpTime,
  type AudioAccessUnit,
  type RtpWallMapping,
  type StreamAccessUnit,
  type VideoAccessUnit,
} from '@argus/media';

/**
 * How an audio track is placed on the video's clock: 'rtcp' both tracks' sender reports; 'stream'
 * the units' wall times before any report (the PLAY reply's RTP-Info, else each track's first
 * packet arrival); 'arrival' the units' arrival at the server against the run's first video unit.
 */
export type AudioClockSource = 'rtcp' | 'stream' | 'arrival';

/** SRs or stream anchors placing audio further than this from where its arrival does are broken. */
export const MAX_ARRIVAL_DISAGREEMENT_MS = 10_000;

const VIDEO_CLOCK_RATE = 90_000;

interface TrackState {
  /** The SR pair srOffsetTicks was computed for (new objects arrive with each SR). */
  srAudio: RtpWallMapping | undefined;
  srVideo: RtpWallMapping | undefined;
  /** Audio clock ticks to add to a unit's ptsTicks: from the SRs (undefined: not usable). */
  srOffsetTicks: number | undefined;
  /** The same without both SRs, fixed at the run's first such unit ('stream' or 'arrival'). */
  fallbackOffsetTicks: number | undefined;
  fallbackSource: AudioClockSource;
  /** Last placed time (track timescale) of the run; nothing at or before it is placed again. */
  lastPlaced: number;
  source: AudioClockSource | undefined;
  /** Offset (audio clock ticks) of the last placed unit. */
  offsetTicks: number;
}

export interface AudioAlignerOptions {
  /**
   * Told when a track's clock source is first chosen in a run (shiftMs undefined), or changes
   * (shiftMs: how far the new source moves the audio against the previous one).
   */
  onSource?: (trackIndex: number, source: AudioClockSource, shiftMs: number | undefined) => void;
}

export class AudioAligner {
  private videoSr: RtpWallMapping | undefined;
  /** Latest video unit of the source: presentation time, wall time (pre-SR only) and arrival. */
  private lastVideoPts90k = 0;
  private lastVideoWallMs: number | undefined;
  private lastVideoAtMs = 0;
  private run: { dts90k: number; pts90k: number; receivedAtMs: number } | undefined;
  private readonly tracks = new Map<number, TrackState>();

  constructor(private readonly options: AudioAlignerOptions = {}) {}

  /** Whether a run is open (its first video unit was recorded). */
  get inRun(): boolean {
    return this.run !== undefined;
  }

  /** The clock source used for a track in the current run, once one of its units was placed. */
  sourceOf(trackIndex: number): AudioClockSource | undefined {
    return this.tracks.get(trackIndex)?.source;
  }

  /** Every video unit of the source, before it is offered to the writer: the video's latest SR. */
  observeVideo(unit: StreamAccessUnit, au: VideoAccessUnit, receivedAtMs: number): void {
    this.videoSr = unit.senderReport;
    this.lastVideoPts90k = au.pts90k;
    this.lastVideoWallMs = unit.senderReport === undefined ? unit.wallTimeMs : undefined;
    this.lastVideoAtMs = receivedAtMs;
  }

  /** The writer recorded (true) or refused (false: no run) a video unit: opens or ends the run. */
  videoRecorded(recorded: boolean, au: VideoAccessUnit, receivedAtMs: number): void {
    if (!recorded) this.endRun();
    else this.run ??= { dts90k: au.dts90k ?? au.pts90k, pts90k: au.pts90k, receivedAtMs };
  }

  /** The run is over (ended, refused, or the source changed): the next video unit recorded opens one. */
  endRun(): void {
    this.run = undefined;
    this.tracks.clear();
  }

  /**
   * The presentation time of an audio unit on the video's clock, in `timescale` ticks (the track's
   * timescale in the file; tick 0 = video time 0), or undefined when it is dropped: no run, before
   * the run's first video unit, or not after the track's previous placed unit.
   */
  place(
    unit: StreamAccessUnit,
    au: AudioAccessUnit,
    receivedAtMs: number,
    timescale: number,
  ): number | undefined {
    const run = this.run;
    if (run === undefined) return undefined;
    const t = this.track(unit.trackIndex);
    const a = unit.senderReport;
    const v = this.videoSr;
    if (a !== undefined && v !== undefined && (a !== t.srAudio || v !== t.srVideo)) {
      t.srAudio = a;
      t.srVideo = v;
      t.srOffsetTicks = this.srOffset(au, a, v, receivedAtMs);
    }
    let offset: number;
    let source: AudioClockSource;
    if (a !== undefined && v !== undefined && t.srOffsetTicks !== undefined) {
      offset = t.srOffsetTicks;
      source = 'rtcp';
    } else {
      if (t.fallbackOffsetTicks === undefined) this.anchorFallback(t, unit, au, receivedAtMs, run);
      offset = t.fallbackOffsetTicks!;
      source = t.fallbackSource;
    }
    if (source !== t.source) {
      const shiftMs = t.source === undefined ? undefined : ((offset - t.offsetTicks) * 1000) / au.clockRate;
      t.source = source;
      this.options.onSource?.(unit.trackIndex, source, shiftMs);
    }
    t.offsetTicks = offset;
    const ticks = au.ptsTicks + offset;
    const placed = au.clockRate === timescale ? ticks : Math.round((ticks * timescale) / au.clockRate);
    if (placed < Math.round((run.dts90k * timescale) / VIDEO_CLOCK_RATE) || placed <= t.lastPlaced)
      return undefined;
    t.lastPlaced = placed;
    return placed;
  }

  private track(trackIndex: number): TrackState {
    let t = this.tracks.get(trackIndex);
    if (t === undefined) {
      t = {
        srAudio: undefined,
        srVideo: undefined,
        srOffsetTicks: undefined,
        fallbackOffsetTicks: undefined,
        fallbackSource: 'arrival',
        lastPlaced: Number.NEGATIVE_INFINITY,
        source: undefined,
        offsetTicks: 0,
      };
      this.tracks.set(trackIndex, t);
    }
    return t;
  }

  /**
   * Without both SRs: the units' wall times when neither track has a report yet (both then come
   * from the stream's anchors), else arrival against the run's first video unit.
   */
  private anchorFallback(
    t: TrackState,
    unit: StreamAccessUnit,
    au: AudioAccessUnit,
    receivedAtMs: number,
    run: { pts90k: number; receivedAtMs: number },
  ): void {
    const videoWallMs = this.lastVideoWallMs;
    let onVideo90k = run.pts90k + (receivedAtMs - run.receivedAtMs) * 90;
    t.fallbackSource = 'arrival';
    if (unit.senderReport === undefined && videoWallMs !== undefined) {
      const byStream90k = this.lastVideoPts90k + (unit.wallTimeMs - videoWallMs) * 90;
      if (Math.abs(byStream90k - this.byArrival90k(receivedAtMs)) <= MAX_ARRIVAL_DISAGREEMENT_MS * 90) {
        onVideo90k = byStream90k;
        t.fallbackSource = 'stream';
      }
    }
    t.fallbackOffsetTicks = Math.round((onVideo90k * au.clockRate) / VIDEO_CLOCK_RATE - au.ptsTicks);
  }

  /** Audio clock ticks from the unit's own time to the video's (through both SRs), if plausible. */
  private srOffset(
    au: AudioAccessUnit,
    a: RtpWallMapping,
    v: RtpWallMapping,
    receivedAtMs: number,
  ): number | undefined {
    const onVideo90k = mapRtpTime(au.ptsTicks, a, v) * (VIDEO_CLOCK_RATE / v.clockRate);
    if (Math.abs(onVideo90k - this.byArrival90k(receivedAtMs)) > MAX_ARRIVAL_DISAGREEMENT_MS * 90)
      return undefined;
    return Math.round((onVideo90k * au.clockRate) / VIDEO_CLOCK_RATE - au.ptsTicks);
  }

  /** Where a unit arriving at receivedAtMs lies on the video clock by arrival (latest video unit). */
  private byArrival90k(receivedAtMs: number): number {
    return this.lastVideoPts90k + (receivedAtMs - this.lastVideoAtMs) * 90;
  }
}
