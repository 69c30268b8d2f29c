// Retention against a reference model (fast-check, seeded): random sequences of record / lock /
// unlock / change retention / advance clock / shrink the location ("fill the disk"). After every
// pass the catalog keeps exactly the segments the model keeps, locked footage is never deleted,
// and footage younger than its retention goes only when space demands it, oldest first.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/base/index.js';
import { openSqliteCatalog } from '../src/db/index.js';
import {
  RecordingEventBus,
  RetentionService,
  StorageRegistry,
  createStorageLocation,
} from '../src/ingest/index.js';

const MB = 1_000_000;
const HOUR = 3_600_000;
const HEADROOM = 10 * MB;
const root = mkdtempSync(path.join(tmpdir(), 'argus-retention-prop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Action =
  | { kind: 'record'; camera: number; durationS: number; sizeMB: number }
  | { kind: 'lock'; camera: number; backS: number; lengthS: number }
  | { kind: 'unlock'; pick: number }
  | { kind: 'retention'; camera: number; hours: number }
  | { kind: 'advance'; minutes: number }
  | { kind: 'limit'; mb: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('record' as const),
      camera: fc.nat(2),
      durationS: fc.integer({ min: 1, max: 900 }),
      sizeMB: fc.integer({ min: 1, max: 60 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('lock' as const),
      camera: fc.nat(2),
      backS: fc.integer({ min: 0, max: 30_000 }),
      lengthS: fc.integer({ min: 1, max: 40_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unlock' as const), pick: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('retention' as const),
      camera: fc.nat(2),
      hours: fc.integer({ min: 1, max: 72 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      minutes: fc.integer({ min: 0, max: 3_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('limit' as const), mb: fc.integer({ min: 30, max: 400 }) }),
  },
);

interface ModelSegment {
  id: number;
  camera: number;
  start: number;
  end: number;
  size: number;
}
interface ModelLock {
  id: number;
  camera: number;
  start: number;
  end: number;
}

/** The specification of one retention pass, on plain data. */
function modelPass(
  segs: ModelSegment[],
  locks: ModelLock[],
  retentionMs: number[],
  now90k: number,
  limit: number,
  wasFull: boolean,
): { kept: ModelSegment[]; full: boolean } {
  const locked = (s: ModelSegment) =>
    locks.some((l) => l.camera === s.camera && l.start < s.end && l.end > s.start);
  let kept = segs.filter((s) => locked(s) || s.end > now90k - retentionMs[s.camera]! * 90);
  let used = kept.reduce((a, s) => a + s.size, 0);
  if (used > limit || wasFull) {
    const target = Math.max(used - limit, 0) + HEADROOM;
    let freed = 0;
    const order = kept.filter((s) => !locked(s)).sort((a, b) => a.start - b.start || a.id - b.id);
    const gone = new Set<number>();
    for (const s of order) {
      if (freed >= target) break;
      gone.add(s.id);
      freed += s.size;
    }
    kept = kept.filter((s) => !gone.has(s.id));
    used -= freed;
  }
  const full = used > limit || (wasFull && used > limit - HEADROOM);
  return { kept, full };
}

describe('retention property', () => {
  it('matches the reference model and never deletes locked footage', async () => {
    let run = 0;
    const coverage = { age: 0, space: 0, full: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 40 }), async (actions) => {
        const dir = path.join(root, `run-${run++}`);
        mkdirSync(dir, { recursive: true });
        const clock = new ManualClock(Date.UTC(2026, 0, 1));
        const catalog = openSqliteCatalog(path.join(dir, 'catalog.sqlite'));
        try {
          let limit = 300 * MB;
          const location = await createStorageLocation(catalog, {
            name: 'p',
            path: path.join(dir, 'rec'),
            freeSpaceFloorBytes: 0,
            sizeLimitBytes: limit,
            nowMs: clock.nowMs(),
          });
          const events = new RecordingEventBus();
          const registry = new StorageRegistry(catalog, events);
          await registry.openAll();
          const retention = new RetentionService(
            { catalog, registry, events, clock },
            { headroomBytes: HEADROOM, batchSize: 7 },
          );
          const retentionMs = [24 * HOUR, 24 * HOUR, 24 * HOUR];
          const cams: number[] = [];
          const streams: number[] = [];
          const runs: number[] = [];
          for (let c = 0; c < 3; c++) {
            const cam = await catalog.cameras.create({
              name: `c${c}`,
              storageLocationId: location.id,
              retentionMs: retentionMs[c]!,
              nowMs: 0,
            });
            cams.push(cam.id);
            streams.push((await catalog.streams.ensure(cam.id, 'main')).id);
            runs.push(
              await catalog.recordings.startRun({ streamId: streams[c]!, startTime90k: 0, startedAtMs: 0 }),
            );
          }
          let segs: ModelSegment[] = [];
          const locks: ModelLock[] = [];
          let full = false;
          let n = 0;
          for (const a of actions) {
            const now90k = clock.nowMs() * 90;
            if (a.kind === 'record') {
              const start = now90k;
              const end = start + a.durationS * 90_000;
              const rel = `${cams[a.camera]}/seg-${n++}.mp4`;
              mkdirSync(path.join(location.path, String(cams[a.camera])), { recursive: true });
              writeFileSync(path.join(location.path, rel), 'x');
              const id = await catalog.recordings.insertSegment(
                {
                  streamId: streams[a.camera]!,
                  runId: runs[a.camera]!,
                  locationId: location.id,
                  path: rel,
                  startTime90k: start,
                  endTime90k: end,
                  mediaStart90k: 0,
                  mediaDuration90k: end - start,
                  sizeBytes: a.sizeMB * MB,
                  fragmentCount: 1,
                  codec: 'h264',
                  width: 1,
                  height: 1,
                },
                new Uint8Array(0),
                false,
              );
              segs.push({ id, camera: a.camera, start, end, size: a.sizeMB * MB });
              clock.advance(a.durationS * 1000);
            } else if (a.kind === 'lock') {
              const start = now90k - a.backS * 90_000;
              const lock = await catalog.locks.create({
                cameraId: cams[a.camera]!,
                startTime90k: start,
                endTime90k: start + a.lengthS * 90_000,
                reason: 'p',
                nowMs: clock.nowMs(),
              });
              locks.push({ id: lock.id, camera: a.camera, start: lock.startTime90k, end: lock.endTime90k });
            } else if (a.kind === 'unlock') {
              if (locks.length === 0) continue;
              const [gone] = locks.splice(a.pick % locks.length, 1);
              await catalog.locks.delete(gone!.id);
            } else if (a.kind === 'retention') {
              retentionMs[a.camera] = a.hours * HOUR;
              await catalog.cameras.update(cams[a.camera]!, { retentionMs: a.hours * HOUR });
            } else if (a.kind === 'advance') {
              clock.advance(a.minutes * 60_000);
            } else {
              limit = a.mb * MB;
              await catalog.storageLocations.update(location.id, { sizeLimitBytes: limit });
              await registry.refresh(location.id);
            }
            const before = new Set(segs.map((s) => s.id));
            const expected = modelPass(segs, locks, retentionMs, clock.nowMs() * 90, limit, full);
            const pass = await retention.runOnce();
            coverage.age += pass.deletedByAge.segments;
            coverage.space += pass.deletedBySpace.segments;
            const remaining: number[] = [];
            for (const st of streams)
              for (const s of await catalog.recordings.segmentsInRange(st, 0, Number.MAX_SAFE_INTEGER))
                remaining.push(s.id);
            remaining.sort((x, y) => x - y);
            expect(remaining).toEqual(expected.kept.map((s) => s.id).sort((x, y) => x - y));
            // Direct checks, independent of the model's arithmetic.
            for (const s of segs)
              if (!remaining.includes(s.id) && before.has(s.id))
                expect(locks.some((l) => l.camera === s.camera && l.start < s.end && l.end > s.start)).toBe(
                  false,
                );
            full = registry.status(location.id).state === 'full';
            if (full) coverage.full++;
            expect(full).toBe(expected.full);
            segs = expected.kept;
          }
        } finally {
          catalog.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { seed: 42, numRuns: 60 },
    );
    // The sequences did exercise every branch: deletions by age, by space, and a full location.
    expect(coverage.age).toBeGreaterThan(0);
    expect(coverage.space).toBeGreaterThan(0);
    expect(coverage.full).toBeGreaterThan(0);
  }, 60_000);
});
