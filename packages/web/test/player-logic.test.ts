// The MSE player's pure decisions: pairing announcements with binary frames, media time -> wall
// time (latency and the played time), buffer trimming, live-edge catch-up, gap jumps, back-off.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bufferedAhead,
  gapJumpTarget,
  livePolicy,
  liveRate,
  liveSeekTarget,
  trimRange,
} from '../src/player/buffer-policy.js';
import { createLatencyStats, createMediaClock, formatLatency } from '../src/player/media-clock.js';
import { backoffDelayMs } from '../src/player/reconnect-backoff.js';
import { createStreamFraming } from '../src/player/stream-framing.js';

const bytes = (n: number): ArrayBuffer => new Uint8Array(n).buffer;
const init = {
  type: 'init',
  mimeType: 'video/mp4; codecs="avc1.4D401E"',
  codecs: ['avc1.4D401E'],
  width: 640,
  height: 360,
  stream: 'sub',
  reason: 'start',
};
const fragment = {
  type: 'fragment',
  wallMs: 1_700_000_000_000,
  decodeTime: 90_000,
  timescale: 90_000,
  isKey: true,
};

describe('stream framing', () => {
  it('pairs init and fragment announcements with the next binary frame', () => {
    const f = createStreamFraming();
    expect(f.push(JSON.stringify(init))).toBeUndefined();
    const a = f.push(bytes(10));
    expect(a).toMatchObject({ kind: 'init', message: { mimeType: init.mimeType } });
    expect(a?.kind === 'init' && a.data.byteLength).toBe(10);
    expect(f.push(JSON.stringify(fragment))).toBeUndefined();
    expect(f.push(bytes(20))).toMatchObject({ kind: 'fragment', message: { wallMs: fragment.wallMs } });
    expect(
      f.push(JSON.stringify({ type: 'gap', fromWallMs: 1, toWallMs: 2, cause: 'offline' })),
    ).toMatchObject({
      kind: 'message',
      message: { type: 'gap', cause: 'offline' },
    });
  });

  it('reports what the contract does not allow and keeps going', () => {
    const f = createStreamFraming();
    expect(f.push(bytes(4))).toMatchObject({
      kind: 'protocol-error',
      detail: 'binary frame without announcement',
    });
    expect(f.push('not json')).toMatchObject({ kind: 'protocol-error' });
    expect(f.push('42')).toMatchObject({ kind: 'protocol-error' });
    expect(f.push(JSON.stringify({ type: 'teleport' }))).toMatchObject({ kind: 'protocol-error' });
    expect(f.push(JSON.stringify({ ...fragment, timescale: 0 }))).toMatchObject({ kind: 'protocol-error' });
    expect(f.push(JSON.stringify(fragment))).toBeUndefined();
    // a second announcement before the binary frame: the first one is reported lost
    expect(f.push(JSON.stringify(fragment))).toMatchObject({
      kind: 'protocol-error',
      detail: 'fragment without its binary frame',
    });
    expect(f.push(bytes(3))).toMatchObject({ kind: 'fragment' });
    f.push(JSON.stringify(init));
    f.reset();
    expect(f.push(bytes(3))).toMatchObject({ kind: 'protocol-error' });
  });

  it('never throws on arbitrary frames (property)', () => {
    const f = createStreamFraming();
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.uint8Array({ maxLength: 16 })), (frame) => {
        f.push(typeof frame === 'string' ? frame : (frame.buffer as ArrayBuffer));
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('media clock', () => {
  it('maps media time to the wall time of the fragment it falls in', () => {
    const c = createMediaClock();
    expect(c.wallAt(1)).toBeUndefined();
    c.addAnchor(0, 1000_000);
    c.addAnchor(1, 1001_000);
    c.addAnchor(2, 1005_000); // a gap of 3 s in wall time between fragments
    expect(c.wallAt(0.5)).toBe(1000_500);
    expect(c.wallAt(1.96)).toBeCloseTo(1001_960, 6);
    expect(c.wallAt(2.04)).toBeCloseTo(1005_040, 6);
    expect(c.wallAt(-0.04)).toBeCloseTo(999_960, 6); // just before the first (composition offset)
    c.trimBefore(1.5);
    expect(c.size).toBe(2);
    expect(c.wallAt(1.5)).toBe(1001_500);
  });

  it('replaces anchors when media time goes back, and stays bounded', () => {
    const c = createMediaClock(3);
    c.addAnchor(0, 0);
    c.addAnchor(1, 1000);
    c.addAnchor(2, 2000);
    c.addAnchor(1, 9000); // re-sent from 1 s
    expect(c.size).toBe(2);
    expect(c.wallAt(1.5)).toBe(9500);
    for (let i = 2; i < 10; i++) c.addAnchor(i, i * 1000);
    expect(c.size).toBe(3);
  });

  it('computes latency percentiles over a rolling window', () => {
    const s = createLatencyStats(4);
    expect(s.percentile(50)).toBeUndefined();
    for (const v of [900, 100, 200, 300, 400]) s.add(v); // 900 falls out of the window
    expect(s.count).toBe(5);
    expect(s.percentile(50)).toBe(200);
    expect(s.percentile(95)).toBe(400);
    s.add(Number.NaN);
    expect(s.count).toBe(5);
    expect(formatLatency(250)).toBe('0.25 s');
    expect(formatLatency(1440)).toBe('1.4 s');
    expect(formatLatency(12_400)).toBe('12 s');
    expect(formatLatency(-5)).toBe('0.00 s');
    expect(formatLatency(undefined)).toBe('—');
  });
});

describe('buffer policy', () => {
  it('trims behind the play position in chunks', () => {
    expect(trimRange([], 50)).toBeNull();
    expect(trimRange([{ start: 0, end: 30 }], 11)).toBeNull(); // 1 s excess: not worth it
    expect(trimRange([{ start: 0, end: 30 }], 25)).toEqual({ start: 0, end: 15 });
    expect(
      trimRange(
        [
          { start: 0, end: 3 },
          { start: 5, end: 40 },
        ],
        38,
        10,
      ),
    ).toEqual({ start: 0, end: 28 });
  });

  it('bounds the buffer behind the play position however long it plays (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.02, max: 2, noNaN: true }), { minLength: 1, maxLength: 400 }),
        (durations) => {
          let start = 0;
          let end = 0;
          for (const d of durations) {
            end += d;
            const t = Math.max(start, end - 0.3);
            const r = trimRange([{ start, end }], t, 10, 2);
            if (r) start = r.end;
            expect(t - start).toBeLessThanOrEqual(12 + 1e-9);
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('sets the live target from the fragment duration', () => {
    expect(livePolicy(0.04)).toEqual({ targetLagS: 0.15, maxLagS: 0.5 });
    const gop = livePolicy(1);
    expect(gop.targetLagS).toBe(1);
    expect(gop.maxLagS).toBeCloseTo(2.3, 6);
    expect(livePolicy(Number.NaN)).toEqual(livePolicy(0.04));
  });

  it('jumps a live tile to the edge only when it is behind', () => {
    const p = livePolicy(0.04);
    expect(liveSeekTarget([], 0, p)).toBeNull();
    expect(liveSeekTarget([{ start: 0, end: 10 }], 9.6, p)).toBeNull();
    expect(liveSeekTarget([{ start: 0, end: 10 }], 9.4, p)).toBeCloseTo(9.85, 6);
    expect(liveSeekTarget([{ start: 0, end: 10 }], 10.02, p)).toBeNull(); // waiting for data
    expect(
      liveSeekTarget(
        [
          { start: 0, end: 4 },
          { start: 6, end: 10 },
        ],
        3,
        p,
      ),
    ).toBeCloseTo(9.85, 6);
  });

  it('closes a small live lag by playing slightly faster, not by jumping', () => {
    const p = livePolicy(0.04);
    expect(liveRate(0.15, p)).toBe(1);
    expect(liveRate(0.3, p)).toBe(1.05);
    expect(liveRate(0.45, p)).toBe(1.15);
  });

  it('finds where to resume after a hole', () => {
    const r = [
      { start: 0, end: 4 },
      { start: 6, end: 10 },
    ];
    expect(gapJumpTarget(r, 2)).toBeNull();
    expect(gapJumpTarget(r, 4)).toBe(6);
    expect(gapJumpTarget(r, 5.97)).toBeNull(); // within tolerance of the next range
    expect(gapJumpTarget(r, 11)).toBeNull();
    expect(gapJumpTarget([{ start: 300, end: 301 }], 0)).toBe(300);
    expect(bufferedAhead(r, 7)).toBe(3);
    expect(bufferedAhead(r, 5)).toBe(0);
  });
});

describe('reconnect back-off', () => {
  it('grows exponentially to a ceiling with bounded jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelayMs(a, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 15000, 15000, 15000,
    ]);
    expect(backoffDelayMs(0, () => 0)).toBe(400);
    expect(backoffDelayMs(0, () => 0.999999)).toBe(600);
    expect(backoffDelayMs(1000, mid, { maxMs: 3000 })).toBe(3000);
  });
});
