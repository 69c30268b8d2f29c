// The cause of an idle gap follows what keeps the camera from recording, on a simulated clock with
// a scripted camera, the real recording writer and a real catalog: a gap that starts as 'schedule'
// becomes 'offline' while the camera is away and 'schedule' again when it returns, until the
// schedule lets recording start; a stop while idle labels the rest 'disabled' (method 'off' is
// 'recording_off' until then); a server restart turns the 'server_down' gap back into the idle
// cause. The timeline shows each cause.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/base/index.js';
import type { StreamAccessUnit } from '@argus/media';
import {
  CameraSession,
  ManualTimers,
  ZonedTime,
  defaultRecordingConfig,
  recordingWriterRecorders,
  type OpenSource,
  type RecordingConfig,
  type SourceTrack,
} from '../src/ingest/index.js';
import { FAKE_TRACK, FakeCamera } from './helpers/fake-source.js';
import { clipFrame, loadClip, makeRecordingEnv, type RecordingEnv } from './helpers/recording-fixture.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const settle = () => new Promise<void>((r) => setImmediate(r));

// Real H.264 (a fixture clip), so the writer records what the schedule lets through.
const clip = loadClip('sub-h264-still.mp4');
const CLIP_TRACK: SourceTrack = { ...FAKE_TRACK, config: clip.track.config as SourceTrack['config'] };
const clipUnit = (i: number, wallTimeMs: number): StreamAccessUnit => ({
  trackIndex: 0,
  info: CLIP_TRACK.info,
  wallTimeMs,
  accessUnit: clipFrame(clip, i),
});

/** Monday 12:00 UTC; the schedule allows recording from 12:01. */
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const FROM_1201: Partial<RecordingConfig> = {
  mode: 'continuous',
  schedule: { windows: [{ days: ['mon'], start: '12:01', end: '13:00' }] },
};

async function setup(recording: Partial<RecordingConfig>, env?: RecordingEnv, timers?: ManualTimers) {
  const clock = timers ?? new ManualTimers(T0);
  let e = env;
  if (e === undefined) {
    const dir = mkdtempSync(path.join(tmpdir(), 'argus-gap-causes-'));
    dirs.push(dir);
    e = await makeRecordingEnv(dir, { clock });
  }
  const camera = new FakeCamera();
  const openSource: OpenSource = (request, handlers) => {
    const source = camera.open(request, handlers);
    return { ...source, tracks: () => (source.tracks() ? [CLIP_TRACK] : undefined) };
  };
  const session = new CameraSession(
    {
      id: e.cameraId,
      name: 'door',
      storageLocationId: e.location.id,
      streams: { main: { url: 'rtsp://cam/main', transport: 'tcp' }, sub: null },
      credentials: null,
      recording: { ...defaultRecordingConfig(), ...recording },
      motionSource: null,
    },
    {
      clock,
      timers: clock,
      random: () => 0.5,
      openSource,
      openRecorder: recordingWriterRecorders({
        catalog: e.catalog,
        registry: e.registry,
        events: e.events,
        clock,
        writerOptions: { segmentDurationMs: 10_000 },
      }),
      motionRepo: e.catalog.motion,
      gapIndex: e.catalog,
      logger: createLogger(process.env['GAP_DEBUG'] ? 'debug' : 'silent'),
      emit: () => undefined,
      zone: () => new ZonedTime('UTC'),
    },
  );
  let frame = 0;
  /** Plays 25 fps until `untilS` seconds after T0 (frames are lost while the camera is down). */
  const playUntil = async (untilS: number) => {
    for (let i = 0; i < 100_000 && clock.nowMs() < T0 + untilS * 1000; i++) {
      if (camera.up) camera.frame(clipUnit(frame++, clock.nowMs()));
      else frame++;
      clock.advance(40);
      if (frame % 25 === 0) await settle();
    }
    await settle();
  };
  const gaps = async () =>
    (await e.catalog.gaps.list(e.streamId, 0, Number.MAX_SAFE_INTEGER)).map((g) => ({
      cause: g.cause,
      startS: Math.round((g.startTime90k / 90 - T0) / 100) / 10,
      endS: g.endTime90k === null ? null : Math.round((g.endTime90k / 90 - T0) / 100) / 10,
    }));
  return { env: e, timers: clock, camera, session, playUntil, gaps };
}

