// Motion state, schedules and scenario files on a simulated clock: changes land on GOP boundaries
// (whole seconds), events carry those times, windows match, and scenario files are parsed strictly.
import { describe, expect, it } from 'vitest';
import { isMediaError } from '@argus/media';
import { CameraEventBus, TOPIC_MOTION } from '../src/camera/camera-events.js';
import { MotionController } from '../src/camera/motion-controller.js';
import { parseScenario } from '../src/scenario/scenario-file.js';
import { ScenarioRunner } from '../src/scenario/scenario-runner.js';
import type { CameraControl } from '../src/control/camera-control.js';
import { ERR_SIM_SCENARIO } from '../src/simulator-errors.js';
import { FakeClock } from './helpers/fake-clock.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0); // a whole minute

function motionRig(startMs: number) {
  const clock = new FakeClock(startMs);
  const bus = new CameraEventBus();
  const changes: Array<[boolean, number]> = [];
  const motion = new MotionController(clock, 1000, (on, at) => {
    changes.push([on, at]);
    bus.set(TOPIC_MOTION, { name: 'Source', value: 'vs' }, { name: 'State', value: String(on) }, at);
  });
  return { clock, bus, changes, motion };
}

describe('MotionController', () => {
  it('applies a request at the next whole second and reports that time', () => {
    const { clock, changes, motion, bus } = motionRig(T0 + 300);
    expect(motion.request(true)).toBe(T0 + 1000);
    expect(motion.isOnAt(T0 + 999)).toBe(false);
    expect(motion.isOnAt(T0 + 1000)).toBe(true);
    expect(changes).toEqual([]);
    clock.advance(700);
    expect(changes).toEqual([[true, T0 + 1000]]);
    expect(bus.since(0).map((e) => [e.data.value, e.utcMs])).toEqual([['true', T0 + 1000]]);
  });

  it('a request too close to a boundary moves to the following one; a reversal cancels a pending one', () => {
    const { clock, changes, motion } = motionRig(T0 + 990);
    expect(motion.request(true)).toBe(T0 + 2000);
    expect(motion.request(false)).toBe(T0 + 2000);
    clock.advance(3000);
    expect(changes).toEqual([]);
    expect(motion.windows()).toEqual([]);
  });

  it('follows a schedule exactly on its edges and records the windows', () => {
    const { clock, changes, motion } = motionRig(T0 + 100);
    motion.setSchedule({ periodMs: 10_000, durationMs: 3000, offsetMs: 2000 });
    clock.advance(24_000);
    expect(changes).toEqual([
      [true, T0 + 2000],
      [false, T0 + 5000],
      [true, T0 + 12_000],
      [false, T0 + 15_000],
      [true, T0 + 22_000],
    ]);
    expect(motion.windows()).toEqual([
      { startMs: T0 + 2000, endMs: T0 + 5000 },
      { startMs: T0 + 12_000, endMs: T0 + 15_000 },
      { startMs: T0 + 22_000 },
    ]);
    motion.setSchedule(null);
    clock.advance(20_000);
    expect(changes.length).toBe(5);
    motion.stop();
    expect(clock.pending).toBe(0);
  });

  it('starting inside a scheduled window turns motion on at the next second', () => {
    const { clock, changes, motion } = motionRig(T0 + 2500);
    motion.setSchedule({ periodMs: 10_000, durationMs: 3000, offsetMs: 2000 });
    clock.advance(3000);
    expect(changes).toEqual([
      [true, T0 + 3000],
      [false, T0 + 5000],
    ]);
  });
});

