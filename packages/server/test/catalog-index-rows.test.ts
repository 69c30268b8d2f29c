// Catalog rows added for issue 5's fixes, on a real SQLite file: manual recording (kept first start,
// refused and dropped for a disabled or removed camera), a gap's cause switching at a change, and
// retention pruning gap/motion/empty-run rows in the same transaction as the segments it deletes,
// keeping rows under a lock; the timeline shows no gap before the retention horizon.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteCatalog, type Catalog } from '../src/db/index.js';

const S = 90_000;
const T0 = Date.UTC(2026, 0, 1) * 90;
const DAY_MS = 86_400_000;
const dir = mkdtempSync(path.join(tmpdir(), 'argus-index-rows-'));
afterAll(() => {
  catalog?.close();
  rmSync(dir, { recursive: true, force: true });
});

let catalog: Catalog;
let cameraId: number;
let streamId: number;
let n = 0;

beforeEach(async () => {
  catalog?.close();
  catalog = openSqliteCatalog(path.join(dir, `catalog-${n++}.sqlite`));
  const loc = await catalog.storageLocations.create({
    name: 'a',
    path: path.join(dir, `loc-${n}`),
    identityUuid: `u-${n}`,
    freeSpaceFloorBytes: 0,
    sizeLimitBytes: null,
    nowMs: 0,
  });
  cameraId = (
    await catalog.cameras.create({ name: 'c', storageLocationId: loc.id, retentionMs: DAY_MS, nowMs: 0 })
  ).id;
  streamId = (await catalog.streams.ensure(cameraId, 'main')).id;
});

async function segment(startS: number, endS: number): Promise<{ id: number; runId: number }> {
  const runId = await catalog.recordings.startRun({
    streamId,
    startTime90k: T0 + startS * S,
    startedAtMs: 0,
  });
  await catalog.recordings.endRun(runId, T0 + endS * S, 'stopped');
  const id = await catalog.recordings.insertSegment(
    {
      streamId,
      runId,
      locationId: 1,
      path: `1/seg-${startS}.mp4`,
      startTime90k: T0 + startS * S,
      endTime90k: T0 + endS * S,
      mediaStart90k: 0,
      mediaDuration90k: (endS - startS) * S,
      sizeBytes: 10,
      fragmentCount: 1,
      codec: 'h264',
      width: 1,
      height: 1,
    },
    new Uint8Array(0),
    false,
  );
  return { id, runId };
}

describe('manual recording rows', () => {
  it('keep the first start, and are refused or dropped for a disabled or removed camera', async () => {
    const user = await catalog.users.create({
      username: 'op',
      passwordHash: 'h',
      role: 'operator',
      nowMs: 1,
    });
    expect(await catalog.manualRecording.start(cameraId, 1000, user!.id)).toBe(true);
    expect(await catalog.manualRecording.start(cameraId, 2000, null)).toBe(true);
    expect(await catalog.manualRecording.find(cameraId)).toEqual({
      cameraId,
      startedAtMs: 1000,
      startedByUserId: user!.id,
    });
    expect(await catalog.manualRecording.start(9999, 1000)).toBe(false);
    await catalog.cameras.update(cameraId, { enabled: false });
    expect(await catalog.manualRecording.list()).toEqual([]);
    expect(await catalog.manualRecording.start(cameraId, 3000)).toBe(false);
    await catalog.cameras.update(cameraId, { enabled: true });
    expect(await catalog.manualRecording.start(cameraId, 4000)).toBe(true);
    expect(await catalog.manualRecording.stop(cameraId)).toBe(true);
    expect(await catalog.manualRecording.stop(cameraId)).toBe(false);
    expect(await catalog.manualRecording.start(cameraId, 5000)).toBe(true);
    await catalog.cameras.markRemoved(cameraId, 6000);
    expect(await catalog.manualRecording.find(cameraId)).toBeUndefined();
  });
});

