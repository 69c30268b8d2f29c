// The timeline query on hand-made indexes: coalescing to the zoom resolution, the item cap, gap
// causes (with 'unknown' where no row explains a hole), motion, and no gaps in the future.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coalesceIntervals, openSqliteCatalog, type Catalog } from '../src/db/index.js';

const S = 90_000; // one second in 90 kHz units
const T0 = Date.UTC(2026, 0, 1) * 90;
const dir = mkdtempSync(path.join(tmpdir(), 'argus-timeline-'));
let catalog: Catalog;
let streamId: number;
let cameraId: number;

async function segment(start: number, end: number, i: number): Promise<void> {
  const runId = await catalog.recordings.startRun({ streamId, startTime90k: T0 + start * S, startedAtMs: 0 });
  await catalog.recordings.insertSegment(
    {
      streamId,
      runId,
      locationId: 1,
      path: `1/2026-01-01/seg-${i}.mp4`,
      startTime90k: T0 + start * S,
      endTime90k: T0 + end * S,
      mediaStart90k: 0,
      mediaDuration90k: (end - start) * S,
      sizeBytes: 1000,
      fragmentCount: end - start,
      codec: 'h264',
      width: 640,
      height: 360,
    },
    new Uint8Array(0),
    false,
  );
}

beforeAll(async () => {
  catalog = openSqliteCatalog(path.join(dir, 'catalog.sqlite'));
  const loc = await catalog.storageLocations.create({
    name: 'a',
    path: dir,
    identityUuid: 'u-1',
    freeSpaceFloorBytes: 0,
    sizeLimitBytes: null,
    nowMs: 0,
  });
  const cam = await catalog.cameras.create({
    name: 'c',
    storageLocationId: loc.id,
    retentionMs: 1e9,
    nowMs: 0,
  });
  cameraId = cam.id;
  streamId = (await catalog.streams.ensure(cam.id, 'main')).id;
  // Recorded: 0-100, 102-200 (2 s hole), 300-400 (100 s hole: 60 s offline, 40 s unexplained), 1000-1100.
  await segment(0, 100, 1);
  await segment(102, 200, 2);
  await segment(300, 400, 3);
  await segment(1000, 1100, 4);
  await catalog.gaps.insert(streamId, T0 + 200 * S, T0 + 260 * S, 'offline');
  await catalog.gaps.insert(streamId, T0 + 400 * S, T0 + 1000 * S, 'disk_full');
  await catalog.gaps.open(streamId, T0 + 1100 * S, 'server_down');
  await catalog.motion.insert(cameraId, T0 + 10 * S, T0 + 20 * S, 'onvif');
  await catalog.motion.insert(cameraId, T0 + 21 * S, T0 + 30 * S, 'onvif');
  await catalog.motion.start(cameraId, T0 + 1050 * S, 'onvif');
});

afterAll(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

const secs = (list: { startTime90k: number; endTime90k: number }[]) =>
  list.map((i) => [(i.startTime90k - T0) / S, (i.endTime90k - T0) / S]);

describe('timeline query', () => {
  it('returns exact intervals and causes at fine resolution', async () => {
    const t = await catalog.timeline.query({ streamId, from90k: T0, to90k: T0 + 1200 * S, resolution90k: S });
    expect(secs(t.recorded)).toEqual([
      [0, 100],
      [102, 200],
      [300, 400],
      [1000, 1100],
    ]);
    expect(t.gaps.map((g) => [...secs([g])[0]!, g.cause])).toEqual([
      [100, 102, 'unknown'],
      [200, 260, 'offline'],
      [260, 300, 'unknown'],
      [400, 1000, 'disk_full'],
      [1100, 1200, 'server_down'],
    ]);
    expect(secs(t.motion)).toEqual([
      [10, 20],
      [21, 30],
      [1050, 1200],
    ]);
  });

  it('merges intervals closer than the resolution and absorbs narrow gap pieces', async () => {
    const t = await catalog.timeline.query({
      streamId,
      from90k: T0,
      to90k: T0 + 1200 * S,
      resolution90k: 50 * S,
    });
    expect(secs(t.recorded)).toEqual([
      [0, 200],
      [300, 400],
      [1000, 1100],
    ]);
    // The 100 s hole is 60 s offline + 40 s unknown; the 40 s piece is narrower than 50 s.
    expect(t.gaps.map((g) => [...secs([g])[0]!, g.cause])).toEqual([
      [200, 300, 'offline'],
      [400, 1000, 'disk_full'],
      [1100, 1200, 'server_down'],
    ]);
    expect(secs(t.motion)).toEqual([
      [10, 30],
      [1050, 1200],
    ]);
  });

  it('caps the number of items by merging the smallest separations first', async () => {
    const t = await catalog.timeline.query({
      streamId,
      from90k: T0,
      to90k: T0 + 1200 * S,
      resolution90k: S,
      maxItems: 2,
    });
    expect(secs(t.recorded)).toEqual([
      [0, 400],
      [1000, 1100],
    ]);
    expect(t.gaps.length).toBeLessThanOrEqual(2);
    expect(t.gaps.map((g) => g.cause)).toEqual(['disk_full', 'server_down']);
  });

  it('clips to the range and reports no gap after now', async () => {
    const t = await catalog.timeline.query({
      streamId,
      from90k: T0 + 150 * S,
      to90k: T0 + 2000 * S,
      now90k: T0 + 1100 * S,
      resolution90k: S,
    });
    expect(secs(t.recorded)[0]).toEqual([150, 200]);
    expect(secs(t.gaps).at(-1)).toEqual([400, 1000]);
  });

  it('coalesces overlapping intervals (a clock step back) into one', () => {
    const out = coalesceIntervals(
      [
        { startTime90k: 0, endTime90k: 10 },
        { startTime90k: 5, endTime90k: 8 },
        { startTime90k: 9, endTime90k: 20 },
      ],
      0,
      100,
      0,
      10,
    );
    expect(out).toEqual([{ startTime90k: 0, endTime90k: 20 }]);
  });
});