describe('scenario files', () => {
  it('parses a valid timeline', () => {
    const s = parseScenario({
      motionSchedule: null,
      repeatEveryMs: 20_000,
      timeline: [
        { atMs: 1000, camera: '*', motion: true },
        { atMs: 2000, camera: ['sim-cam-01'], input: { port: 1, active: true } },
        { atMs: 3000, camera: 'sim-cam-01', fault: { type: 'reboot', durationMs: 2000 } },
        { atMs: 4000, camera: 'sim-cam-01', clearFaults: true },
      ],
    });
    expect(s.timeline).toHaveLength(4);
    expect(s.motionSchedule).toBeNull();
  });

  it.each([
    [{ timeline: [{ atMs: -1, camera: '*', motion: true }] }, 'atMs'],
    [{ timeline: [{ atMs: 0, camera: '*' }] }, 'exactly one'],
    [{ timeline: [{ atMs: 0, camera: '*', motion: true, fault: { type: 'drop' } }] }, 'exactly one'],
    [{ timeline: [{ atMs: 0, camera: '*', fault: { type: 'melt' } }] }, 'fault type'],
    [{ timeline: [{ atMs: 0, camera: '*', fault: { type: 'reboot' } }] }, 'durationMs'],
    [{ timeline: [{ atMs: 0, camera: '', motion: true }] }, 'camera'],
    [{ timeline: [{ atMs: 0, camera: '*', motion: 'yes' }] }, 'motion'],
    [{ timeline: [], extra: 1 }, 'unknown key'],
    [{ timeline: [{ atMs: 5000, camera: '*', motion: true }], repeatEveryMs: 4000 }, 'repeatEveryMs'],
    [{ motionSchedule: { periodMs: 1000, durationMs: 500 }, timeline: [] }, 'periodMs'],
  ])('rejects %j', (input, needle) => {
    let error: unknown;
    try {
      parseScenario(input);
    } catch (err) {
      error = err;
    }
    expect(isMediaError(error, ERR_SIM_SCENARIO)).toBe(true);
    expect((error as Error).message).toContain(needle);
  });

  it('runs steps on time, repeats, and refuses unknown camera names', () => {
    const clock = new FakeClock(T0);
    const calls: string[] = [];
    const cam = (name: string) =>
      ({
        name,
        setMotion: (on: boolean) => calls.push(`${clock.now - T0} ${name} motion ${on}`),
        setInput: (port: number, on: boolean) => calls.push(`${clock.now - T0} ${name} input ${port} ${on}`),
        fault: (f: { type: string }) => calls.push(`${clock.now - T0} ${name} fault ${f.type}`),
        clearFaults: () => calls.push(`${clock.now - T0} ${name} clear`),
        setMotionSchedule: () => calls.push(`${clock.now - T0} ${name} schedule`),
      }) as unknown as CameraControl;
    const cameras = [cam('a'), cam('b')];
    const scenario = parseScenario({
      repeatEveryMs: 10_000,
      timeline: [
        { atMs: 3000, camera: 'b', input: { port: 2, active: true } },
        { atMs: 1000, camera: '*', motion: true },
        { atMs: 3000, camera: 'a', fault: { type: 'drop' } },
      ],
    });
    const runner = new ScenarioRunner(scenario, cameras, clock, () => {});
    runner.start();
    clock.advance(14_000);
    runner.stop();
    expect(calls).toEqual([
      '1000 a motion true',
      '1000 b motion true',
      '3000 b input 2 true',
      '3000 a fault drop',
      '11000 a motion true',
      '11000 b motion true',
      '13000 b input 2 true',
      '13000 a fault drop',
    ]);
    expect(clock.pending).toBe(0);
    expect(
      () =>
        new ScenarioRunner(
          parseScenario({ timeline: [{ atMs: 0, camera: 'zz', motion: true }] }),
          cameras,
          clock,
          () => {},
        ),
    ).toThrow(/unknown camera zz/);
  });
});

describe('startSimulator with a scenario file on a simulated clock', () => {
  it('loads the file, checks camera names and plays motion, inputs and faults', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const { startSimulator } = await import('@argus/simulator');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-sim-scenario-'));
    const file = path.join(dir, 'scenario.json');
    await writeFile(
      file,
      JSON.stringify({
        motionSchedule: null,
        timeline: [
          { atMs: 2000, camera: 'sim-cam-02', motion: true },
          { atMs: 3000, camera: '*', input: { port: 2, active: true } },
          { atMs: 4000, camera: 'sim-cam-01', fault: { type: 'resolution', durationMs: 3000 } },
          { atMs: 9000, camera: 'sim-cam-02', motion: false },
        ],
      }),
    );
    const clock = new FakeClock(T0 + 500);
    const sim = await startSimulator({ cameras: 2, clock, scenario: file, controlApi: false });
    try {
      clock.advance(5000);
      const [a, b] = sim.control.cameras as [CameraControl, CameraControl];
      expect(a.state()).toMatchObject({ motion: false, inputs: [false, true] });
      expect(a.state().faults.map((f) => f.spec.type)).toEqual(['resolution']);
      expect(b.state()).toMatchObject({ motion: true, inputs: [false, true], faults: [] });
      clock.advance(5000);
      expect(a.state().faults).toEqual([]);
      expect(b.motionWindows()).toEqual([{ startMs: T0 + 3000, endMs: T0 + 10_000 }]);
      await expect(
        startSimulator({
          cameras: 1,
          clock,
          controlApi: false,
          scenario: { timeline: [{ atMs: 0, camera: 'sim-cam-09', motion: true }] },
        }),
      ).rejects.toThrow(/unknown camera sim-cam-09/);
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
