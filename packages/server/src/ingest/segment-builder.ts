// The synchronous half of recording one stream: access units in, file operations out. Files start
// on a key frame; fragments are cut at every key frame and whenever a fragment reaches the maximum
// duration (so a long GOP spans several fragments); a file is rotated at a key frame once it is old
// enough or when the track configuration (codec, resolution) changes. Each fragment carries a prft.
// Audio waits until the video passes its time, so a file's audio starts with its first key frame
// even when the camera sends audio ahead of the video.
import {
  Fmp4Segmenter,
  isVideoConfig,
  trackTimescale,
  writeFmp4Init,
  type AccessUnit,
  type Mp4TrackSpec,
} from '@argus/media';
import type { FragmentEntry } from '../storage/index.js';

export interface SegmentBuilderOptions {
  maxFragmentDuration90k: number;
  segmentDuration90k: number;
  /** A file also rotates (at a key frame) past this size; default 1 GiB. */
  maxSegmentBytes?: number;
}

export interface OpenFileOp {
  kind: 'open';
  init: Uint8Array;
  startWall90k: number;
  /** Run media time of file time 0 (the first key frame's decode time). */
  mediaStart90k: number;
  codec: string;
  width: number;
  height: number;
}

export interface FragmentOp {
  kind: 'fragment';
  bytes: Uint8Array;
  /** startByte is filled in by the writer; absent for a fragment without video (audio tail). */
  entry: Omit<FragmentEntry, 'startByte'> | undefined;
  endWall90k: number;
  /** File time (90 kHz) after the fragment's last video sample. */
  fileEnd90k: number;
}

export interface CloseFileOp {
  kind: 'close';
  endWall90k: number;
}

export type FileOp = OpenFileOp | FragmentOp | CloseFileOp;

/** An audio unit waiting for the video to pass its time (its own copy: callers reuse theirs). */
interface PendingAudio {
  trackId: number;
  time90k: number;
  au: AudioUnit;
}

type AudioUnit = Extract<AccessUnit, { kind: 'audio' }>;

/** Audio waits at most this long for video; past it the oldest goes to the file as it is. */
const MAX_AUDIO_WAIT_90K = 2 * 90_000;

interface OpenFile {
  segmenter: Fmp4Segmenter;
  videoTrackId: number;
  origin90k: number;
  bytes: number;
  /** Wall time of the first queued video sample (the next fragment's start). */
  pendingStart: { dts90k: number; wall90k: number } | undefined;
  last: { dts90k: number; wall90k: number; duration90k: number } | undefined;
  audio: Map<number, { lastTicks: number; durationTicks: number; timescale: number; originTicks: number }>;
}

export class SegmentBuilder {
  private tracks: Mp4TrackSpec[] = [];
  private tracksChanged = false;
  private file: OpenFile | undefined;
  /** The last measured frame duration, carried across files: a file holding one frame still lasts a frame. */
  private lastVideoDuration90k = 0;
  private pendingAudio: PendingAudio[] = [];

  constructor(private readonly options: SegmentBuilderOptions) {}

  get isOpen(): boolean {
    return this.file !== undefined;
  }

  /** Sets the tracks of the files to come; a change takes effect at the next key frame. */
  setTracks(tracks: readonly Mp4TrackSpec[]): void {
    const video = tracks.filter((t) => isVideoConfig(t.config));
    if (video.length !== 1) throw new Error('a recording needs exactly one video track');
    this.tracksChanged = this.tracks.length > 0 && !sameTracks(this.tracks, tracks);
    this.tracks = [...tracks];
  }

