// Retention against a reference model (fast-check, seeded): random sequences of record / lock /
// unlock / change retention / advance clock / shrink the location ("fill the disk") / add gap,
// motion and empty-run rows. After every pass the catalog keeps exactly the segments the model
// keeps, locked footage is never deleted, and footage younger than its retention goes only when
// space demands it, oldest first. Index rows age with the footage: no gap, motion or empty-run row
// that ended before the horizon survives unless it overlaps a lock or kept footage, no row that
// overlaps them (or is newer than all deleted footage) is removed, and the timeline shows no gap
// before the horizon.
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
  | { kind: 'limit'; mb: number }
  | { kind: 'gap' | 'motion'; camera: number; backS: number; lengthS: number; open: boolean }
  | { kind: 'emptyRun'; camera: number; backS: number; lengthS: number };

type Weighted = { weight: number; arbitrary: fc.Arbitrary<Action> };

const footageActions: Weighted[] = [
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
];

/** Gap, motion and empty-run rows at random places around now (open or ended). */
const indexActions: Weighted[] = [
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('gap' as const, 'motion' as const),
      camera: fc.nat(2),
      backS: fc.integer({ min: 0, max: 60_000 }),
      lengthS: fc.integer({ min: 1, max: 40_000 }),
      open: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('emptyRun' as const),
      camera: fc.nat(2),
      backS: fc.integer({ min: 0, max: 60_000 }),
      lengthS: fc.integer({ min: 1, max: 40_000 }),
    }),
  },
];

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
/** A gap, motion or (segment-less) run row; end null while open. */
interface ModelRow {
  table: 'gap' | 'motion' | 'run';
  id: number;
  camera: number;
  start: number;
  end: number | null;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && a.end > b.start;

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

interface Coverage {
  age: number;
  space: number;
  full: number;
  pruned: number;
  /** Rows older than the horizon kept because they overlap a lock or kept footage. */
  keptOld: number;
}

let run = 0;

/** Plays one action sequence against a fresh catalog, checking the model after every pass. */
async function playSequence(actions: Action[], coverage: Coverage): Promise<void> {
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
    let rows: ModelRow[] = [];
    /** Per camera: the latest end of its footage deleted so far (rows up to it may go). */
    const deletedUntil = [0, 0, 0];
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
      } else if (a.kind === 'limit') {
        limit = a.mb * MB;
        await catalog.storageLocations.update(location.id, { sizeLimitBytes: limit });
        await registry.refresh(location.id);
      } else {
        const start = now90k - a.backS * 90_000;
        const end = a.kind !== 'emptyRun' && a.open ? null : start + a.lengthS * 90_000;
        let id: number;
        if (a.kind === 'gap')
          id =
            end === null
              ? await catalog.gaps.open(streams[a.camera]!, start, 'offline')
              : await catalog.gaps.insert(streams[a.camera]!, start, end, 'schedule');
        else if (a.kind === 'motion')
          id =
            end === null
              ? await catalog.motion.start(cams[a.camera]!, start, 'p')
              : await catalog.motion.insert(cams[a.camera]!, start, end, 'p');
        else {
          id = await catalog.recordings.startRun({
            streamId: streams[a.camera]!,
            startTime90k: start,
            startedAtMs: 0,
          });
          await catalog.recordings.endRun(id, end!, 'stopped');
        }
        const table = a.kind === 'emptyRun' ? 'run' : a.kind;
        if (!rows.some((r) => r.table === table && r.id === id))
          rows.push({ table, id, camera: a.camera, start, end });
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
          expect(locks.some((l) => l.camera === s.camera && l.start < s.end && l.end > s.start)).toBe(false);
      full = registry.status(location.id).state === 'full';
      if (full) coverage.full++;
      expect(full).toBe(expected.full);
      for (const s of segs)
        if (!remaining.includes(s.id)) deletedUntil[s.camera] = Math.max(deletedUntil[s.camera]!, s.end);
      segs = expected.kept;
      // Index rows: what must go, what must stay.
      const now = clock.nowMs() * 90;
      const alive = new Set<string>();
      for (let c = 0; c < 3; c++) {
        for (const g of await catalog.gaps.list(streams[c]!, -1, Number.MAX_SAFE_INTEGER))
          alive.add(`gap ${g.id}`);
        for (const m of await catalog.motion.list(cams[c]!, -1, Number.MAX_SAFE_INTEGER))
          alive.add(`motion ${m.id}`);
      }
      for (const r of rows)
        if (r.table === 'run' && (await catalog.recordings.runById(r.id)) !== undefined)
          alive.add(`run ${r.id}`);
      for (const r of rows) {
        const cutoff = now - retentionMs[r.camera]! * 90;
        const covered =
          r.end === null ||
          locks.some((l) => l.camera === r.camera && overlaps(l, { start: r.start, end: r.end! })) ||
          segs.some((s) => s.camera === r.camera && overlaps(s, { start: r.start, end: r.end! }));
        const survives = alive.has(`${r.table} ${r.id}`);
        if (!covered && r.end! <= cutoff) expect(survives, `${r.table} before the horizon`).toBe(false);
        if (covered || r.end! > Math.max(cutoff, deletedUntil[r.camera]!))
          expect(survives, `${r.table} overlapping kept footage or newer`).toBe(true);
        if (!survives) coverage.pruned++;
        else if (r.end !== null && r.end <= cutoff) coverage.keptOld++;
      }
      rows = rows.filter((r) => alive.has(`${r.table} ${r.id}`));
      for (let c = 0; c < 3; c++) {
        const cutoff = now - retentionMs[c]! * 90;
        const tl = await catalog.timeline.query({
          streamId: streams[c]!,
          from90k: now - 400 * HOUR * 90,
          to90k: now,
          resolution90k: 0,
          now90k: now,
        });
        for (const g of tl.gaps) expect(g.startTime90k).toBeGreaterThanOrEqual(cutoff);
      }
      // The recording runs of the cameras are open: never pruned.
      for (const id of runs) expect((await catalog.recordings.runById(id))?.endTime90k).toBeNull();
    }
  } finally {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('retention property', () => {
  it('matches the reference model and never deletes locked footage', async () => {
    const coverage: Coverage = { age: 0, space: 0, full: 0, pruned: 0, keptOld: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(...footageActions), { minLength: 1, maxLength: 40 }), (actions) =>
        playSequence(actions, coverage),
      ),
      { seed: 42, numRuns: 60 },
    );
    // The sequences did exercise every branch: deletions by age, by space, and a full location.
    expect(coverage.age).toBeGreaterThan(0);
    expect(coverage.space).toBeGreaterThan(0);
    expect(coverage.full).toBeGreaterThan(0);
  }, 60_000);

  it('prunes gap, motion and empty-run rows with the footage, never those overlapping kept footage', async () => {
    const coverage: Coverage = { age: 0, space: 0, full: 0, pruned: 0, keptOld: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(...footageActions, ...indexActions), { minLength: 20, maxLength: 40 }),
        (actions) => playSequence(actions, coverage),
      ),
      { seed: 42, numRuns: 30 },
    );
    expect(coverage.age).toBeGreaterThan(0);
    expect(coverage.space).toBeGreaterThan(0);
    expect(coverage.pruned).toBeGreaterThan(0);
    expect(coverage.keptOld).toBeGreaterThan(0);
  }, 60_000);
});
