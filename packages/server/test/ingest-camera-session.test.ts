// A camera session on a simulated clock with a scripted camera, motion source and recorder: which
// footage reaches the recorder under each recording method, the pre/post buffer around motion, the
// schedule, manual recording, and runs ended by an outage with the right reason and gap cause.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/base/index.js';
import type { MotionRepo } from '../src/db/index.js';
import {
  CameraSession,
  ManualTimers,
  ZonedTime,
  defaultRecordingConfig,
  type IngestEvent,
  type MotionEventSourceListener,
  type RecorderPort,
  type RecordingConfig,
} from '../src/ingest/index.js';
import { FakeCamera, videoUnit } from './helpers/fake-source.js';

const settle = () => new Promise<void>((r) => setImmediate(r));

interface Written {
  wallMs: number;
  isKey: boolean;
  receivedAtMs: number;
}

function setup(recording: Partial<RecordingConfig>, withMotion = true) {
  const timers = new ManualTimers(Date.UTC(2026, 0, 5, 12, 0, 0)); // a Monday, noon UTC
  const camera = new FakeCamera();
  const runs: { units: Written[]; end?: { reason: string; gap: string | undefined } }[] = [];
  const recorder: RecorderPort = {
    write(item) {
      let run = runs.at(-1);
      if (!run || run.end) runs.push((run = { units: [] }));
      const au = item.unit.accessUnit;
      run.units.push({
        wallMs: item.unit.wallTimeMs,
        isKey: au.kind === 'video' && au.isKey,
        receivedAtMs: item.receivedAtMs,
      });
    },
    async end(reason, gap) {
      const run = runs.at(-1);
      if (run && !run.end) run.end = { reason, gap };
      else idleGaps.push({ reason, gap, afterRuns: runs.length });
    },
    get recording() {
      return runs.at(-1)?.end === undefined && runs.length > 0;
    },
  };
  const intervals: { start: number; end: number | null }[] = [];
  const idleGaps: { reason: string; gap: string | undefined; afterRuns: number }[] = [];
  const motionRepo = {
    start: async (_c: number, start: number) => intervals.push({ start, end: null }) - 1,
    end: async (id: number, end: number) => void (intervals[id]!.end = end),
  } as unknown as MotionRepo;
  let motionListener: MotionEventSourceListener | undefined;
  const events: IngestEvent[] = [];
  const session = new CameraSession(
    {
      id: 7,
      name: 'door',
      storageLocationId: 1,
      streams: { main: { url: 'rtsp://cam/main', transport: 'tcp' }, sub: null },
      credentials: { user: 'u', password: 'p' },
      recording: { ...defaultRecordingConfig(), ...recording },
      motionSource: withMotion
        ? { kind: 'test', start: (l) => void (motionListener = l), stop: async () => undefined }
        : null,
    },
    {
      clock: timers,
      timers,
      random: () => 0.5,
      openSource: camera.open,
      openRecorder: async () => recorder,
      motionRepo,
      logger: createLogger('silent'),
      emit: (e) => events.push(e),
      zone: () => new ZonedTime('UTC'),
    },
  );
  let frame = 0;
  const t0 = timers.nowMs();
  /** Plays 25 fps until `untilS` seconds after the start (frame wall time = the clock). */
  const playUntil = async (untilS: number) => {
    while (timers.nowMs() < t0 + untilS * 1000) {
      camera.frame(videoUnit(frame++, timers.nowMs()));
      timers.advance(40);
      if (frame % 25 === 0) await settle();
    }
    await settle();
  };
  const motion = (active: boolean, atS: number) =>
    motionListener!.onMotion({ active, atMs: t0 + atS * 1000 });
  return { timers, camera, session, runs, intervals, idleGaps, events, playUntil, motion, t0 };
}

const span = (run: { units: Written[] }, t0: number) => ({
  startS: (run.units[0]!.wallMs - t0) / 1000,
  endS: (run.units.at(-1)!.wallMs - t0) / 1000,
});

