// Recovery and `argus check [--repair]` on hand-damaged recordings: an open row with whole
// fragments after its last commit and a torn tail, a file without a row, a row without a file, an
// unreadable file and a stray name. Without --repair nothing changes; with it all are fixed, and
// a second check is clean.
import {
  existsSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  appendFileSync,
  mkdtempSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCatalogIntegrity, openSqlite } from '../src/db/index.js';
import {
  RecordingWriter,
  checkRecordings,
  formatRecoveryReport,
  recoverRecordings,
} from '../src/ingest/index.js';
import { QUARANTINE_DIR, packFragmentEntries, unpackFragmentEntries } from '../src/storage/index.js';
import { clipFrame, loadClip, makeRecordingEnv, playbackErrors } from './helpers/recording-fixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'argus-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recovery and argus check', () => {
  it('reports without --repair, fixes with it, and is clean afterwards', async () => {
    const env = await makeRecordingEnv(dir);
    const clip = loadClip();
    const writer = new RecordingWriter(env, {
      cameraId: env.cameraId,
      streamId: env.streamId,
      streamKind: 'main',
      locationId: env.location.id,
      segmentDurationMs: 10_000,
    });
    writer.setTracks([clip.track]);
    for (let i = 0; i < 25 * 35; i++) {
      writer.push(1, clipFrame(clip, i));
      env.clock.advance(40);
    }
    await writer.stop();
    const segs = await env.catalog.recordings.segmentsInRange(env.streamId, 0, Number.MAX_SAFE_INTEGER);
    expect(segs.length).toBe(4);
    const file = (i: number): string => path.join(env.location.path, segs[i]!.path);
    const catalogFile = path.join(dir, 'catalog.sqlite');

    // 1. The last file as a crash leaves it: row committed up to fragment 2, run open, torn tail.
    const last = segs[3]!;
    const entries = unpackFragmentEntries(await env.catalog.recordings.segmentFragments(last.id));
    const fullBytes = readFileSync(file(3));
    appendFileSync(file(3), fullBytes.subarray(entries[1]!.startByte, entries[1]!.startByte + 700));
    const db = openSqlite(catalogFile);
    db.prepare(
      'UPDATE segments SET open = 1, size_bytes = ?, fragment_count = 2, end_time_90k = ?, media_duration_90k = ? WHERE id = ?',
    ).run(entries[2]!.startByte, last.startTime90k + 2 * 90_000, 2 * 90_000, last.id);
    db.prepare('UPDATE segment_fragments SET entries = ? WHERE segment_id = ?').run(
      packFragmentEntries(entries.slice(0, 2)),
      last.id,
    );
    db.prepare('UPDATE runs SET end_time_90k = NULL, end_reason = NULL WHERE id = ?').run(last.runId);
    db.close();
    // 2. A file whose row is gone; 3. a row whose file is gone; 4. junk with a valid name; 5. a stray name.
    await env.catalog.recordings.deleteSegmentRowOnly(segs[1]!.id);
    rmSync(file(0));
    const junk = '1/2026-01-01/20260101T130000.000Z-main.mp4';
    writeFileSync(path.join(env.location.path, junk), Buffer.alloc(5000, 7));
    const stray = '1/2026-01-01/notes.mp4';
    writeFileSync(path.join(env.location.path, stray), 'x');
    // 6.-8. What a crash between creating a file and inserting its row leaves: an empty file, a
    // torn init section, a whole init section without fragments. No media: they are removed.
    const initBytes = readFileSync(file(2)).subarray(0, entries[0]!.startByte);
    const opened = {
      '1/2026-01-01/20260101T140000.000Z-main.mp4': Buffer.alloc(0),
      '1/2026-01-01/20260101T140010.000Z-main.mp4': initBytes.subarray(0, 100),
      '1/2026-01-01/20260101T140020.000Z-main.mp4': initBytes,
    };
    for (const [rel, bytes] of Object.entries(opened))
      writeFileSync(path.join(env.location.path, rel), bytes);
    const tornSize = statSync(file(3)).size;

    const dry = await checkRecordings({ catalogFile, repair: false, clock: env.clock });
    const kinds = dry.findings.map((f) => `${f.kind}:${f.action}`).sort();
    expect(kinds).toEqual(
      [
        'fragments-indexed:none',
        'torn-tail:none',
        'open-run:none',
        'file-without-row:none',
        'row-without-file:none',
        'unreadable-file:none',
        'unreadable-file:none',
        'empty-segment:none',
        'empty-segment:none',
        'empty-segment:none',
      ].sort(),
    );
    expect(statSync(file(3)).size).toBe(tornSize);
    expect(existsSync(path.join(env.location.path, junk))).toBe(true);
    expect(formatRecoveryReport(dry)).toMatch(/row-without-file 1\/2026-01-01\/.*\n[\s\S]*--repair/);

    const fixed = await checkRecordings({ catalogFile, repair: true, clock: env.clock });
    expect(fixed.findings.map((f) => `${f.kind}:${f.action}`).sort()).toEqual(
      [
        'fragments-indexed:indexed',
        'torn-tail:truncated',
        'open-run:run-closed',
        'file-without-row:indexed',
        'row-without-file:row-removed',
        'unreadable-file:quarantined',
        'unreadable-file:quarantined',
        'empty-segment:file-removed',
        'empty-segment:file-removed',
        'empty-segment:file-removed',
      ].sort(),
    );
    for (const rel of Object.keys(opened)) {
      expect(existsSync(path.join(env.location.path, rel)), rel).toBe(false);
      expect(existsSync(path.join(env.location.path, QUARANTINE_DIR, rel)), rel).toBe(false);
    }
    expect(existsSync(path.join(env.location.path, QUARANTINE_DIR, junk))).toBe(true);
    const after = await env.catalog.recordings.segmentsInRange(env.streamId, 0, Number.MAX_SAFE_INTEGER);
    expect(after.map((s) => s.path)).toEqual(segs.slice(1).map((s) => s.path));
    const reindexed = after[0]!;
    expect(Math.abs(reindexed.startTime90k - segs[1]!.startTime90k)).toBeLessThanOrEqual(90);
    expect(Math.abs(reindexed.endTime90k - segs[1]!.endTime90k)).toBeLessThanOrEqual(90);
    expect(reindexed.fragmentCount).toBe(segs[1]!.fragmentCount);
    const healed = after[2]!;
    expect([healed.sizeBytes, healed.fragmentCount, healed.open]).toEqual([
      last.sizeBytes,
      last.fragmentCount,
      false,
    ]);
    expect(statSync(file(3)).size).toBe(last.sizeBytes);
    expect(Math.abs(healed.endTime90k - last.endTime90k)).toBeLessThanOrEqual(90);
    expect(unpackFragmentEntries(await env.catalog.recordings.segmentFragments(healed.id))).toEqual(entries);
    for (const s of after) expect(playbackErrors(path.join(env.location.path, s.path))).toBe('');

    expect(
      (await checkRecordings({ catalogFile, repair: false, deep: true, clock: env.clock })).findings,
    ).toEqual([]);
    const startup = await recoverRecordings({
      catalog: env.catalog,
      clock: env.clock,
      mode: 'startup',
      repair: true,
    });
    expect(startup.findings).toEqual([]);
    truncateSync(file(2), statSync(file(2)).size - 10);
    const shorter = await checkRecordings({ catalogFile, repair: true, clock: env.clock });
    expect(shorter.findings.map((f) => f.kind)).toEqual(['file-shorter-than-row']);
    env.catalog.close();
  });

  it('checks a large catalog in full only when asked (start-up reads just the schema)', async () => {
    const file = path.join(dir, 'large.sqlite');
    const filled = openSqlite(file);
    filled.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
      INSERT INTO settings (key, value_json) SELECT 'k' || i, '"' || hex(randomblob(40)) || '"' FROM n`);
    filled.close();
    const size = statSync(file).size;
    const bytes = readFileSync(file);
    bytes.fill(0x5a, size - 4096 + 100, size - 100); // damage the last page, not the schema
    writeFileSync(file, bytes);
    expect(() => openSqlite(file)).toThrow(/damaged or not an Argus database/);
    const db = openSqlite(file, { fullCheckMaxBytes: 0 });
    expect(checkCatalogIntegrity(db)).not.toBe('ok');
    db.close();
  });
});
