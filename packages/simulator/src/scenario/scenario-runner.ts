// Plays a scenario timeline against the cameras on the injected clock: one timer at a time for the
// next due step, repeating when the scenario says so. Camera names are checked before the start.
import { MediaError } from '@argus/media';
import type { CameraControl } from '../control/camera-control.js';
import type { SimulatorClock } from '../simulator-clock.js';
import { ERR_SIM_SCENARIO } from '../simulator-errors.js';
import type { Scenario, ScenarioStep } from './scenario-file.js';

export class ScenarioRunner {
  private readonly steps: ScenarioStep[];
  private timer: unknown;
  private index = 0;
  private cycleStartMs = 0;
  private stopped = false;
  /** Steps applied so far (for tests and the control API). */
  applied = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly cameras: CameraControl[],
    private readonly clock: SimulatorClock,
    private readonly log: (line: string) => void,
  ) {
    this.steps = [...scenario.timeline].sort((a, b) => a.atMs - b.atMs);
    const known = new Set(cameras.map((c) => c.name));
    for (const step of this.steps) {
      for (const name of Array.isArray(step.camera) ? step.camera : [step.camera]) {
        if (name !== '*' && !known.has(name))
          throw new MediaError(ERR_SIM_SCENARIO, `scenario names unknown camera ${name}`);
      }
    }
  }

  start(): void {
    if (this.scenario.motionSchedule !== undefined) {
      for (const c of this.cameras) c.setMotionSchedule(this.scenario.motionSchedule);
    }
    this.cycleStartMs = this.clock.nowMs();
    this.index = 0;
    this.arm();
  }

  private targets(step: ScenarioStep): CameraControl[] {
    const names = Array.isArray(step.camera) ? step.camera : [step.camera];
    return names.includes('*') ? this.cameras : this.cameras.filter((c) => names.includes(c.name));
  }

  private apply(step: ScenarioStep): void {
    for (const cam of this.targets(step)) {
      try {
        if ('motion' in step) cam.setMotion(step.motion);
        else if ('input' in step) cam.setInput(step.input.port, step.input.active);
        else if ('fault' in step) cam.fault(step.fault);
        else if ('clearFaults' in step)
          cam.clearFaults(step.clearFaults === true ? undefined : step.clearFaults);
        else cam.setMotionSchedule(step.motionSchedule);
      } catch (err) {
        this.log(`scenario step at ${step.atMs} ms on ${cam.name} failed: ${(err as Error).message}`);
      }
    }
    this.applied++;
  }

  private arm(): void {
    if (this.stopped) return;
    const step = this.steps[this.index];
    if (step === undefined) {
      const repeat = this.scenario.repeatEveryMs;
      if (repeat === undefined) return;
      this.timer = this.clock.setTimeout(
        () => {
          this.cycleStartMs += repeat;
          this.index = 0;
          this.arm();
        },
        this.cycleStartMs + repeat - this.clock.nowMs(),
      );
      return;
    }
    this.timer = this.clock.setTimeout(
      () => {
        const now = this.clock.nowMs();
        while (this.index < this.steps.length && this.cycleStartMs + this.steps[this.index]!.atMs <= now) {
          this.apply(this.steps[this.index]!);
          this.index++;
        }
        this.arm();
      },
      this.cycleStartMs + step.atMs - this.clock.nowMs(),
    );
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
  }
}
