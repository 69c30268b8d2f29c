// The live hub's per-viewer flow control on real H.264 (a fixture clip at 25 fps, a key frame per
// second) with a simulated slow socket on a manual clock: slow viewers lose whole GOPs and are told
// (`dropped`), a stuck one resumes with a new init ('jump-to-live'), the bytes queued for a viewer
// stay under the hard limit, a late joiner starts at once with the GOP so far, and whatever a
// viewer received decodes in ffmpeg without an error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { videoInfo, type StreamAccessUnit, type VideoTrackConfig } from '@argus/media';
import type { StreamServerMessage } from '@argus/api';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock, createLogger } from '../src/base/index.js';
import type { SourceTrack } from '../src/ingest/index.js';
import { LiveHub, type StreamTransport } from '../src/live/index.js';
import { clipFrame, loadClip, playbackErrors } from './helpers/recording-fixture.js';

const clip = loadClip('main-h264-motion.mp4');
const config = clip.track.config as VideoTrackConfig;
const track: SourceTrack = {
  trackIndex: 0,
  config,
  info: { ...videoInfo(config), kind: 'video' },
  timescale: 90_000,
};
const scratch = mkdtempSync(path.join(tmpdir(), 'argus-live-flow-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Delivered {
  message?: StreamServerMessage;
  bytes?: Uint8Array;
}

/** A socket draining at `bytesPerMs` (changeable), recording what the far end received. */
class SlowTransport implements StreamTransport {
  bytesPerMs: number;
  delivered: Delivered[] = [];
  maxBuffered = 0;
  private queue: Array<{ item: Delivered; size: number; left: number; onFlushed?: () => void }> = [];
  constructor(bytesPerMs: number) {
    this.bytesPerMs = bytesPerMs;
  }
  get bufferedBytes(): number {
    return this.queue.reduce((n, q) => n + q.left, 0);
  }
  sendText(text: string): void {
    this.push({ message: JSON.parse(text) as StreamServerMessage }, text.length);
  }
  sendBinary(bytes: Uint8Array, onFlushed?: () => void): void {
    this.push({ bytes }, bytes.length, onFlushed);
  }
  close(): void {}
  drain(ms: number): void {
    let budget = ms * this.bytesPerMs;
    while (budget > 0 && this.queue.length > 0) {
      const q = this.queue[0]!;
      const n = Math.min(budget, q.left);
      q.left -= n;
      budget -= n;
      if (q.left > 0) break;
      this.queue.shift();
      this.delivered.push(q.item);
      q.onFlushed?.();
    }
  }
  private push(item: Delivered, size: number, onFlushed?: () => void): void {
    this.queue.push({ item, size, left: size, ...(onFlushed ? { onFlushed } : {}) });
    this.maxBuffered = Math.max(this.maxBuffered, this.bufferedBytes);
  }
}

const LIMITS = {
  highWaterBytes: 16 * 1024,
  hardLimitBytes: 64 * 1024,
  maxQueueDelayMs: 1000,
  maxLagMs: 3000,
};

function makeHub(clock: ManualClock): LiveHub {
  return new LiveHub({ clock, logger: createLogger('silent'), viewer: LIMITS });
}

function unit(i: number, clock: ManualClock): StreamAccessUnit {
  return { trackIndex: 0, info: track.info, accessUnit: clipFrame(clip, i), wallTimeMs: clock.nowMs() };
}

/** Feeds `frames` frames at 25 fps from frame `from`, draining the transports between frames. */
function run(
  hub: LiveHub,
  clock: ManualClock,
  transports: SlowTransport[],
  from: number,
  frames: number,
): void {
  for (let i = from; i < from + frames; i++) {
    clock.advance(40);
    for (const t of transports) t.drain(40);
    hub.unit(1, 'main', unit(i, clock), [track]);
  }
}

/** Pairs announcements with their binary frames. */
function media(delivered: Delivered[]): Array<{ message: StreamServerMessage; bytes: Uint8Array }> {
  const out: Array<{ message: StreamServerMessage; bytes: Uint8Array }> = [];
  for (let i = 0; i + 1 < delivered.length; i++) {
    const m = delivered[i]!.message;
    const b = delivered[i + 1]!.bytes;
    if (m && b && (m.type === 'init' || m.type === 'fragment')) out.push({ message: m, bytes: b });
  }
  return out;
}

/** Frames per GOP of what was delivered after the first init, in order. */
function gopSizes(delivered: Delivered[]): number[] {
  const sizes: number[] = [];
  for (const m of media(delivered)) {
    if (m.message.type !== 'fragment') continue;
    if (m.message.isKey) sizes.push(0);
    if (sizes.length > 0) sizes[sizes.length - 1]!++;
  }
  return sizes;
}

function decodeDelivered(delivered: Delivered[], name: string, initIndex = 0): string {
  const all = media(delivered);
  const inits = all.flatMap((m, i) => (m.message.type === 'init' ? [i] : []));
  const from = inits[initIndex]!;
  const to = inits[initIndex + 1] ?? all.length;
  const file = path.join(scratch, name);
  writeFileSync(file, Buffer.concat(all.slice(from, to).map((m) => m.bytes)));
  return playbackErrors(file);
}

describe('live flow control', () => {
  it('a viewer that keeps up receives every frame, one fragment per frame, decodable', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const hub = makeHub(clock);
    const fast = new SlowTransport(1e6);
    hub.attach(1, 'main', fast);
    run(hub, clock, [fast], 0, 250);
    fast.drain(1000);
    const msgs = fast.delivered.flatMap((d) => (d.message ? [d.message] : []));
    expect(msgs[0]).toMatchObject({
      type: 'init',
      reason: 'start',
      width: 1920,
      height: 1080,
      stream: 'main',
    });
    expect((msgs[0] as { mimeType: string }).mimeType).toMatch(/^video\/mp4; codecs="avc1\.[0-9a-fA-F]{6}"$/);
    const fragments = msgs.filter((m) => m.type === 'fragment');
    expect(fragments).toHaveLength(250);
    expect(fragments[0]).toMatchObject({ isKey: true, decodeTime: 0, timescale: 90_000 });
    expect(fragments[1]).toMatchObject({ isKey: false, decodeTime: 3600 });
    expect(msgs.some((m) => m.type === 'dropped')).toBe(false);
    expect(decodeDelivered(fast.delivered, 'fast.mp4')).toBe('');
  });

  it('a slow viewer loses whole GOPs, is told so, and never has more than the hard limit queued', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const hub = makeHub(clock);
    const stream = 1_196_112 / 60_000; // the clip's bytes per ms
    const slow = new SlowTransport(stream * 0.5);
    hub.attach(1, 'main', slow);
    run(hub, clock, [slow], 0, 1500);
    slow.drain(60_000);
    const msgs = slow.delivered.flatMap((d) => (d.message ? [d.message] : []));
    const dropped = msgs.filter((m) => m.type === 'dropped');
    expect(dropped.length).toBeGreaterThan(3);
    const droppedGops = dropped.reduce((n, m) => n + (m as { gops: number }).gops, 0);
    // About half the GOPs arrive; all of those whole (25 frames), the others not at all.
    const sizes = gopSizes(slow.delivered);
    expect(sizes.length + droppedGops).toBe(60);
    expect(sizes.length).toBeGreaterThan(15);
    expect(sizes.length).toBeLessThan(45);
    expect(sizes.every((n) => n === 25)).toBe(true);
    // After every `dropped` the next media is a key frame.
    slow.delivered.forEach((d, i) => {
      if (d.message?.type !== 'dropped') return;
      const next = slow.delivered.slice(i + 1).find((x) => x.message?.type === 'fragment');
      if (next) expect(next.message).toMatchObject({ isKey: true });
    });
    expect(slow.maxBuffered).toBeLessThanOrEqual(LIMITS.hardLimitBytes + 64 * 1024);
    const stats = hub.stats().perViewer[0]!;
    expect(stats.droppedGops).toBe(droppedGops);
    expect(decodeDelivered(slow.delivered, 'slow.mp4')).toBe('');
  });

  it('a stuck viewer jumps back to live with a new init; its queue stays bounded', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const hub = makeHub(clock);
    const t = new SlowTransport(1e6);
    hub.attach(1, 'main', t);
    run(hub, clock, [t], 0, 100);
    t.bytesPerMs = 0; // the client stops reading for 8 s
    run(hub, clock, [t], 100, 200);
    expect(t.bufferedBytes).toBeLessThanOrEqual(LIMITS.hardLimitBytes + 64 * 1024);
    t.bytesPerMs = 1e6;
    run(hub, clock, [t], 300, 100);
    t.drain(1000);
    const msgs = t.delivered.flatMap((d) => (d.message ? [d.message] : []));
    const inits = msgs.filter((m) => m.type === 'init');
    expect(inits.map((m) => (m as { reason: string }).reason)).toEqual(['start', 'jump-to-live']);
    const jump = msgs.findIndex((m) => m.type === 'init' && m.reason === 'jump-to-live');
    expect(msgs.slice(0, jump).some((m) => m.type === 'dropped')).toBe(true);
    const after = msgs.slice(jump).find((m) => m.type === 'fragment') as { wallMs: number; isKey: boolean };
    expect(after.isKey).toBe(true);
    // It resumed at the live edge: within a GOP of the newest frame when it drained.
    expect(after.wallMs).toBeGreaterThan(Date.UTC(2026, 0, 1) + 300 * 40 - 1000);
    expect(decodeDelivered(t.delivered, 'jump-before.mp4', 0)).toBe('');
    expect(decodeDelivered(t.delivered, 'jump-after.mp4', 1)).toBe('');
  });

  it('a late joiner gets the init and the GOP so far at once, starting at the key frame', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const hub = makeHub(clock);
    run(hub, clock, [], 0, 37); // nobody watching: frames are kept, not muxed
    expect(hub.stats().heldBytes).toBeGreaterThan(0);
    const late = new SlowTransport(1e6);
    hub.attach(1, 'main', late);
    late.drain(1);
    const first = media(late.delivered);
    expect(first[0]!.message).toMatchObject({ type: 'init', reason: 'start' });
    // The epoch began at frame 0 (nobody watching yet): the GOP so far starts at frame 25.
    expect(first[1]!.message).toMatchObject({ type: 'fragment', isKey: true, decodeTime: 25 * 3600 });
    expect(first).toHaveLength(2); // frames 25..36 in one catch-up fragment
    run(hub, clock, [late], 37, 60);
    late.drain(1000);
    const next = media(late.delivered)[2]!.message as { decodeTime: number; isKey: boolean };
    expect(next).toMatchObject({ decodeTime: 37 * 3600, isKey: false });
    expect(decodeDelivered(late.delivered, 'late.mp4')).toBe('');
    const probeFrames = gopSizes(late.delivered).reduce((a, b) => a + b, 0);
    expect(probeFrames).toBe(1 + 60);
  });

  it('ends viewers when the camera stops, and starts a new epoch after the stream reconnects', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const hub = makeHub(clock);
    const t = new SlowTransport(1e6);
    hub.attach(1, 'main', t);
    run(hub, clock, [t], 0, 30);
    hub.state(1, 'main', 'offline');
    run(hub, clock, [t], 1000, 30); // a new connection: timestamps start elsewhere
    t.drain(1000);
    const msgs = t.delivered.flatMap((d) => (d.message ? [d.message] : []));
    expect(msgs.filter((m) => m.type === 'init')).toHaveLength(2);
    expect(msgs.some((m) => m.type === 'error' && m.code === 'ARGUS_ERR_STREAM_OFFLINE')).toBe(true);
    expect(decodeDelivered(t.delivered, 'epoch2.mp4', 1)).toBe('');
    hub.stopped(1);
    t.drain(1000);
    expect(t.delivered.at(-1)!.message).toEqual({ type: 'end', reason: 'camera-removed' });
  });
});