describe('camera session', () => {
  it('continuous: records from the first key picture; an outage ends the run as offline and a new run follows', async () => {
    const t = setup({ mode: 'continuous' }, false);
    await t.session.start();
    await t.playUntil(5);
    expect(t.runs.length).toBe(1);
    expect(t.runs[0]!.units[0]!.isKey).toBe(true);
    expect(t.session.status()).toMatchObject({
      state: 'online',
      recording: { active: true, reason: 'continuous' },
    });
    t.camera.drop();
    await settle();
    expect(t.runs[0]!.end).toEqual({ reason: 'offline', gap: 'offline' });
    expect(t.session.status().state).toBe('offline');
    t.timers.advance(300);
    await settle();
    await t.playUntil(10);
    expect(t.runs.length).toBe(2);
    expect(t.runs[1]!.units[0]!.isKey).toBe(true);
    expect(t.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['camera.online', 'camera.offline', 'stream.state']),
    );
    await t.session.stop();
    expect(t.runs[1]!.end).toEqual({ reason: 'stopped', gap: 'server_down' });
  });

  it('motion: records the motion window widened by the pre- and post-buffer, on GOP boundaries', async () => {
    const t = setup({ mode: 'motion', preBufferMs: 5000, postBufferMs: 5000 });
    await t.session.start();
    await t.playUntil(20);
    expect(t.runs.length).toBe(0);
    t.motion(true, 20);
    await t.playUntil(30);
    t.motion(false, 30);
    await t.playUntil(45);
    expect(t.runs.length).toBe(1);
    const run = t.runs[0]!;
    const s = span(run, t.t0);
    // starts at the key picture at 15 s (20 s - 5 s), ends before 35 s (30 s + 5 s)
    expect(s.startS).toBe(15);
    expect(run.units[0]!.isKey).toBe(true);
    expect(s.endS).toBeGreaterThanOrEqual(34.9);
    expect(s.endS).toBeLessThan(35);
    expect(run.end).toEqual({ reason: 'no_motion', gap: 'no_motion' });
    // before the first run the timeline already says why nothing is recorded, once
    expect(t.idleGaps).toEqual([{ reason: 'no_motion', gap: 'no_motion', afterRuns: 0 }]);
    // pre-buffered units keep the time they arrived
    expect(run.units[0]!.receivedAtMs).toBe(t.t0 + 15_000);
    // no frame is written twice or skipped
    for (let i = 1; i < run.units.length; i++)
      expect(run.units[i]!.wallMs - run.units[i - 1]!.wallMs).toBe(40);
    await t.session.settle();
    expect(t.intervals).toEqual([{ start: (t.t0 + 20_000) * 90, end: (t.t0 + 30_000) * 90 }]);
    expect(t.events.filter((e) => e.type.startsWith('motion.')).map((e) => e.type)).toEqual([
      'motion.started',
      'motion.stopped',
    ]);
    await t.session.stop();
  });

  it('motion: overlapping post-buffer and the next motion make one run', async () => {
    const t = setup({ mode: 'motion', preBufferMs: 2000, postBufferMs: 3000 });
    await t.session.start();
    await t.playUntil(10);
    t.motion(true, 10);
    await t.playUntil(12);
    t.motion(false, 12);
    await t.playUntil(14);
    t.motion(true, 14);
    await t.playUntil(16);
    t.motion(false, 16);
    await t.playUntil(25);
    expect(t.runs.length).toBe(1);
    const s = span(t.runs[0]!, t.t0);
    expect(s.startS).toBe(8);
    expect(s.endS).toBeCloseTo(18.96, 2);
    await t.session.stop();
  });

  it('the schedule limits continuous recording, with the gap cause "schedule"', async () => {
    // noon UTC on a Monday; the schedule allows only Monday 12:00:10 onwards... in whole minutes: 12:01-
    const t = setup(
      { mode: 'continuous', schedule: { windows: [{ days: ['mon'], start: '12:01', end: '13:00' }] } },
      false,
    );
    await t.session.start();
    await t.playUntil(30);
    expect(t.runs.length).toBe(0);
    expect(t.session.status().recording.active).toBe(false);
    expect(t.idleGaps).toEqual([{ reason: 'schedule', gap: 'schedule', afterRuns: 0 }]);
    await t.playUntil(65);
    expect(t.runs.length).toBe(1);
    expect(span(t.runs[0]!, t.t0).startS).toBeGreaterThanOrEqual(60);
    expect(span(t.runs[0]!, t.t0).startS).toBeLessThanOrEqual(62);
    t.session.updateRecording({
      ...defaultRecordingConfig(),
      schedule: { windows: [{ days: ['tue'], start: '00:00', end: '24:00' }] },
    });
    await t.playUntil(70);
    expect(t.runs[0]!.end).toEqual({ reason: 'schedule', gap: 'schedule' });
    await t.session.stop();
  });

  it('manual recording overrides "off" until stopped', async () => {
    const t = setup({ mode: 'off' }, false);
    await t.session.start();
    await t.playUntil(3);
    expect(t.runs.length).toBe(0);
    t.session.setManual(true);
    await t.playUntil(8);
    expect(t.session.status().recording).toMatchObject({ active: true, reason: 'manual', manual: true });
    t.session.setManual(false);
    await t.playUntil(10);
    expect(t.runs.length).toBe(1);
    // starts within the GOP in which it was asked for
    expect(span(t.runs[0]!, t.t0).startS).toBe(3);
    expect(t.runs[0]!.end).toEqual({ reason: 'stopped', gap: 'recording_off' });
    expect(t.events.filter((e) => e.type === 'recording.manual')).toHaveLength(2);
    await t.session.stop();
  });

  it('a lost motion channel ends an open motion interval', async () => {
    const t = setup({ mode: 'both' });
    await t.session.start();
    await t.playUntil(2);
    t.motion(true, 2);
    await t.playUntil(4);
    expect(t.session.status().motion).toMatchObject({ active: true, source: 'test' });
    t.timers.advance(0);
    await t.session.stop();
    await t.session.settle();
    expect(t.intervals.length).toBe(1);
    expect(t.intervals[0]!.end).not.toBeNull();
  });
});
