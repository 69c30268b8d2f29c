// Storage location identity: a missing directory, an unmounted disk (a bare mount point) and a
// swapped disk (another UUID) are refused with a clear message, and the writer records nothing
// there (a gap with its cause) until the right disk is back.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordingWriter } from '../src/ingest/index.js';
import {
  ARGUS_ERR_STORAGE_IN_USE,
  ARGUS_ERR_STORAGE_MISSING,
  ARGUS_ERR_STORAGE_SWAPPED,
  ARGUS_ERR_STORAGE_UNMOUNTED,
  IDENTITY_FILE,
  initStorageIdentity,
  verifyStorageIdentity,
} from '../src/storage/index.js';
import { clipFrame, loadClip, makeRecordingEnv } from './helpers/recording-fixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'argus-identity-'));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) execFileSync('umount', [m]);
  rmSync(dir, { recursive: true, force: true });
});

async function refusal(p: string, uuid: string): Promise<{ code: string; message: string }> {
  try {
    await verifyStorageIdentity(p, uuid);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('accepted');
}

describe('storage identity', () => {
  it('accepts its own disk and refuses missing, unmounted and swapped ones', async () => {
    const loc = path.join(dir, 'disk-a');
    const uuid = await initStorageIdentity(loc, 0);
    await expect(verifyStorageIdentity(loc, uuid)).resolves.toBeUndefined();
    expect(await initStorageIdentity(loc, 0, uuid)).toBe(uuid);
    await expect(initStorageIdentity(loc, 0)).rejects.toMatchObject({ code: ARGUS_ERR_STORAGE_IN_USE });

    const missing = await refusal(path.join(dir, 'nowhere'), uuid);
    expect(missing.code).toBe(ARGUS_ERR_STORAGE_MISSING);
    expect(missing.message).toMatch(/does not exist.*Recording there is stopped/);

    const bare = path.join(dir, 'mountpoint');
    mkdirSync(bare);
    const unmounted = await refusal(bare, uuid);
    expect(unmounted.code).toBe(ARGUS_ERR_STORAGE_UNMOUNTED);
    expect(unmounted.message).toMatch(/probably not mounted/);

    const other = path.join(dir, 'disk-b');
    await initStorageIdentity(other, 0);
    const swapped = await refusal(other, uuid);
    expect(swapped.code).toBe(ARGUS_ERR_STORAGE_SWAPPED);
    expect(swapped.message).toMatch(new RegExp(`not the expected ${uuid}`));
  });

  it('recognises a real mount point once the disk is unmounted', async () => {
    const mnt = path.join(dir, 'mnt');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
    mounts.push(mnt);
    const uuid = await initStorageIdentity(mnt, 0);
    await expect(verifyStorageIdentity(mnt, uuid)).resolves.toBeUndefined();
    execFileSync('umount', [mnt]);
    mounts.pop();
    const err = await refusal(mnt, uuid);
    expect(err.code).toBe(ARGUS_ERR_STORAGE_UNMOUNTED);
    expect(err.message).toMatch(/lies on its parent's file system: the disk is probably not mounted/);
  });

  it('writes nothing to a missing location and resumes when it returns', async () => {
    mkdirSync(path.join(dir, 'env'), { recursive: true });
    const env = await makeRecordingEnv(path.join(dir, 'env'));
    const clip = loadClip();
    const away = `${env.location.path}-away`;
    renameSync(env.location.path, away); // the disk is gone
    await env.registry.verifyAll();
    const writer = new RecordingWriter(env, {
      cameraId: env.cameraId,
      streamId: env.streamId,
      streamKind: 'main',
      locationId: env.location.id,
    });
    writer.setTracks([clip.track]);
    for (let i = 0; i < 100; i++) {
      writer.push(1, clipFrame(clip, i));
      env.clock.advance(40);
    }
    await writer.flushed();
    expect(existsSync(env.location.path)).toBe(false);
    expect(env.seen.find((e) => e.type === 'location.unavailable')).toMatchObject({
      code: ARGUS_ERR_STORAGE_MISSING,
    });
    renameSync(away, env.location.path); // back
    await env.registry.verifyAll();
    expect(env.seen.at(-1)?.type).toBe('location.writable');
    for (let i = 100; i < 200; i++) {
      writer.push(1, clipFrame(clip, i));
      env.clock.advance(40);
    }
    await writer.stop();
    const segs = await env.catalog.recordings.segmentsInRange(env.streamId, 0, Number.MAX_SAFE_INTEGER);
    expect(segs.length).toBe(1);
    const gaps = await env.catalog.gaps.list(env.streamId, 0, Number.MAX_SAFE_INTEGER);
    expect(gaps.map((g) => [g.cause, g.endTime90k])).toEqual([
      ['storage_unavailable', segs[0]!.startTime90k],
    ]);
    expect(readdirSync(env.location.path)).toContain(IDENTITY_FILE);
    writeFileSync(path.join(env.location.path, IDENTITY_FILE), '{"argusStorage":1,"uuid":"someone-else"}');
    await env.registry.verifyAll();
    expect(env.registry.status(env.location.id)).toMatchObject({
      state: 'unavailable',
      code: ARGUS_ERR_STORAGE_SWAPPED,
    });
    env.catalog.close();
  });
});
