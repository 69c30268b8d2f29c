// The reconnect loop of one stream on a simulated clock: online on media, stall after 10 s without
// media, jittered exponential back-off (fast while an outage is young), counters across connections.
import { describe, expect, it } from 'vitest';
import { ManualTimers, ReconnectBackoff, StreamSession, type StreamState } from '../src/ingest/index.js';
import { FakeCamera, videoUnit } from './helpers/fake-source.js';

const settle = () => new Promise<void>((r) => setImmediate(r));

function setup(random = () => 0.5) {
  const timers = new ManualTimers();
  const camera = new FakeCamera();
  const states: { state: StreamState; atMs: number }[] = [];
  let units = 0;
  const session = new StreamSession({
    request: { url: 'rtsp://cam/main', transport: 'tcp' },
    openSource: camera.open,
    clock: timers,
    timers,
    random,
    listener: {
      onUnit: () => void units++,
      onState: (state) => states.push({ state, atMs: timers.monotonicMs() }),
    },
  });
  let frame = 0;
  /** Plays `seconds` of 25 fps video in 40 ms steps. */
  const play = async (seconds: number) => {
    for (let i = 0; i < seconds * 25; i++) {
      camera.frame(videoUnit(frame, timers.nowMs()));
      frame++;
      timers.advance(40);
      if (i % 25 === 0) await settle();
    }
    await settle();
  };
  return { timers, camera, session, states, play, units: () => units };
}

describe('stream session', () => {
  it('goes online with the first access unit and measures bitrate and frame rate', async () => {
    const t = setup();
    t.session.start();
    await settle();
    expect(t.session.state).toBe('connecting');
    await t.play(3);
    expect(t.session.state).toBe('online');
    const s = t.session.status();
    expect(s.fps).toBeGreaterThan(24);
    expect(s.fps).toBeLessThan(26.5);
    // 1000 bytes per frame at 25 fps = 200 kbit/s
    expect(s.bitrateKbps).toBeGreaterThan(190);
    expect(s.bitrateKbps).toBeLessThan(215);
    expect(s.reconnects).toBe(0);
    expect(s.width).toBe(640);
    expect(t.units()).toBe(75);
    await t.session.stop();
  });

  it('declares a stall after 10 s without media, reconnects, and counts it', async () => {
    const t = setup();
    t.session.start();
    await settle();
    await t.play(2);
    const quietAt = t.timers.monotonicMs();
    for (let i = 0; i < 12; i++) {
      t.timers.advance(1000);
      await settle();
    }
    const offline = t.states.find((s) => s.state === 'offline');
    expect(offline).toBeDefined();
    expect(offline!.atMs - quietAt).toBeGreaterThanOrEqual(10_000 - 40);
    expect(offline!.atMs - quietAt).toBeLessThanOrEqual(11_000);
    expect(t.session.status().lastError?.code).toBe('ARGUS_ERR_STREAM_STALLED');
    expect(t.camera.connections[0]!.closed).toBe(true);
    expect(t.camera.connections.length).toBeGreaterThanOrEqual(2);
    await t.play(1);
    expect(t.session.state).toBe('online');
    expect(t.session.status().reconnects).toBeGreaterThanOrEqual(1);
    expect(t.session.status().lastError).toBeNull();
    await t.session.stop();
  });

  it('retries a camera that is down with jittered exponential back-off, fast while the outage is young', async () => {
    const t = setup(() => 0.999);
    t.camera.up = false;
    t.session.start();
    const attempts: number[] = [0];
    expect(t.camera.connections.length).toBe(1);
    for (let ms = 0; ms < 120_000; ms += 10) {
      const n = t.camera.connections.length;
      t.timers.advance(10);
      await settle();
      if (t.camera.connections.length > n) attempts.push(t.timers.monotonicMs());
    }
    const gaps = attempts.slice(1).map((a, i) => a - attempts[i]!);
    // 100, 200, 400 then capped at 500 (jitter factor ~1) during the first minute
    expect(gaps.slice(0, 4)).toEqual([100, 200, 400, 500].map((g) => expect.closeTo(g, -1.5)));
    const early = gaps.filter((_, i) => attempts[i + 1]! < 55_000);
    expect(Math.max(...early)).toBeLessThanOrEqual(510);
    // after a minute the cap is 10 s
    const late = gaps.filter((_, i) => attempts[i]! > 70_000);
    expect(Math.max(...late)).toBeGreaterThan(5000);
    expect(Math.max(...late)).toBeLessThanOrEqual(10_010);
    expect(t.session.state).toBe('offline');
    expect(t.session.status().lastError?.code).toBe('ARGUS_ERR_RTSP_CONNECT');
    // back online: the next outage starts fast again
    t.camera.up = true;
    for (let i = 0; i < 1100 && t.camera.current === undefined; i++) {
      t.timers.advance(10);
      await settle();
    }
    await t.play(1);
    expect(t.session.state).toBe('online');
    await t.session.stop();
  });

  it('jitter spreads the delays between half and the full step', () => {
    const low = new ReconnectBackoff({}, () => 0);
    const high = new ReconnectBackoff({}, () => 0.9999);
    const l = [1, 2, 3, 4, 5].map(() => low.nextDelayMs(0));
    const h = [1, 2, 3, 4, 5].map(() => high.nextDelayMs(0));
    expect(l).toEqual([50, 100, 200, 250, 250]);
    expect(h).toEqual([100, 200, 400, 500, 500]);
  });

  it('keeps counting lost packets across connections and stops cleanly', async () => {
    const t = setup();
    t.session.start();
    await settle();
    await t.play(1);
    t.camera.current!.lost = 7;
    t.camera.drop();
    await settle();
    expect(t.session.state).toBe('offline');
    expect(t.session.status().lastError?.code).toBe('ARGUS_ERR_RTSP_CLOSED');
    t.timers.advance(600);
    await settle();
    await t.play(1);
    t.camera.current!.lost = 3;
    expect(t.session.status().lostPackets).toBe(10);
    expect(t.session.status().reconnects).toBe(1);
    await t.session.stop();
    expect(t.session.state).toBe('stopped');
    const n = t.camera.connections.length;
    t.timers.advance(60_000);
    await settle();
    expect(t.camera.connections.length).toBe(n);
    expect(t.camera.connections.every((c) => c.closed)).toBe(true);
  });
});
