// Rewrites one stored movie fragment (ISO/IEC 14496-12 §8.8) for the player: its video samples only,
// on track 1 at 90 kHz, with decode times moved to the playback timeline (wall time since the
// first key fragment) and a prft carrying the recorded wall clock. For fast playback only the key
// sample is kept, lasting the whole GOP, so the media timeline stays without holes.
import { unixMsToNtp64, writeMediaFragment, type FragmentSample, type Mp4FragmentInfo } from '@argus/media';
import type { SegmentTrack } from './segment-media.js';

export interface RemuxedFragment {
  bytes: Uint8Array;
  wallMs: number;
  /** 90 kHz, on the playback timeline. */
  decodeTime: number;
  durationTicks: number;
  isKey: boolean;
}

export interface RemuxInput {
  info: Mp4FragmentInfo;
  video: SegmentTrack;
  /** Wall time (90 kHz) of the segment's file time 0. */
  segmentStart90k: number;
  /** Wall time (90 kHz) of playback decode time 0. */
  origin90k: number;
  sequenceNumber: number;
  /** Key frames only: the key sample lasts this long (its GOP). */
  keyOnlyDuration90k?: number | undefined;
}

export function remuxVideoFragment(r: RemuxInput): RemuxedFragment | undefined {
  const ts = r.video.timescale;
  const to90k = (ticks: number): number => (ts === 90_000 ? ticks : Math.round((ticks * 90_000) / ts));
  let samples = r.info.samples.filter((s) => s.trackId === r.video.trackId);
  if (samples.length === 0) return undefined;
  if (r.keyOnlyDuration90k !== undefined) {
    if (!samples[0]!.isKey) return undefined;
    samples = samples.slice(0, 1);
  }
  const first = samples[0]!;
  const out: FragmentSample[] = samples.map((s) => ({
    durationTicks: r.keyOnlyDuration90k ?? to90k(s.durationTicks),
    compositionOffsetTicks: to90k(s.ptsTicks - s.dtsTicks),
    isKey: s.isKey,
    data: s.data,
  }));
  const decodeTime = Math.max(0, r.segmentStart90k - r.origin90k + to90k(first.dtsTicks));
  const prft = r.info.producerReferenceTime;
  const wallMs = prft !== undefined ? prft.unixMs : (r.segmentStart90k + to90k(first.dtsTicks)) / 90;
  let durationTicks = 0;
  for (const s of out) durationTicks += s.durationTicks;
  const bytes = writeMediaFragment({
    sequenceNumber: r.sequenceNumber,
    tracks: [{ trackId: 1, baseDecodeTimeTicks: decodeTime, samples: out }],
    producerReferenceTime: {
      trackId: 1,
      ntpTimestamp: unixMsToNtp64(wallMs),
      mediaTimeTicks: decodeTime,
      flags: 0,
    },
  });
  return { bytes, wallMs, decodeTime, durationTicks, isKey: first.isKey };
}