  /** Queues one access unit; returns the file operations it completes (possibly none). */
  push(trackId: number, au: AccessUnit, wall90k: number): FileOp[] {
    const ops: FileOp[] = [];
    if (au.kind === 'audio') {
      this.holdAudio(trackId, au);
      return ops;
    }
    const dts = au.dts90k ?? au.pts90k;
    let f = this.file;
    if (f !== undefined && au.isKey && this.rotationDue(f, dts)) {
      this.releaseAudio(dts);
      this.closeInto(ops, { dts90k: dts, wall90k });
      f = undefined;
    }
    if (f === undefined) {
      if (!au.isKey) {
        this.releaseAudio(dts); // no file: audio from before the run's first key frame is dropped
        return ops;
      }
      f = this.openInto(ops, dts, wall90k);
    }
    this.releaseAudio(dts);
    f.segmenter.pushAccessUnit(trackId, au);
    if (f.last !== undefined) this.lastVideoDuration90k = f.last.duration90k = dts - f.last.dts90k;
    f.last = { dts90k: dts, wall90k, duration90k: f.last?.duration90k ?? this.lastVideoDuration90k };
    f.pendingStart ??= { dts90k: dts, wall90k };
    if (au.isKey || f.segmenter.queuedDurationTicks(f.videoTrackId) >= this.options.maxFragmentDuration90k)
      this.flushInto(ops, f, { dts90k: dts, wall90k });
    return ops;
  }

  /** Ends the file: everything queued is written, the last sample lasting as long as the previous. */
  close(): FileOp[] {
    const ops: FileOp[] = [];
    // Audio ends with the video: what lies past its last frame would overlap the next run's file.
    const last = this.file?.last;
    if (last !== undefined) this.releaseAudio(last.dts90k + (last.duration90k || this.lastVideoDuration90k));
    this.pendingAudio = [];
    if (this.file !== undefined) this.closeInto(ops, undefined);
    return ops;
  }

  /** Forgets the open file without writing anything more (after a write failure). */
  abandon(): void {
    this.file = undefined;
    this.pendingAudio = [];
  }

  private holdAudio(trackId: number, au: AudioUnit): void {
    const time90k = Math.round((au.ptsTicks * 90_000) / au.clockRate);
    this.pendingAudio.push({ trackId, time90k, au: { ...au } });
    const first = this.pendingAudio[0]!;
    if (time90k - first.time90k > MAX_AUDIO_WAIT_90K) this.releaseAudio(time90k - MAX_AUDIO_WAIT_90K);
  }

  /** Passes the held audio from before `until90k` to the open file (none open: it is dropped). */
  private releaseAudio(until90k: number): void {
    let n = 0;
    for (const p of this.pendingAudio) {
      if (p.time90k >= until90k) break;
      this.pushAudio(p.trackId, p.au);
      n++;
    }
    if (n > 0) this.pendingAudio.splice(0, n);
  }

  private rotationDue(f: OpenFile, dts90k: number): boolean {
    return (
      this.tracksChanged ||
      dts90k - f.origin90k >= this.options.segmentDuration90k ||
      f.bytes >= (this.options.maxSegmentBytes ?? 1 << 30)
    );
  }

  private openInto(ops: FileOp[], dts90k: number, wall90k: number): OpenFile {
    this.tracksChanged = false;
    const video = this.tracks.find((t) => isVideoConfig(t.config));
    if (video === undefined) throw new Error('setTracks() must come before the first access unit');
    const origins = new Map<number, number>();
    const audio: OpenFile['audio'] = new Map();
    for (const t of this.tracks) {
      const ts = trackTimescale(t);
      const origin = Math.round((dts90k * ts) / 90_000);
      origins.set(t.trackId, origin);
      if (t.trackId !== video.trackId)
        audio.set(t.trackId, { lastTicks: -1, durationTicks: 0, timescale: ts, originTicks: origin });
    }
    const init = writeFmp4Init({ tracks: this.tracks, creationTimeMs: Math.floor(wall90k / 90) });
    const cfg = video.config;
    ops.push({
      kind: 'open',
      init,
      startWall90k: wall90k,
      mediaStart90k: dts90k,
      codec: cfg.codec,
      width: 'width' in cfg ? cfg.width : 0,
      height: 'height' in cfg ? cfg.height : 0,
    });
    this.file = {
      segmenter: new Fmp4Segmenter({ tracks: this.tracks, decodeTimeOriginTicks: origins }),
      videoTrackId: video.trackId,
      origin90k: dts90k,
      bytes: init.length,
      pendingStart: undefined,
      last: undefined,
      audio,
    };
    return this.file;
  }