describe('idle gap causes', () => {
  it('schedule -> offline -> schedule, then the run closes the gap; the timeline shows each cause', async () => {
    const t = await setup(FROM_1201);
    await t.session.start();
    await t.playUntil(20);
    await t.session.settle();
    // Opened once the recorder is open (within the first second).
    const first = await t.gaps();
    expect(first).toEqual([{ cause: 'schedule', startS: first[0]!.startS, endS: null }]);
    expect(first[0]!.startS).toBeLessThanOrEqual(1);
    // The camera goes away at 20 s and comes back at 40 s.
    t.camera.up = false;
    t.camera.drop();
    await settle();
    expect(t.session.status().state).toBe('offline');
    await t.playUntil(40);
    t.camera.up = true;
    await t.playUntil(50);
    expect(t.session.status().state).toBe('online');
    await t.session.settle();
    const during = await t.gaps();
    expect(during.map((g) => g.cause)).toEqual(['schedule', 'offline', 'schedule']);
    expect(during[0]).toEqual({ cause: 'schedule', startS: first[0]!.startS, endS: 20 });
    expect(during[1]!.startS).toBe(20);
    expect(during[1]!.endS).toBeGreaterThanOrEqual(40);
    expect(during[1]!.endS).toBeLessThan(42);
    expect(during[2]).toEqual({ cause: 'schedule', startS: during[1]!.endS, endS: null });
    // 12:01: the schedule allows recording; the run's start closes the gap.
    await t.playUntil(70);
    expect(t.session.status().recording).toMatchObject({ active: true, reason: 'continuous' });
    await t.session.stop(); // ends the run (indexed) and opens 'server_down'
    const after = await t.gaps();
    expect(after.map((g) => g.cause)).toEqual(['schedule', 'offline', 'schedule', 'server_down']);
    expect(after[2]!.endS).toBeGreaterThanOrEqual(60);
    expect(after[2]!.endS).toBeLessThanOrEqual(61);
    expect(after[3]!.startS).toBeGreaterThanOrEqual(69);
    const timeline = await t.env.catalog.timeline.query({
      streamId: t.env.streamId,
      from90k: (T0 + first[0]!.startS * 1000) * 90,
      to90k: (T0 + 65_000) * 90,
      resolution90k: 90_000,
      now90k: (T0 + 70_000) * 90,
    });
    expect(timeline.gaps.map((g) => g.cause)).toEqual(['schedule', 'offline', 'schedule']);
    expect(timeline.gaps[1]!.startTime90k).toBe((T0 + 20_000) * 90);
    expect(timeline.recorded.length).toBe(1);
    expect(timeline.recorded[0]!.startTime90k).toBe(timeline.gaps[2]!.endTime90k);
  });

  it('a stop while idle labels the rest of the gap with the stop cause', async () => {
    const t = await setup({ mode: 'off' });
    await t.session.start();
    await t.playUntil(10);
    await t.session.stop('disabled', 'disabled');
    const off = await t.gaps();
    // 'off' (recording_off) until the stop, then 'disabled'
    expect(off.map((g) => g.cause)).toEqual(['recording_off', 'disabled']);
    expect(off[0]!.endS).toBe(off[1]!.startS);
    expect(off[1]!.endS).toBeNull();
    const m = await setup({ mode: 'motion' }, t.env, t.timers);
    await m.session.start();
    await m.playUntil(20);
    await m.session.stop('disabled', 'disabled');
    const rows = (await m.gaps()).map((g) => [g.cause, g.startS, g.endS]);
    // The 'disabled' gap opened at the first stop becomes 'no_motion' at the same instant.
    expect(rows.map((r) => r[0])).toEqual(['recording_off', 'no_motion', 'disabled']);
    expect(rows.slice(1)).toEqual([
      ['no_motion', rows[1]![1], 20],
      ['disabled', 20, null],
    ]);
    expect(rows[0]![2]).toBe(rows[1]![1]);
    expect(rows[1]![1]).toBeLessThanOrEqual(11);
  });

  it('after a restart the server_down gap gives way to the idle cause', async () => {
    const t = await setup(FROM_1201);
    await t.session.start();
    await t.playUntil(10);
    await t.session.stop(); // server shutdown: 'server_down'
    t.timers.advance(15_000); // the server is down 15 s
    const again = await setup(FROM_1201, t.env, t.timers);
    await again.session.start();
    await again.playUntil(35);
    await again.session.settle();
    const rows = (await again.gaps()).map((g) => [g.cause, g.startS, g.endS]);
    expect(rows.slice(1)).toEqual([
      ['server_down', 10, rows[2]![1]],
      ['schedule', rows[2]![1], null],
    ]);
    expect(rows[0]).toEqual(['schedule', rows[0]![1], 10]);
    // the new gap starts once the restarted camera's recorder is open (within its first second)
    expect(rows[2]![1]).toBeGreaterThanOrEqual(25);
    expect(rows[2]![1]).toBeLessThanOrEqual(26);
    await again.session.stop();
  });
});
