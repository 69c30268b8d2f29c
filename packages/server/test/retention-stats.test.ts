// Per-camera storage figures: bytes used, oldest footage, bytes per day, and the predicted days of
// retention (the retention time, or the location's usable space over its daily bytes, locked
// footage excluded) on a hand-made index.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cameraStorageStats } from '../src/ingest/index.js';
import { makeRecordingEnv } from './helpers/recording-fixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'argus-stats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HOUR90K = 3600 * 90_000;
const MB = 1_000_000;

describe('camera storage stats', () => {
  it('predicts days of retention from the current bitrate and the usable space', async () => {
    const env = await makeRecordingEnv(dir, { sizeLimitBytes: 1_000 * MB, retentionMs: 30 * 86_400_000 });
    const { catalog } = env;
    const cam2 = await catalog.cameras.create({
      name: 'b',
      storageLocationId: env.location.id,
      retentionMs: 3 * 86_400_000,
      nowMs: 0,
    });
    const s2 = (await catalog.streams.ensure(cam2.id, 'main')).id;
    const now90k = env.clock.nowMs() * 90;
    const fill = async (streamId: number, mbPerHour: number) => {
      const runId = await catalog.recordings.startRun({
        streamId,
        startTime90k: now90k - 24 * HOUR90K,
        startedAtMs: 0,
      });
      for (let h = 0; h < 24; h++) {
        const start = now90k - (24 - h) * HOUR90K;
        await catalog.recordings.insertSegment(
          {
            streamId,
            runId,
            locationId: env.location.id,
            path: `${streamId}/${h}.mp4`,
            startTime90k: start,
            endTime90k: start + HOUR90K,
            mediaStart90k: 0,
            mediaDuration90k: HOUR90K,
            sizeBytes: mbPerHour * MB,
            fragmentCount: 3600,
            codec: 'h264',
            width: 1,
            height: 1,
          },
          new Uint8Array(0),
          false,
        );
      }
    };
    await fill(env.streamId, 4); // 96 MB a day
    await fill(s2, 0.5); // 12 MB a day
    const a = (await cameraStorageStats(env, env.cameraId))!;
    expect(a.usedBytes).toBe(96 * MB);
    expect(a.segmentCount).toBe(24);
    expect(a.oldestTime90k).toBe(now90k - 24 * HOUR90K);
    expect(a.bytesPerDay).toBe(96 * MB);
    // 1000 MB limit over 108 MB a day at the location: 9.26 days, less than the 30 days asked.
    expect(a.predictedRetentionDays).toBeCloseTo(1000 / 108, 2);
    expect(a.limitedBySpace).toBe(true);
    const b = (await cameraStorageStats(env, cam2.id))!;
    expect([b.retentionDays, b.predictedRetentionDays, b.limitedBySpace]).toEqual([3, 3, false]);
    // Locking half of camera A's footage leaves less usable space.
    await catalog.locks.create({
      cameraId: env.cameraId,
      startTime90k: now90k - 24 * HOUR90K,
      endTime90k: now90k - 12 * HOUR90K - 1,
      reason: 'r',
      nowMs: 0,
    });
    expect(await catalog.recordings.lockedBytes(env.location.id)).toBe(48 * MB);
    expect((await cameraStorageStats(env, env.cameraId))!.predictedRetentionDays).toBeCloseTo(952 / 108, 2);
    expect(await cameraStorageStats(env, 999)).toBeUndefined();
    catalog.close();
  });
});