  private pushAudio(trackId: number, au: AudioUnit): void {
    const a = this.file?.audio.get(trackId);
    if (a === undefined) return;
    const ticks =
      au.clockRate === a.timescale ? au.ptsTicks : Math.round((au.ptsTicks * a.timescale) / au.clockRate);
    // Audio from before the file's first key frame, or out of order, cannot be placed: dropped.
    if (ticks < a.originTicks || ticks <= a.lastTicks) return;
    if (a.lastTicks >= 0) a.durationTicks = ticks - a.lastTicks;
    a.lastTicks = ticks;
    this.file!.segmenter.pushAccessUnit(trackId, au);
  }

  /** Writes queued samples up to (not including) the held one as a fragment starting with prft. */
  private flushInto(
    ops: FileOp[],
    f: OpenFile,
    next: { dts90k: number; wall90k: number },
    lastDurations?: ReadonlyMap<number, number>,
  ): void {
    const start = f.pendingStart;
    if (start === undefined) return;
    const fragment = f.segmenter.flush({
      wallClock: { trackId: f.videoTrackId, unixMs: start.wall90k / 90 },
      ...(lastDurations === undefined ? {} : { lastDurations }),
    });
    if (fragment === null) return;
    const v = fragment.tracks.find((t) => t.trackId === f.videoTrackId);
    f.bytes += fragment.bytes.length;
    ops.push({
      kind: 'fragment',
      bytes: fragment.bytes,
      entry:
        v === undefined
          ? undefined
          : {
              mediaOffset90k: v.baseDecodeTimeTicks,
              duration90k: v.durationTicks,
              startsWithKey: v.startsWithKey,
            },
      endWall90k: v === undefined ? start.wall90k : next.wall90k,
      fileEnd90k: v === undefined ? start.dts90k - f.origin90k : v.baseDecodeTimeTicks + v.durationTicks,
    });
    f.pendingStart = lastDurations === undefined ? next : undefined;
  }

  /** Flushes everything (the held samples get explicit durations) and closes the file. */
  private closeInto(ops: FileOp[], next: { dts90k: number; wall90k: number } | undefined): void {
    const f = this.file!;
    this.file = undefined;
    const last = f.last;
    if (last === undefined) {
      ops.push({ kind: 'close', endWall90k: f.pendingStart?.wall90k ?? 0 });
      return;
    }
    const videoDuration = next !== undefined ? next.dts90k - last.dts90k : last.duration90k;
    const durations = new Map<number, number>([[f.videoTrackId, Math.max(0, videoDuration)]]);
    for (const [id, a] of f.audio) durations.set(id, a.durationTicks);
    const end = next ?? { dts90k: last.dts90k + videoDuration, wall90k: last.wall90k + videoDuration };
    this.flushInto(ops, f, end, durations);
    ops.push({ kind: 'close', endWall90k: end.wall90k });
  }
}

function sameTracks(a: readonly Mp4TrackSpec[], b: readonly Mp4TrackSpec[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((t, i) => {
    const u = b[i]!;
    if (t.trackId !== u.trackId || t.config.codec !== u.config.codec) return false;
    if (isVideoConfig(t.config) && isVideoConfig(u.config))
      return (
        t.config.width === u.config.width &&
        t.config.height === u.config.height &&
        sameBytesList(t.config.sps, u.config.sps) &&
        sameBytesList(t.config.pps, u.config.pps)
      );
    return true;
  });
}

function sameBytesList(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((x, i) => Buffer.compare(x, b[i]!) === 0);
}
