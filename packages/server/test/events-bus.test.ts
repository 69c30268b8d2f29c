// The server's event bus: ordered numbering, typed subscriptions, a bounded history, and a
// throwing listener isolated from the others.
import { describe, expect, it } from 'vitest';
import { EventBus } from '../src/events/index.js';
import { ManualTimers } from '../src/ingest/index.js';

describe('event bus', () => {
  it('numbers events, filters by type, bounds the history and isolates listener failures', () => {
    const clock = new ManualTimers(1_000);
    const errors: unknown[] = [];
    const bus = new EventBus(clock, 3, (err) => errors.push(err));
    const offline: number[] = [];
    const all: string[] = [];
    bus.subscribe(() => {
      throw new Error('broken listener');
    });
    const off = bus.on('camera.offline', (r) => offline.push(r.event.cameraId));
    bus.subscribe((r) => all.push(`${r.seq}:${r.event.type}@${r.atMs}`));
    bus.publish({ type: 'camera.online', cameraId: 1, atMs: 1000 });
    clock.advance(5);
    bus.publish({ type: 'camera.offline', cameraId: 1, atMs: 1005, code: 'ARGUS_ERR_X', message: 'x' });
    bus.publish({ type: 'location.writable', locationId: 1 });
    off();
    bus.publish({ type: 'camera.offline', cameraId: 2, atMs: 1005, code: 'ARGUS_ERR_X', message: 'x' });
    expect(offline).toEqual([1]);
    expect(all).toEqual([
      '1:camera.online@1000',
      '2:camera.offline@1005',
      '3:location.writable@1005',
      '4:camera.offline@1005',
    ]);
    expect(errors).toHaveLength(4);
    expect(bus.since(0).map((r) => r.seq)).toEqual([2, 3, 4]);
    expect(bus.since(3).map((r) => r.seq)).toEqual([4]);
    expect(bus.lastSeq).toBe(4);
  });
});
