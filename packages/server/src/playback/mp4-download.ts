// A progressive MP4 of a time range built from the stored fragments without re-encoding: the moofs
// of the fragments from the key frame at or before the start to the end give every sample's time,
// size and file offset (media bytes are not read for the layout), buildProgressiveMp4 lays out
// moov + mdat with an edit list trimming to the exact start, and sample bytes are read on demand
// for the whole file or any byte range. Times are wall-mapped: a hole in the recordings keeps the
// last picture on screen for its length, so file time = wall time - start. Audio is stored on the
// video's time origin (ingest/ places it), so every track of a file shifts alike.
import {
  buildProgressiveMp4,
  isVideoConfig,
  type Mp4TrackSpec,
  type ProgressiveMp4,
  type ProgressiveSample,
  type ProgressiveTrackInput,
} from '@argus/media';
import type { SegmentRecord } from '../db/index.js';
import type { RecordingIndex } from './recording-index.js';
import type { SegmentMedia, SegmentTrack } from './segment-media.js';

export interface SampleSource {
  /** Index into the plan's segments. */
  segment: number;
  byteOffset: number;
}

export interface DownloadPlan {
  file: ProgressiveMp4<SampleSource>;
  /** Requested start and the instant after the last presented one (ms). */
  startMs: number;
  endMs: number;
  segments: SegmentRecord[];
}

export interface DownloadRequest {
  index: RecordingIndex;
  streamId: number;
  start90k: number;
  end90k: number;
}

interface TrackAcc {
  spec: Mp4TrackSpec;
  timescale: number;
  samples: ProgressiveSample<SampleSource>[];
}

const sameTrackSet = (a: readonly SegmentTrack[], b: readonly SegmentTrack[]): boolean =>
  a.length === b.length &&
  a.every((t, i) => {
    const u = b[i]!;
    return (
      t.trackId === u.trackId &&
      t.timescale === u.timescale &&
      JSON.stringify(t.config, bytesAsHex) === JSON.stringify(u.config, bytesAsHex)
    );
  });

function bytesAsHex(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value;
}

/** Lays out the download; undefined when nothing is recorded in the range. */
export async function planDownload(r: DownloadRequest): Promise<DownloadPlan | undefined> {
  const segments: SegmentRecord[] = [];
  let tracks: SegmentTrack[] | undefined;
  const acc = new Map<number, TrackAcc>();
  let origin90k: number | undefined;
  let seg = await r.index.segmentAt(r.streamId, r.start90k, r.end90k);
  let endOfData90k = r.start90k;
  while (seg !== undefined && seg.startTime90k < r.end90k) {
    const media: SegmentMedia = await r.index.open(seg);
    try {
      await media.open();
      const segTracks = media.tracks();
      if (tracks !== undefined && !sameTrackSet(tracks, segTracks)) break; // a codec change ends it
      if (media.videoTrack() === undefined || media.spans.length === 0) break;
      tracks ??= segTracks;
      for (const t of tracks) if (!acc.has(t.trackId)) acc.set(t.trackId, newAcc(t));
      let idx = 0;
      if (origin90k === undefined) {
        idx = media.keyIndexAt(r.start90k - seg.startTime90k);
        origin90k = seg.startTime90k + media.spans[idx]!.mediaOffset90k;
      }
      const segIndex = segments.length;
      segments.push(seg);
      for (; idx < media.spans.length; idx++) {
        const span = media.spans[idx]!;
        if (seg.startTime90k + span.mediaOffset90k >= r.end90k) break;
        const info = await media.readMoof(idx);
        if (info === undefined) continue;
        for (const s of info.samples) {
          const a = acc.get(s.trackId);
          if (a === undefined) continue;
          let shift = Math.round(((seg.startTime90k - origin90k) * a.timescale) / 90_000);
          const last = a.samples[a.samples.length - 1];
          // Files of a run abut within a millisecond; never let decode time go backwards.
          if (last !== undefined && shift + s.dtsTicks <= last.dtsTicks)
            shift = last.dtsTicks + 1 - s.dtsTicks;
          a.samples.push({
            dtsTicks: shift + s.dtsTicks,
            ptsTicks: shift + s.ptsTicks,
            durationTicks: s.durationTicks,
            isKey: s.isKey,
            sizeBytes: s.data.length,
            source: { segment: segIndex, byteOffset: s.byteOffset },
          });
        }
        endOfData90k = Math.max(endOfData90k, seg.startTime90k + span.mediaOffset90k + span.duration90k);
      }
    } finally {
      await media.close();
    }
    seg = await r.index.segmentAfter(seg, r.end90k);
  }
  if (origin90k === undefined || tracks === undefined) return undefined;
  const inputs: ProgressiveTrackInput<SampleSource>[] = [];
  for (const a of acc.values()) {
    if (a.samples.length === 0) continue;
    closeDurations(a.samples);
    inputs.push({ track: a.spec, samples: a.samples });
  }
  if (!inputs.some((i) => isVideoConfig(i.track.config))) return undefined;
  const start90k = Math.max(r.start90k, origin90k);
  const end90k = Math.min(r.end90k, endOfData90k);
  if (end90k <= start90k) return undefined;
  const file = buildProgressiveMp4({
    tracks: inputs,
    startTime90k: start90k - origin90k,
    endTime90k: end90k - origin90k,
    creationTimeMs: Math.round(start90k / 90),
  });
  return { file, startMs: start90k / 90, endMs: end90k / 90, segments };
}

function newAcc(t: SegmentTrack): TrackAcc {
  return {
    spec: { trackId: t.trackId, config: t.config, timescale: t.timescale },
    timescale: t.timescale,
    samples: [],
  };
}

/** Each sample lasts until the next one's decode time (bridging holes between files). */
function closeDurations(samples: ProgressiveSample<SampleSource>[]): void {
  for (let i = 0; i + 1 < samples.length; i++) {
    const s = samples[i]!;
    s.durationTicks = Math.max(0, samples[i + 1]!.dtsTicks - s.dtsTicks);
  }
}
