// SegmentBuilder: a file that ends on the key frame that opened it (a run stopped right after a
// rotation) still gives that frame a frame's duration, so no frame is lost from cuts or the timeline.
import type { Mp4TrackSpec, VideoAccessUnit } from '@argus/media';
import { describe, expect, it } from 'vitest';
import { SegmentBuilder, type FileOp } from '../src/ingest/index.js';

const FRAME_90K = 3600;
const SPS = Uint8Array.of(0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x47, 0xfe, 0xc8);
const PPS = Uint8Array.of(0x68, 0xce, 0x3c, 0x80);
const track: Mp4TrackSpec = {
  trackId: 1,
  config: { codec: 'h264', sps: [SPS], pps: [PPS], width: 320, height: 240 },
};

const frame = (i: number, isKey: boolean): VideoAccessUnit => ({
  kind: 'video',
  codec: 'h264',
  pts90k: i * FRAME_90K,
  dts90k: i * FRAME_90K,
  isKey,
  nalus: [Uint8Array.of(isKey ? 0x65 : 0x41, 0x88, i & 0xff)],
});

describe('SegmentBuilder', () => {
  it('gives the single frame of a file closed right after rotation a frame duration', () => {
    const builder = new SegmentBuilder({
      maxFragmentDuration90k: 90_000,
      segmentDuration90k: 10 * FRAME_90K,
    });
    builder.setTracks([track]);
    const ops: FileOp[] = [];
    for (let i = 0; i <= 10; i++)
      ops.push(...builder.push(1, frame(i, i % 5 === 0), 1_000_000 + i * FRAME_90K));
    ops.push(...builder.close());
    const opens = ops.filter((o) => o.kind === 'open');
    const closes = ops.filter((o) => o.kind === 'close');
    expect(opens).toHaveLength(2);
    expect(closes).toHaveLength(2);
    const second = closes[1]!;
    const secondOpen = opens[1]!;
    expect(second.endWall90k - secondOpen.startWall90k).toBe(FRAME_90K);
    const lastFragment = ops.filter((o) => o.kind === 'fragment').at(-1);
    expect(lastFragment?.kind === 'fragment' && lastFragment.fileEnd90k).toBe(FRAME_90K);
  });
});
