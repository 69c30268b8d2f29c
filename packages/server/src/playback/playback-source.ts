// Recorded media as a sequence for the player, from any time T: the init, the position (the key
// fragment at or before T and how far into it T lies), then the stored fragments remuxed to the
// video track (so the browser needs one codec), across segment files, with `gap` items for holes
// and an end. Output decode times are wall time since the first key fragment, so a hole in the
// recordings is a hole in the media timeline and currentTime maps linearly to the wall clock.
import { videoInfo, writeFmp4Init, type VideoTrackConfig } from '@argus/media';
import type { SegmentRecord } from '../db/index.js';
import { remuxVideoFragment, type RemuxedFragment } from './fragment-remux.js';
import type { RecordingIndex } from './recording-index.js';
import type { SegmentMedia, SegmentTrack } from './segment-media.js';

export type PlaybackItem =
  | {
      kind: 'init';
      bytes: Uint8Array;
      mimeType: string;
      codecs: string[];
      width: number;
      height: number;
      reason: 'start' | 'seek' | 'codec-change';
    }
  | { kind: 'position'; startWallMs: number; skipSeconds: number }
  | ({ kind: 'fragment' } & RemuxedFragment)
  | { kind: 'gap'; fromWallMs: number; toWallMs: number; cause: string }
  | { kind: 'end'; reason: 'end-of-recordings' | 'end-of-range' | 'codec-change' };

export interface PlaybackSourceOptions {
  index: RecordingIndex;
  streamId: number;
  start90k: number;
  /** Stop before this instant (HTTP stream); without it, follow the recordings to their end. */
  end90k?: number;
  /** Checked per fragment: send key frames only (fast playback). */
  keyframesOnly?: () => boolean;
  initReason?: 'start' | 'seek';
  /** Wall clock now (90 kHz): the end of any search. */
  now90k: () => number;
  sleep: (ms: number) => Promise<void>;
  /** While the newest segment is open, poll it this often for new fragments. Default 500 ms. */
  tailPollMs?: number;
  /** Give up following after this long without new media. Default 5000 ms. */
  tailIdleMs?: number;
  /** After a closed file with none after it, wait this long for the writer's next file. Default 1500 ms. */
  nextFileWaitMs?: number;
}

/** Holes shorter than this between files are not reported (files of a run abut within 1 ms). */
const MIN_GAP_90K = 250 * 90;

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

function initItem(
  video: SegmentTrack,
  reason: 'start' | 'seek' | 'codec-change',
): Extract<PlaybackItem, { kind: 'init' }> {
  const config = video.config as VideoTrackConfig;
  const codec = videoInfo(config).codecString;
  return {
    kind: 'init',
    bytes: writeFmp4Init({ tracks: [{ trackId: 1, config, timescale: 90_000 }] }),
    mimeType: `video/mp4; codecs="${codec}"`,
    codecs: [codec],
    width: config.width,
    height: config.height,
    reason,
  };
}

