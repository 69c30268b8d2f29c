// RunClock: anchored once, slewed by at most maxSlewPpm toward the host clock, strictly increasing
// (never stepped), a host clock step detected against the monotonic clock, hopeless drift reported.
import { describe, expect, it } from 'vitest';
import { RunClock } from '../src/ingest/index.js';
import { SteppableClock } from './helpers/recording-fixture.js';

const T0 = Date.UTC(2026, 0, 1);

describe('run clock', () => {
  it('follows a camera clock off by 500 ppm exactly and never slews faster than 1000 ppm', () => {
    const clock = new SteppableClock(T0);
    const rc = new RunClock(clock, 1_000_000);
    let lastWall = rc.startWall90k;
    let maxRateError = 0;
    let lastErr = 0;
    for (let i = 1; i <= 25 * 600; i++) {
      clock.advance(40 * 1.0005); // the camera's 40 ms take 40.02 ms of host time
      const obs = rc.observe(1_000_000 + i * 3600);
      if (obs.kind !== 'ok') throw new Error(obs.kind);
      const step = obs.wall90k - lastWall;
      expect(step).toBeGreaterThan(0);
      maxRateError = Math.max(maxRateError, Math.abs(step / 3600 - 1));
      lastWall = obs.wall90k;
      lastErr = obs.errorMs;
    }
    expect(maxRateError).toBeLessThanOrEqual(0.001 + 1 / 3600); // rounding of one unit
    expect(Math.abs(lastErr)).toBeLessThan(50); // caught up after 10 minutes
    expect(rc.slewPpm).toBeGreaterThan(400);
    expect(rc.slewPpm).toBeLessThanOrEqual(1000);
  });

  it('reports a host clock step and a hopeless drift instead of stepping', () => {
    const clock = new SteppableClock(T0);
    const rc = new RunClock(clock, 0);
    clock.advance(40);
    expect(rc.observe(3600).kind).toBe('ok');
    clock.step(-5000);
    clock.advance(40);
    expect(rc.observe(7200)).toMatchObject({ kind: 'step' });
    const drifting = new RunClock(clock, 0);
    clock.advance(40);
    expect(drifting.observe(90_000 * 30).kind).toBe('drift'); // 30 s of media in 40 ms
  });

  it('anchors a pre-buffered unit at the time it arrived', () => {
    const clock = new SteppableClock(T0);
    const rc = new RunClock(clock, 0, {}, T0 - 5000);
    expect(rc.startWall90k).toBe((T0 - 5000) * 90);
    const obs = rc.observe(90_000, T0 - 4000);
    expect(obs).toMatchObject({ kind: 'ok', wall90k: (T0 - 4000) * 90 });
  });
});