describe('gap cause switch', () => {
  it('ends the open gap at the change and opens one with the new cause; nothing without an open gap', async () => {
    expect(await catalog.gaps.switchCause(streamId, T0, 'offline')).toBeUndefined();
    await catalog.gaps.open(streamId, T0, 'schedule');
    await catalog.gaps.switchCause(streamId, T0 + 10 * S, 'schedule');
    await catalog.gaps.switchCause(streamId, T0 + 20 * S, 'offline');
    await catalog.gaps.switchCause(streamId, T0 + 20 * S, 'disk_full'); // same instant: relabel
    await catalog.gaps.switchCause(streamId, T0 + 35 * S, 'schedule');
    await catalog.gaps.closeOpen(streamId, T0 + 50 * S);
    const rows = await catalog.gaps.list(streamId, 0, Number.MAX_SAFE_INTEGER);
    expect(rows.map((g) => [(g.startTime90k - T0) / S, ((g.endTime90k ?? 0) - T0) / S, g.cause])).toEqual([
      [0, 20, 'schedule'],
      [20, 35, 'disk_full'],
      [35, 50, 'schedule'],
    ]);
  });
});

describe('index pruning', () => {
  it('removes old gap, motion and empty-run rows with the segments, keeping those under a lock', async () => {
    // Footage 0-100 s (expiring), 5000-5100 s (kept); gaps and motion around them; a lock on 200-300 s.
    const old = await segment(0, 100);
    await segment(5000, 5100);
    const emptyRun = await catalog.recordings.startRun({
      streamId,
      startTime90k: T0 + 150 * S,
      startedAtMs: 0,
    });
    await catalog.recordings.endRun(emptyRun, T0 + 160 * S, 'storage_error');
    const openRun = await catalog.recordings.startRun({
      streamId,
      startTime90k: T0 + 170 * S,
      startedAtMs: 0,
    });
    await catalog.gaps.insert(streamId, T0 + 100 * S, T0 + 200 * S, 'schedule'); // old: goes
    await catalog.gaps.insert(streamId, T0 + 250 * S, T0 + 400 * S, 'offline'); // under the lock: stays
    await catalog.gaps.insert(streamId, T0 + 4000 * S, T0 + 5000 * S, 'no_motion'); // after the horizon
    await catalog.motion.insert(cameraId, T0 + 10 * S, T0 + 20 * S, 'p'); // in the deleted footage: goes
    await catalog.motion.insert(cameraId, T0 + 4800 * S, T0 + 5050 * S, 'p'); // overlaps kept footage
    await catalog.locks.create({
      cameraId,
      startTime90k: T0 + 200 * S,
      endTime90k: T0 + 300 * S,
      reason: 'bookmark',
      nowMs: 0,
    });
    const horizon = T0 + 3000 * S;
    // No separate pruneIndex call: the rows go in deleteSegments' own transaction.
    await catalog.recordings.deleteSegments([old.id], 'age', [{ cameraId, horizon90k: horizon }]);
    const gaps = await catalog.gaps.list(streamId, 0, Number.MAX_SAFE_INTEGER);
    expect(gaps.map((g) => g.cause)).toEqual(['offline', 'no_motion']);
    const motion = await catalog.motion.list(cameraId, 0, Number.MAX_SAFE_INTEGER);
    expect(motion.map((m) => (m.startTime90k - T0) / S)).toEqual([4800]);
    expect(await catalog.recordings.runById(old.runId)).toBeUndefined();
    expect(await catalog.recordings.runById(emptyRun)).toBeUndefined();
    expect(await catalog.recordings.runById(openRun)).toBeDefined();
    // Nothing more to prune at the same horizon.
    expect(await catalog.recordings.pruneIndex([{ cameraId, horizon90k: horizon }])).toEqual({
      gaps: 0,
      motion: 0,
      runs: 0,
    });
  });

  it('the timeline shows no gap before the retention horizon', async () => {
    await segment(5000, 5100);
    const now90k = T0 + 5200 * S + DAY_MS * 90;
    const tl = await catalog.timeline.query({
      streamId,
      from90k: T0,
      to90k: now90k,
      resolution90k: 0,
      now90k,
    });
    expect(tl.recorded.map((r) => (r.startTime90k - T0) / S)).toEqual([5000]);
    expect(tl.gaps.length).toBeGreaterThan(0);
    for (const g of tl.gaps) expect(g.startTime90k).toBeGreaterThanOrEqual(now90k - DAY_MS * 90);
    // Without now90k (no horizon known) the whole range is explained.
    const all = await catalog.timeline.query({ streamId, from90k: T0, to90k: now90k, resolution90k: 0 });
    expect(all.gaps[0]!.startTime90k).toBe(T0);
  });
});