export async function* playbackItems(o: PlaybackSourceOptions): AsyncGenerator<PlaybackItem> {
  const limit90k = (): number => o.end90k ?? o.now90k() + 60 * 90_000;
  let seg = await o.index.segmentAt(o.streamId, o.start90k, limit90k());
  if (seg === undefined || (o.end90k !== undefined && seg.startTime90k >= o.end90k)) {
    yield { kind: 'end', reason: o.end90k === undefined ? 'end-of-recordings' : 'end-of-range' };
    return;
  }
  let initBytes: Uint8Array | undefined;
  let origin90k: number | undefined;
  let prevEnd90k: number | undefined;
  let sequence = 1;
  while (seg !== undefined) {
    const media: SegmentMedia = await o.index.open(seg);
    try {
      await media.open();
      const video = media.videoTrack();
      if (video !== undefined) {
        const init = initItem(video, initBytes === undefined ? (o.initReason ?? 'start') : 'codec-change');
        if (initBytes !== undefined && !sameBytes(init.bytes, initBytes)) {
          if (o.end90k !== undefined) {
            yield { kind: 'end', reason: 'codec-change' };
            return;
          }
          yield init;
        }
        if (initBytes === undefined) yield init;
        initBytes = init.bytes;
        if (prevEnd90k !== undefined && seg.startTime90k - prevEnd90k > MIN_GAP_90K)
          yield {
            kind: 'gap',
            fromWallMs: prevEnd90k / 90,
            toWallMs: seg.startTime90k / 90,
            cause: await o.index.gapCause(o.streamId, prevEnd90k, seg.startTime90k),
          };
        let idx = 0;
        if (origin90k === undefined) {
          idx = media.keyIndexAt(o.start90k - seg.startTime90k);
          origin90k = seg.startTime90k + (media.spans[idx]?.mediaOffset90k ?? 0);
          if (o.start90k < seg.startTime90k - MIN_GAP_90K)
            yield {
              kind: 'gap',
              fromWallMs: o.start90k / 90,
              toWallMs: seg.startTime90k / 90,
              cause: await o.index.gapCause(o.streamId, o.start90k, seg.startTime90k),
            };
          yield {
            kind: 'position',
            startWallMs: origin90k / 90,
            skipSeconds: Math.max(0, o.start90k - origin90k) / 90_000,
          };
        }
        // Emit the segment's fragments, following it while it is being written.
        let idleSince: number | undefined;
        for (;;) {
          for (; idx < media.spans.length; idx++) {
            const span = media.spans[idx]!;
            if (o.end90k !== undefined && seg.startTime90k + span.mediaOffset90k >= o.end90k) {
              yield { kind: 'end', reason: 'end-of-range' };
              return;
            }
            const keyOnly = o.keyframesOnly?.() ?? false;
            if (keyOnly && !span.startsWithKey) continue;
            const [info] = await media.readFragments(idx, idx + 1);
            if (info === undefined) continue;
            const out = remuxVideoFragment({
              info,
              video,
              segmentStart90k: seg.startTime90k,
              origin90k,
              sequenceNumber: sequence,
              keyOnlyDuration90k: keyOnly ? keyGopDuration(media, idx) : undefined,
            });
            if (out === undefined) continue;
            sequence++;
            idleSince = undefined;
            yield { kind: 'fragment', ...out };
          }
          if (!seg.open) break;
          const before = media.spans.length;
          if (!(await o.index.refresh(media))) break;
          seg = media.record;
          if (media.spans.length > before) continue;
          if (!seg.open) break;
          idleSince ??= o.now90k();
          if (o.end90k !== undefined || o.now90k() - idleSince > (o.tailIdleMs ?? 5000) * 90) break;
          await o.sleep(o.tailPollMs ?? 500);
        }
      }
      prevEnd90k = Math.max(prevEnd90k ?? 0, seg.endTime90k);
    } finally {
      await media.close();
    }
    seg = await nextSegment(o, seg);
  }
  yield { kind: 'end', reason: o.end90k === undefined ? 'end-of-recordings' : 'end-of-range' };
}

/** The next file; at the live edge, wait a little for the writer to open it (file rotation). */
async function nextSegment(o: PlaybackSourceOptions, seg: SegmentRecord): Promise<SegmentRecord | undefined> {
  const until = (): number => o.end90k ?? o.now90k() + 60 * 90_000;
  const deadline = o.now90k() + (o.end90k === undefined ? (o.nextFileWaitMs ?? 1500) * 90 : 0);
  for (let i = 0; i < 1000; i++) {
    const next = await o.index.segmentAfter(seg, until());
    if (next !== undefined || o.now90k() >= deadline) return next;
    await o.sleep(o.tailPollMs ?? 500);
  }
  return undefined;
}

/** A key fragment's GOP length: to the next key fragment, else to the end of the file. */
function keyGopDuration(media: SegmentMedia, idx: number): number {
  const span = media.spans[idx]!;
  for (let i = idx + 1; i < media.spans.length; i++) {
    const s = media.spans[i]!;
    if (s.startsWithKey) return s.mediaOffset90k - span.mediaOffset90k;
  }
  return Math.max(1, media.record.mediaDuration90k - span.mediaOffset90k);
}
